// The metadata each engine reports for the same image (lesson-before:buildkit, captured from Docker 26, its
// containerd store and podman by scripts/fixtures/capture.sh) analyses as Docker 20.10's does: podman's
// history ids and tags, and the containerd store's manifest-digest ids, change nothing but what
// engine-parity.ts lets differ.
import { describe, expect, it } from 'vitest'
import { analyzeImage } from '../../../src-main/engine/analyze'
import { capturedLocalImages, loadCaptured, type CapturedName } from './captured'
import { comparableAnalysis } from './engine-parity'

const analyzeCaptured = (name: CapturedName) => analyzeImage({ ...loadCaptured(name), localImages: capturedLocalImages() })

describe('lesson-before:buildkit as each engine reports it', () => {
  const reference = analyzeCaptured('lesson-before_buildkit')

  it.each(['docker-26_lesson-before_buildkit', 'docker-26-containerd_lesson-before_buildkit', 'podman-4.3_lesson-before_buildkit'] as const)(
    '%s analyses as Docker 20.10 does',
    (name) => {
      const analysis = analyzeCaptured(name)
      expect(analysis.steps.map((step) => step.instruction)).toEqual(reference.steps.map((step) => step.instruction))
      expect(comparableAnalysis(analysis)).toEqual(comparableAnalysis(reference))
    }
  )
})
