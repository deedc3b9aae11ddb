import { baseName, parentPath } from './layer-index'
import type { LayerFileEntry, LayerFiles } from './types'

/** One path in a stacked filesystem. */
export interface ViewNode {
  path: string
  /** The member that put this path here; undefined for a directory implied by its children. */
  entry?: LayerFileEntry
  /** Index of the layer that supplied `entry`; -1 for an implied directory. */
  layer: number
  children?: Map<string, ViewNode>
}

export type RemovalReason = 'overwritten' | 'deleted' | 'hidden-by-opaque'

/** Content bytes that a layer shipped and a later layer took out of the filesystem. */
export interface RemovedFile {
  path: string
  bytes: number
  addedInLayer: number
  removedInLayer: number
  reason: RemovalReason
}

/** One whiteout, opaque marker or overwrite, and what it took away from lower layers. */
export interface Removal {
  /** The path the layer removed, overwrote or made opaque. */
  path: string
  layer: number
  reason: RemovalReason
  /** What was at `path` before: `absent` means the marker removed nothing at all. */
  targetKind: 'file' | 'directory' | 'absent'
  bytes: number
  files: number
  /** Where the removed bytes were shipped, oldest layer first. */
  bytesByAddingLayer: Array<{ layer: number; bytes: number; files: number }>
}

export type ChangeKind = 'added' | 'modified' | 'removed'

export interface LayerChange {
  path: string
  kind: ChangeKind
  /** For added/modified: the entry's size; for removed: the content bytes removed beneath the path. */
  bytes: number
}

const ROOT_PATH = '/'

/**
 * The filesystem as layers stack up, keyed by path. Each node also sits in its parent's children map,
 * so removing a directory detaches its subtree in one step and a single walk of that subtree accounts for its bytes.
 */
export class FilesystemView {
  private readonly nodes = new Map<string, ViewNode>()
  readonly root: ViewNode = { path: ROOT_PATH, layer: -1, children: new Map() }
  readonly removedFiles: RemovedFile[] = []
  readonly removals: Removal[] = []
  readonly changesByLayer: LayerChange[][] = []

  constructor() {
    this.nodes.set(ROOT_PATH, this.root)
  }

  get(path: string): ViewNode | undefined {
    return this.nodes.get(path)
  }

  get size(): number {
    return this.nodes.size - 1
  }

  /** Every path in the view (without the root), in no particular order. */
  paths(): IterableIterator<string> {
    const iterator = this.nodes.keys()
    iterator.next()
    return iterator
  }

  nodeList(): IterableIterator<ViewNode> {
    const iterator = this.nodes.values()
    iterator.next()
    return iterator
  }

  /**
   * Applies a layer on top. Whiteouts only act on lower layers (OCI image spec), so all of a layer's
   * markers are applied before any of its members, whatever their order in the tar.
   */
  applyLayer(layerIndex: number, files: LayerFiles): void {
    const changes: LayerChange[] = []
    this.changesByLayer[layerIndex] = changes
    for (const entry of files.entries) {
      if (entry.whiteout === 'delete') changes.push(this.deletePath(entry.path, layerIndex))
      else if (entry.whiteout === 'opaque') changes.push(this.hideLowerChildren(entry.path, layerIndex))
    }
    for (const entry of files.entries) {
      if (entry.whiteout === undefined) changes.push(this.addEntry(entry, layerIndex))
    }
  }

  private deletePath(path: string, layer: number): LayerChange {
    const node = this.nodes.get(path)
    if (node === undefined || node === this.root) {
      this.removals.push({ path, layer, reason: 'deleted', targetKind: 'absent', bytes: 0, files: 0, bytesByAddingLayer: [] })
      return { path, kind: 'removed', bytes: 0 }
    }
    const removal = this.startRemoval(path, layer, 'deleted', node)
    this.detach(node)
    this.removeSubtree(node, removal)
    this.finishRemoval(removal)
    return { path, kind: 'removed', bytes: removal.bytes }
  }

  private hideLowerChildren(path: string, layer: number): LayerChange {
    const node = this.nodes.get(path)
    const removal: Removal = {
      path,
      layer,
      reason: 'hidden-by-opaque',
      targetKind: node === undefined ? 'absent' : 'directory',
      bytes: 0,
      files: 0,
      bytesByAddingLayer: []
    }
    if (node?.children !== undefined) {
      for (const child of node.children.values()) this.removeSubtree(child, removal)
      node.children.clear()
    }
    this.finishRemoval(removal)
    return { path, kind: 'removed', bytes: removal.bytes }
  }

