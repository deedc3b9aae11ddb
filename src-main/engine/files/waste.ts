import { DiveTally, type DiveEfficiency } from './dive-efficiency'
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
  /** dive's efficiency, counted dive's way, for comparison. */
  dive: DiveEfficiency
}

/**
 * The layers stacked bottom up, one at a time: a scan pushes each layer as soon as every layer below it has
 * arrived, so little is left to do when the export ends.
 */
export class LayerStack {
  private readonly view = new FilesystemView()
  private readonly dive = new DiveTally()
  private readonly shipped: number[] = []

  /** How many layers, from the bottom, are stacked. */
  get height(): number {
    return this.shipped.length
  }

  push(files: LayerFiles): void {
    this.view.applyLayer(this.shipped.length, files)
    this.dive.add(files)
    this.shipped.push(files.contentBytes)
  }

  /** Accounts every shipped byte to the final filesystem or to the layer that removed it. */
  measure(): StackedImage {
    const { view } = this
    const byLayer: LayerWaste[] = this.shipped.map((shippedBytes, layer) => ({ layer, shippedBytes, reclaimableBytes: 0, removedLowerBytes: 0 }))
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
      waste: { shippedBytes, finalBytes, reclaimableBytes, byLayer, removals, removedFiles: view.removedFiles },
      dive: this.dive.result()
    }
  }
}

/** Stacks all layers once and measures the waste. */
export function stackAndMeasureWaste(layers: readonly LayerFiles[]): StackedImage {
  const stack = new LayerStack()
  for (const files of layers) stack.push(files)
  return stack.measure()
}
