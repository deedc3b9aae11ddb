// Real Engine API metadata captured from the fixture images by scripts/fixtures/capture.sh.
import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { localImageOf } from '../../../src-main/engine/analyze'
import type { LocalImage } from '../../../src-main/engine/base'
import type { RawHistoryItem, RawImageInspect } from '../../../src-main/engine/raw'

export interface CapturedImage {
  inspect: RawImageInspect
  /** Newest first, as the engine returns it. */
  history: RawHistoryItem[]
}

const CAPTURED_DIR = fileURLToPath(new URL('../../fixtures/captured/', import.meta.url))

export type CapturedName =
  | 'debian_bookworm'
  | 'debian_bookworm-slim'
  | 'python_3.11'
  | 'python_3.11-slim'
  | 'lesson-before_classic'
  | 'lesson-before_buildkit'
  | 'lesson-after_classic'
  | 'lesson-after_buildkit'
  | 'docker-26_lesson-before_buildkit'
  | 'docker-26-containerd_lesson-before_buildkit'
  | 'podman-4.3_lesson-before_buildkit'

export function loadCaptured(name: CapturedName): CapturedImage {
  const parsed = JSON.parse(readFileSync(join(CAPTURED_DIR, `${name}.json`), 'utf8')) as CapturedImage
  return { inspect: parsed.inspect, history: parsed.history }
}

/** Every captured image, as the local image list base identification gets. */
export function capturedLocalImages(): LocalImage[] {
  return readdirSync(CAPTURED_DIR)
    .filter((file) => file.endsWith('.json'))
    .map((file) => loadCaptured(file.replace(/\.json$/, '') as CapturedName))
    .map(({ inspect, history }) => localImageOf(inspect, history))
}
