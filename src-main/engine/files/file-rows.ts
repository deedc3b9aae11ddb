// The explorer's rows for one layer: what the layer changed, or the whole filesystem after it.
import type { FileRow, FileType } from '../model'
import { FilesystemView, stackLayers, type ViewNode } from './filesystem-view'
import type { LayerFileEntry, LayerFiles } from './types'

export type FileRowView = 'layer' | 'cumulative'

/** Layers 0..layerIndex must all be there. */
export function fileRows(layers: readonly LayerFiles[], layerIndex: number, view: FileRowView): FileRow[] {
  const below = stackLayers(layers, layerIndex - 1)
  const changed = changesOf(below, layers[layerIndex]!, layerIndex)
  if (view === 'layer') return changed
  const existedBelow = new Set(below.paths())
  below.applyLayer(layerIndex, layers[layerIndex]!)
  const touched = new Map(changed.filter((row) => row.change !== 'removed').map((row) => [row.path, row]))
  const rows: FileRow[] = []
  for (const node of below.nodeList()) rows.push(touched.get(node.path) ?? rowOf(node, existedBelow.has(node.path) ? 'unchanged' : 'added'))
  for (const row of changed) if (row.change === 'removed') rows.push(row)
  return rows
}

/** What `files` adds, modifies and removes on top of `below` (which it does not change). */
function changesOf(below: FilesystemView, files: LayerFiles, layerIndex: number): FileRow[] {
  const rows: FileRow[] = []
  const written = new Set(files.entries.filter((entry) => entry.whiteout === undefined).map((entry) => entry.path))
  for (const entry of files.entries) {
    if (entry.whiteout === 'delete') {
      const lower = below.get(entry.path)
      if (lower !== undefined) rows.push(removedRow(lower, layerIndex))
    } else if (entry.whiteout === 'opaque') {
      for (const child of below.get(entry.path)?.children?.values() ?? []) {
        if (!written.has(child.path)) rows.push(removedRow(child, layerIndex))
      }
    }
  }
  for (const entry of files.entries) {
    if (entry.whiteout !== undefined) continue
    rows.push(entryRow(entry, below.get(entry.path) === undefined ? 'added' : 'modified', layerIndex))
  }
  return rows
}

function entryRow(entry: LayerFileEntry, change: FileRow['change'], layerIndex: number): FileRow {
  const row: FileRow = { path: entry.path, type: entry.type, size: entry.size, mode: entry.mode & 0o7777, uid: entry.uid, gid: entry.gid, change, layerIndex }
  if (entry.linkTarget !== undefined) row.linkTarget = entry.linkTarget
  return row
}

function rowOf(node: ViewNode, change: FileRow['change']): FileRow {
  if (node.entry !== undefined) return entryRow(node.entry, change, node.layer)
  // A directory no layer wrote, implied by the paths inside it.
  return { path: node.path, type: 'dir', size: 0, mode: 0o755, uid: 0, gid: 0, change, layerIndex: node.layer }
}

function removedRow(lower: ViewNode, layerIndex: number): FileRow {
  const type: FileType = lower.entry?.type ?? 'dir'
  return { ...rowOf(lower, 'removed'), type, size: contentBytesUnder(lower), layerIndex }
}

function contentBytesUnder(top: ViewNode): number {
  let bytes = 0
  const pending = [top]
  while (pending.length > 0) {
    const node = pending.pop()!
    if (node.entry?.type === 'file') bytes += node.entry.size
    if (node.children !== undefined) pending.push(...node.children.values())
  }
  return bytes
}

