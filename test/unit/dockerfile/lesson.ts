// The lesson's Dockerfiles and the captured history of the images built from them.
import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { analyzeImage } from '../../../src-main/engine/analyze'
import type { Step } from '../../../src-main/engine/model'
import { capturedLocalImages, loadCaptured, type CapturedName } from '../engine/captured'

export const readRepoFile = (path: string): string => readFileSync(fileURLToPath(new URL(`../../../${path}`, import.meta.url)), 'utf8')

export const lessonDockerfile = (kind: 'before' | 'after'): string => readRepoFile(`test/fixtures/apps/lesson-fastapi/Dockerfile.${kind}`)

export const capturedSteps = (name: CapturedName): Step[] => analyzeImage({ ...loadCaptured(name), localImages: capturedLocalImages() }).steps
