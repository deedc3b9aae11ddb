// Plain data describing the files inside image layers. Serialisable: it crosses IPC and goes into reports.

import type { FileType } from '../model'

export type { FileType }

/**
 * `delete` is an overlay `.wh.NAME` marker (it removes NAME, file or whole directory, from lower layers);
 * `opaque` is `.wh..wh..opq` (it hides everything lower layers had inside its directory).
 */
export type WhiteoutMarker = 'delete' | 'opaque'

export interface LayerFileEntry {
  /** Absolute, normalised: `/etc/os-release`. For a whiteout, the path it removes (or the opaque directory). */
  path: string
  type: FileType
  /** Bytes of content shipped in this layer (0 for directories, links and whiteouts). */
  size: number
  mode: number
  uid: number
  gid: number
  /** Target of a symlink or hardlink (hardlink targets are normalised like paths). */
  linkTarget?: string
  whiteout?: WhiteoutMarker
}

/** Everything Layerlens keeps about one layer's files; its memory grows with the number of entries, not bytes. */
export interface LayerFiles {
  entries: LayerFileEntry[]
  /** Σ size over entries: the content bytes this layer ships. */
  contentBytes: number
  /** Small well-known text files captured while streaming (path → text), e.g. `/etc/passwd`. */
  capturedText: Record<string, string>
}

/**
 * Indexed layers keyed by diff-id; owned by the caller so a base layer shared by many images is indexed once.
 * A plain Map will do; `BoundedLayerCache` also limits the memory.
 */
export interface LayerFilesCache {
  get(diffId: string): LayerFiles | undefined
  set(diffId: string, files: LayerFiles): unknown
}
