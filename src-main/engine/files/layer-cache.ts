import type { LayerFiles, LayerFilesCache } from './types'

/** Entries kept by default: about 200 MB of index, or some twenty-five full Debian-based images. */
export const DEFAULT_CACHE_ENTRIES = 1_000_000

/**
 * Layer indexes by diff-id, least recently used dropped first once their entries add up to more than the budget.
 * Memory follows the entry count (files), not the layers' bytes. The layer just stored is never dropped,
 * even when it alone exceeds the budget.
 */
export class BoundedLayerCache implements LayerFilesCache {
  private readonly layers = new Map<string, LayerFiles>()
  private entries = 0

  constructor(readonly maxEntries = DEFAULT_CACHE_ENTRIES) {}

  get size(): number {
    return this.layers.size
  }

  get entryCount(): number {
    return this.entries
  }

  has(diffId: string): boolean {
    return this.layers.has(diffId)
  }

  get(diffId: string): LayerFiles | undefined {
    const files = this.layers.get(diffId)
    if (files !== undefined) this.touch(diffId, files)
    return files
  }

  /** Keeps the copy already stored for a diff-id, so every image sharing a layer shares one index. */
  set(diffId: string, files: LayerFiles): LayerFiles {
    const stored = this.layers.get(diffId)
    if (stored !== undefined) {
      this.touch(diffId, stored)
      return stored
    }
    this.layers.set(diffId, files)
    this.entries += files.entries.length
    for (const [oldest, oldFiles] of this.layers) {
      if (this.entries <= this.maxEntries || oldest === diffId) break
      this.layers.delete(oldest)
      this.entries -= oldFiles.entries.length
    }
    return files
  }

  private touch(diffId: string, files: LayerFiles): void {
    this.layers.delete(diffId)
    this.layers.set(diffId, files)
  }
}
