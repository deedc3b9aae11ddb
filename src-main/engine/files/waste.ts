import { FilesystemView, type Removal, type RemovedFile } from './filesystem-view'
import type { LayerFiles } from './types'

export interface LayerWaste {
  layer: number
  /** Content bytes the layer ships. */
  shippedBytes: number
  /** Of those, bytes the final filesystem no longer contains: shipped for nothing. */
  reclaimableBytes: number
  /** Bytes of lower layers this layer removed, overwrote or hid (they still ship in those layers). */
  removedLowerBytes: number
}

export interface WasteReport {
  shippedBytes: number
  finalBytes: number
  /** Bytes shipped that the final filesystem does not contain (overwritten, deleted or hidden). */
  reclaimableBytes: number
  byLayer: LayerWaste[]
  /** Whiteouts, opaque markers and overwrites, largest first; `absent` ones removed nothing. */
  removals: Removal[]
  /** Every removed file, for jumping from a finding to its files. */
  removedFiles: RemovedFile[]
}

export interface StackedImage {
  view: FilesystemView
  waste: WasteReport
}

/** Stacks all layers once and accounts every shipped byte to the final filesystem or to the layer that removed it. */
export function stackAndMeasureWaste(layers: readonly LayerFiles[]): StackedImage {
  const view = new FilesystemView()
  layers.forEach((files, index) => view.applyLayer(index, files))

  const byLayer: LayerWaste[] = layers.map((files, layer) => ({
    layer,
    shippedBytes: files.contentBytes,
    reclaimableBytes: 0,
    removedLowerBytes: 0
  }))
  let reclaimableBytes = 0
  for (const removed of view.removedFiles) {
    reclaimableBytes += removed.bytes
    byLayer[removed.addedInLayer]!.reclaimableBytes += removed.bytes
    if (removed.removedInLayer !== removed.addedInLayer) byLayer[removed.removedInLayer]!.removedLowerBytes += removed.bytes
  }
  let finalBytes = 0
  for (const node of view.nodeList()) if (node.entry?.type === 'file') finalBytes += node.entry.size
  const shippedBytes = byLayer.reduce((sum, layer) => sum + layer.shippedBytes, 0)
  const removals = [...view.removals].sort((a, b) => b.bytes - a.bytes)
  return {
    view,
    waste: { shippedBytes, finalBytes, reclaimableBytes, byLayer, removals, removedFiles: view.removedFiles }
  }
}
