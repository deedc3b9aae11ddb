// A real image's analysis and layer files, read from the daemon's own export (docker save) of a fixture
// image. Only the golden-snapshot writer uses it; the tests read the golden file it wrote.
import { spawn } from 'node:child_process'
import type { Readable } from 'node:stream'
import { analyzeImage } from '../../../src-main/engine/analyze'
import type { LayerFiles } from '../../../src-main/engine/files/types'
import type { ImageAnalysis } from '../../../src-main/engine/model'
import type { RawImageConfig } from '../../../src-main/engine/raw'
import { readImageArchive } from '../../../src-main/sources/archive/archive-reader'
import { capturedLocalImages, loadCaptured, type CapturedName } from '../engine/captured'

export interface RealImage {
  analysis: ImageAnalysis
  layerFiles: LayerFiles[]
}

const FIXTURE_IMAGES: Partial<Record<CapturedName, string>> = {
  'lesson-before_buildkit': 'layerlens-fixtures/lesson-before:buildkit',
  'lesson-after_buildkit': 'layerlens-fixtures/lesson-after:buildkit',
}

export async function readRealImage(name: CapturedName): Promise<RealImage> {
  const ref = FIXTURE_IMAGES[name]
  if (ref === undefined) throw new Error(`no fixture image for ${name}`)
  const save = spawn('/usr/bin/docker', ['save', ref], { stdio: ['ignore', 'pipe', 'inherit'] })
  const archive = await readImageArchive(save.stdout as Readable, { imageRef: ref })
  const { inspect, history } = loadCaptured(name)
  const analysis = analyzeImage({ inspect, history, localImages: capturedLocalImages(), config: archive.config as RawImageConfig })
  const byIndex = [...archive.layers].sort((a, b) => a.index - b.index)
  return { analysis, layerFiles: byIndex.map((layer) => layer.files) }
}
