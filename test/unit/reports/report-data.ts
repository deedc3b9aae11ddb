// Real analyses for report tests: the captured lesson images, analysed by the engine, with the real lesson parts.
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { analyzeImage } from '../../../src-main/engine/analyze'
import { LESSON_PART_IDS, parseLessonPart } from '../../../src-main/engine/lesson'
import { diveEfficiency } from '../../../src-main/engine/files/dive-efficiency'
import type { LayerFiles } from '../../../src-main/engine/files/types'
import { stackAndMeasureWaste } from '../../../src-main/engine/files/waste'
import type { ContentsSummary, ImageAnalysis, LessonPart } from '../../../src-main/engine/model'
import type { ReportContext } from '../../../src-main/engine/reports'
import { capturedLocalImages, loadCaptured, type CapturedName } from '../engine/captured'

const LESSON_DIR = fileURLToPath(new URL('../../../resources/lesson/', import.meta.url))

export const lessonParts = (): LessonPart[] => LESSON_PART_IDS.map((id) => parseLessonPart(id, readFileSync(join(LESSON_DIR, `${id}.md`), 'utf8')))

export function analysisOf(name: CapturedName): ImageAnalysis {
  const { inspect, history } = loadCaptured(name)
  return analyzeImage({ inspect, history, localImages: capturedLocalImages() })
}

export const reportContext = (): ReportContext => ({
  tool: { name: 'layerlens', version: '0.1.0' },
  generatedAt: '2026-01-15T12:00:00.000Z',
  lessonParts: lessonParts(),
})

/** A contents summary with real numbers, from the golden snapshot's real layer files. */
export function contentsOf(analysis: ImageAnalysis, layerFiles: readonly LayerFiles[]): ContentsSummary {
  const { waste } = stackAndMeasureWaste(layerFiles)
  const dive = diveEfficiency(layerFiles)
  const stepOf = (layer: number): number => analysis.layers[layer]?.stepIndex ?? 0
  return {
    fileCount: layerFiles.reduce((sum, layer) => sum + layer.entries.length, 0),
    shippedBytes: waste.shippedBytes,
    finalBytes: waste.finalBytes,
    reclaimableBytes: waste.reclaimableBytes,
    layers: waste.byLayer.map((layer) => ({
      layerIndex: layer.layer,
      fileCount: layerFiles[layer.layer]!.entries.length,
      shippedBytes: layer.shippedBytes,
      reclaimableBytes: layer.reclaimableBytes,
    })),
    waste: waste.removals
      .filter((removal) => removal.bytes > 0)
      .slice(0, 5)
      .map((removal) => ({
        path: removal.path,
        reason: removal.reason,
        removedByStep: stepOf(removal.layer),
        bytes: removal.bytes,
        shippedBy: removal.bytesByAddingLayer.map((shipped) => ({ stepIndex: stepOf(shipped.layer), bytes: shipped.bytes })),
        sentence: `${removal.path}: ${removal.bytes} bytes still ship.`,
      })),
    dive: { efficiency: dive.score, wastedBytes: dive.wastedBytes },
  }
}