  private addEntry(entry: LayerFileEntry, layer: number): LayerChange {
    const existing = this.nodes.get(entry.path)
    if (existing === undefined) {
      const parent = this.ensureDirectory(parentPath(entry.path), layer)
      const node: ViewNode = { path: entry.path, entry, layer }
      if (entry.type === 'dir') node.children = new Map()
      parent.children!.set(baseName(entry.path), node)
      this.nodes.set(entry.path, node)
      return { path: entry.path, kind: 'added', bytes: entry.size }
    }
    const keepsChildren = entry.type === 'dir' && existing.children !== undefined
    if (!keepsChildren) {
      const removal = this.startRemoval(entry.path, layer, 'overwritten', existing)
      this.removeSubtree(existing, removal, true)
      this.finishRemoval(removal)
      existing.children = entry.type === 'dir' ? new Map() : undefined
    }
    existing.entry = entry
    existing.layer = layer
    return { path: entry.path, kind: 'modified', bytes: entry.size }
  }

  /** Finds or creates the directory at `path`, replacing any non-directory met on the way. */
  private ensureDirectory(path: string, layer: number): ViewNode {
    const existing = this.nodes.get(path)
    if (existing?.children !== undefined) return existing
    if (existing !== undefined) {
      const removal = this.startRemoval(path, layer, 'overwritten', existing)
      this.removeSubtree(existing, removal, true)
      this.finishRemoval(removal)
      existing.entry = undefined
      existing.layer = -1
      existing.children = new Map()
      return existing
    }
    const parent = this.ensureDirectory(parentPath(path), layer)
    const node: ViewNode = { path, layer: -1, children: new Map() }
    parent.children!.set(baseName(path), node)
    this.nodes.set(path, node)
    return node
  }

  private detach(node: ViewNode): void {
    this.nodes.get(parentPath(node.path))?.children?.delete(baseName(node.path))
  }

  private startRemoval(path: string, layer: number, reason: RemovalReason, target: ViewNode): Removal {
    return {
      path,
      layer,
      reason,
      targetKind: target.children !== undefined ? 'directory' : 'file',
      bytes: 0,
      files: 0,
      bytesByAddingLayer: []
    }
  }

  /** Drops `top` and everything under it from the index, accounting each file's bytes to `removal`. */
  private removeSubtree(top: ViewNode, removal: Removal, keepTop = false): void {
    const pending: ViewNode[] = [top]
    while (pending.length > 0) {
      const node = pending.pop()!
      if (node.children !== undefined) for (const child of node.children.values()) pending.push(child)
      if (node !== top || !keepTop) this.nodes.delete(node.path)
      if (node.entry !== undefined && node.entry.type === 'file') this.recordRemovedFile(node, removal)
    }
  }

  private recordRemovedFile(node: ViewNode, removal: Removal): void {
    const bytes = node.entry!.size
    this.removedFiles.push({
      path: node.path,
      bytes,
      addedInLayer: node.layer,
      removedInLayer: removal.layer,
      reason: removal.reason
    })
    removal.bytes += bytes
    removal.files += 1
    let share = removal.bytesByAddingLayer.find((item) => item.layer === node.layer)
    if (share === undefined) {
      share = { layer: node.layer, bytes: 0, files: 0 }
      removal.bytesByAddingLayer.push(share)
    }
    share.bytes += bytes
    share.files += 1
  }

  private finishRemoval(removal: Removal): void {
    // An overwrite of an empty or childless path carries no information worth listing.
    if (removal.reason === 'overwritten' && removal.files === 0) return
    removal.bytesByAddingLayer.sort((a, b) => a.layer - b.layer)
    this.removals.push(removal)
  }
}

/** Stacks layers 0..upTo (inclusive) into a fresh view. */
export function stackLayers(layers: readonly LayerFiles[], upTo = layers.length - 1): FilesystemView {
  const view = new FilesystemView()
  for (let index = 0; index <= upTo && index < layers.length; index++) view.applyLayer(index, layers[index]!)
  return view
}
