// The compact file index a snapshot carries: per layer, columns instead of one object per file, and
// each path stored as the length of the prefix it shares with the path before it plus the rest (tar
// streams list a folder's files together, so most of every path is shared). No file contents.
import { z } from 'zod'
import type { FileType, LayerFileEntry, LayerFiles } from '../files/types'

export interface SnapshotLayerFiles {
  diffId: string
  /** Per entry: how many leading characters it shares with the previous entry's path. */
  shared: number[]
  /** Per entry: the rest of its path. */
  rest: string[]
  /** One letter per entry: f file, d dir, l symlink, h hardlink, o other, w deletes the path, q opaque whiteout. */
  kinds: string
  sizes: number[]
  modes: number[]
  /** `[entry, uid, gid]` for entries not owned by root (0:0). */
  owners: Array<[number, number, number]>
  /** `[entry, target]` for symlinks and hardlinks. */
  links: Array<[number, string]>
}

const KIND_OF_TYPE: Record<FileType, string> = { file: 'f', dir: 'd', symlink: 'l', hardlink: 'h', other: 'o' }
const DELETE_WHITEOUT = 'w'
const OPAQUE_WHITEOUT = 'q'
const TYPE_OF_KIND: Record<string, FileType> = Object.fromEntries(Object.entries(KIND_OF_TYPE).map(([type, kind]) => [kind, type as FileType]))

function kindOf(entry: LayerFileEntry): string {
  if (entry.whiteout === 'delete') return DELETE_WHITEOUT
  if (entry.whiteout === 'opaque') return OPAQUE_WHITEOUT
  return KIND_OF_TYPE[entry.type]
}

function sharedPrefixLength(a: string, b: string): number {
  const limit = Math.min(a.length, b.length)
  let length = 0
  while (length < limit && a.charCodeAt(length) === b.charCodeAt(length)) length++
  return length
}

export function encodeLayerFiles(diffId: string, files: LayerFiles): SnapshotLayerFiles {
  const encoded: SnapshotLayerFiles = { diffId, shared: [], rest: [], kinds: '', sizes: [], modes: [], owners: [], links: [] }
  const kinds: string[] = []
  let previous = ''
  files.entries.forEach((entry, index) => {
    const shared = sharedPrefixLength(previous, entry.path)
    encoded.shared.push(shared)
    encoded.rest.push(entry.path.slice(shared))
    previous = entry.path
    kinds.push(kindOf(entry))
    encoded.sizes.push(entry.size)
    encoded.modes.push(entry.mode)
    if (entry.uid !== 0 || entry.gid !== 0) encoded.owners.push([index, entry.uid, entry.gid])
    if (entry.linkTarget !== undefined) encoded.links.push([index, entry.linkTarget])
  })
  encoded.kinds = kinds.join('')
  return encoded
}

/** The layer as the file engine uses it. Captured texts (`/etc/passwd`, …) are never in a snapshot. */
export function decodeLayerFiles(encoded: SnapshotLayerFiles): LayerFiles {
  const owners = new Map(encoded.owners.map(([index, uid, gid]) => [index, { uid, gid }]))
  const links = new Map(encoded.links)
  const entries: LayerFileEntry[] = []
  let previous = ''
  let contentBytes = 0
  for (let index = 0; index < encoded.rest.length; index++) {
    const path = previous.slice(0, encoded.shared[index]) + encoded.rest[index]
    previous = path
    const kind = encoded.kinds[index]!
    const owner = owners.get(index) ?? { uid: 0, gid: 0 }
    const size = encoded.sizes[index]!
    const entry: LayerFileEntry = {
      path,
      type: kind === DELETE_WHITEOUT ? 'file' : kind === OPAQUE_WHITEOUT ? 'dir' : TYPE_OF_KIND[kind]!,
      size,
      mode: encoded.modes[index]!,
      ...owner,
    }
    const linkTarget = links.get(index)
    if (linkTarget !== undefined) entry.linkTarget = linkTarget
    if (kind === DELETE_WHITEOUT) entry.whiteout = 'delete'
    if (kind === OPAQUE_WHITEOUT) entry.whiteout = 'opaque'
    contentBytes += size
    entries.push(entry)
  }
  return { entries, contentBytes, capturedText: {} }
}

const count = z.number().int().nonnegative()

export const snapshotLayerFilesSchema = z
  .object({
    diffId: z.string(),
    shared: z.array(count),
    rest: z.array(z.string()),
    kinds: z.string().regex(/^[fdlhowq]*$/, 'expected only the letters f, d, l, h, o, w and q'),
    sizes: z.array(count),
    modes: z.array(count),
    owners: z.array(z.tuple([count, count, count])),
    links: z.array(z.tuple([count, z.string()])),
  })
  .superRefine((layer, context) => {
    const entries = layer.rest.length
    for (const column of ['shared', 'kinds', 'sizes', 'modes'] as const) {
      if (layer[column].length !== entries) {
        context.addIssue({ code: 'custom', path: [column], message: `has ${layer[column].length} values for ${entries} entries` })
      }
    }
    for (const column of ['owners', 'links'] as const) {
      const outside = layer[column].find(([index]) => index >= entries)
      if (outside) context.addIssue({ code: 'custom', path: [column], message: `names entry ${outside[0]} of ${entries}` })
    }
  })
