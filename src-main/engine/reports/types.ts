// What every report builder takes: the audited images, each analysed or failed, and the context.
import type { ContextReport } from '../dockerfile'
import type { ContentsSummary, Finding, ImageAnalysis, LessonPart, SourceLocation } from '../model'
import type { ThresholdCheck } from '../settings/thresholds'

export interface ReportTool {
  name: 'layerlens'
  version: string
}

export interface ReportContext {
  tool: ReportTool
  /** ISO time; passed in so reports stay pure and reproducible. */
  generatedAt: string
  /** For lesson titles, and SARIF rule help. */
  lessonParts: readonly LessonPart[]
}

export interface DockerfileReference {
  /** Relative to the repository root, forward slashes (`services/api/Dockerfile`): SARIF's artifact URI. */
  uri: string
  /** Where each history step was written, by step index, when the Dockerfile was mapped onto the history. */
  stepLocations?: Readonly<Record<number, SourceLocation>>
}

export interface AnalyzedImage {
  ref: string
  status: 'analyzed'
  analysis: ImageAnalysis
  /** Present when the layers were read. */
  contents?: ContentsSummary
  thresholds?: ThresholdCheck[]
  dockerfile?: DockerfileReference
  /** The build-context check, when a context folder was given. */
  buildContext?: ContextReport
}

/** `layerlens audit --dockerfile PATH` with no image: the Dockerfile's own findings and its build context. */
export interface DockerfileAudit {
  uri: string
  findings: Finding[]
  buildContext?: ContextReport
}

export interface FailedImage {
  ref: string
  status: 'failed'
  error: { code: string; message: string; fix: string }
}

export type ReportImage = AnalyzedImage | FailedImage

export const analyzedImages = (images: readonly ReportImage[]): AnalyzedImage[] =>
  images.filter((image): image is AnalyzedImage => image.status === 'analyzed')

export const LESSON_BASE_URI = 'https://github.com/layerlens/layerlens/blob/main/resources/lesson/'

export const lessonUri = (part: string): string => `${LESSON_BASE_URI}${part}.md`
