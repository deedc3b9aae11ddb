// The contract between the renderer and the main process (or the `serve` server).
// Each operation is read-only, except applyFixes, which writes only on the user's confirm. The renderer only ever sees this interface.
import type { ImageComparison } from '../src-main/engine/compare'
import type { ContextReport, DockerfileMapping, FixPlan } from '../src-main/engine/dockerfile'
import type { ContentsSummary, FileRow, Finding, ImageAnalysis, ImageSummary, LessonPart, Severity } from '../src-main/engine/model'

export type ErrorCode =
  | 'ENGINE_UNREACHABLE'
  | 'PERMISSION_DENIED'
  | 'BAD_DOCKER_HOST'
  | 'IMAGE_NOT_FOUND'
  | 'INVALID_ARGUMENT'
  | 'TIMEOUT'
  /** The engine's export of an image ended early or could not be read as an image archive. */
  | 'EXPORT_INCOMPLETE'
  | 'INTERNAL'

export interface ApiError {
  code: ErrorCode
  /** What went wrong, in plain words. */
  message: string
  /** What the user can do about it. */
  fix: string
}

/** Errors cross IPC and HTTP as data, so their code and fix survive the trip. */
export type Result<T> = { ok: true; value: T } | { ok: false; error: ApiError }

export interface EngineInfo {
  /** Where we connect, e.g. `unix:///var/run/docker.sock`. */
  endpoint: string
  /** Why that endpoint was chosen. */
  source: 'DOCKER_HOST' | 'docker-context' | 'default-socket' | 'podman-socket'
  contextName?: string
  product: 'Docker' | 'Podman'
  version: string
  apiVersion: string
  os: string
  architecture: string
}

export type ScanState = 'running' | 'done' | 'failed' | 'cancelled'

/** Where the read of an image's layers stands. Polled by the renderer while it runs. */
export interface ScanStatus {
  imageId: string
  state: ScanState
  bytesRead: number
  /** An estimate while the export streams (the image size), exact once done. */
  totalBytes: number
  layersDone: number
  layerCount: number
  /**
   * The analysis, with file-level findings merged in as layers arrive; complete when `state` is `done`.
   * History-only hints that the files confirm or clear are replaced.
   */
  analysis: ImageAnalysis
  contents?: ContentsSummary
  /** Why the scan failed or stopped. */
  error?: ApiError
}

export type FileView = 'layer' | 'cumulative'

/** A snapshot bundled in `resources/samples`: opens with no engine. */
export interface SampleSummary {
  id: string
  title: string
  description: string
  imageName: string
  size: number
  findingCounts: Array<{ severity: Severity; count: number }>
}

export type ReportFormat = 'html' | 'markdown'

/** The largest snapshot text `openSnapshot` takes. */
export const MAX_SNAPSHOT_CHARS = 50 * 1024 * 1024

/** A Dockerfile (and optionally its build context) read on its own; nothing is written. */
export interface DockerfileCheck {
  dockerfilePath: string
  contextDir: string | null
  /** The Dockerfile as read. */
  text: string
  /** Of the Dockerfile and .dockerignore the proposal was made from; applyFixes refuses when they changed. */
  originalSha256: string
  /** Findings only the Dockerfile shows, each with its line and column. */
  findings: Finding[]
  /** Present when a context folder was given. */
  context?: ContextReport
  fixes: FixPlan
  /** What applyFixes would write, and where each original would be kept. */
  writes: Array<{ path: string; backupPath?: string }>
}

/** A Dockerfile check read against an image, each history step mapped to its line; nothing is written. */
export interface DockerfileAttachment extends DockerfileCheck {
  imageId: string
  mapping: DockerfileMapping
}

export interface AppliedFixes {
  /** Each file written, its backup (absent for a file that did not exist) and its new text. */
  written: Array<{ path: string; backupPath?: string; text: string }>
}

export interface Api {
  engineInfo(): Promise<Result<EngineInfo>>
  listImages(): Promise<Result<ImageSummary[]>>
  /** `ref` is an image id, a short id prefix, or a name:tag. */
  analyzeImage(ref: string): Promise<Result<ImageAnalysis>>
  lessonParts(): Promise<Result<LessonPart[]>>
  /** Starts reading the image's layers, or joins the read already running or done for that image. */
  startScan(ref: string): Promise<Result<ScanStatus>>
  scanStatus(imageId: string): Promise<Result<ScanStatus>>
  cancelScan(imageId: string): Promise<Result<ScanStatus>>
  /**
   * The files of a scanned image at one layer: `layer` lists what that layer changed (added, modified,
   * removed); `cumulative` lists the whole filesystem as it stands after that layer, marking what it changed.
   */
  layerFiles(imageId: string, layerIndex: number, view: FileView): Promise<Result<FileRow[]>>
  /** Reads an absolute-path Dockerfile (and context folder) against the image: mapping, findings, context check, fixes. */
  attachDockerfile(ref: string, dockerfilePath: string, contextDir: string | null): Promise<Result<DockerfileAttachment>>
  /** Reads an absolute-path Dockerfile (and context folder) on its own, with no image: findings, context check, fixes. */
  checkDockerfile(dockerfilePath: string, contextDir: string | null): Promise<Result<DockerfileCheck>>
  /**
   * The one writing operation, called only on the user's confirm: writes the proposed Dockerfile (and
   * .dockerignore), keeping each original as `<name>.orig`, unless the files changed since the proposal.
   * `ref` is the image the Dockerfile was attached to, or null for a Dockerfile checked on its own.
   */
  applyFixes(ref: string | null, dockerfilePath: string, contextDir: string | null, expectedOriginalSha256: string): Promise<Result<AppliedFixes>>
  /** Scans both images and compares them: sizes per step, findings, files by folder, base images, a verdict. */
  compareImages(refA: string, refB: string): Promise<Result<ImageComparison>>
  listSamples(): Promise<Result<SampleSummary[]>>
  /**
   * Opens a bundled sample, or the text of a `.layerlens.json` file, as a finished scan. Its `imageId` is a
   * handle of the snapshot's own (never the image's real id): until the service stops, analyzeImage,
   * startScan, scanStatus, layerFiles, exportSnapshot and imageReport answer it from the snapshot.
   */
  openSample(id: string): Promise<Result<ScanStatus>>
  openSnapshot(text: string): Promise<Result<ScanStatus>>
  /** The `.layerlens.json` text of an opened snapshot, or of an image whose scan is done. Secret values stay masked. */
  exportSnapshot(imageId: string): Promise<Result<string>>
  /** A report of an opened snapshot or a scanned image: a self-contained HTML page, or Markdown. */
  imageReport(imageId: string, format: ReportFormat): Promise<Result<string>>
}

export type Operation = keyof Api

export const OPERATIONS = [
  'engineInfo',
  'listImages',
  'analyzeImage',
  'lessonParts',
  'startScan',
  'scanStatus',
  'cancelScan',
  'layerFiles',
  'attachDockerfile',
  'checkDockerfile',
  'applyFixes',
  'compareImages',
  'listSamples',
  'openSample',
  'openSnapshot',
  'exportSnapshot',
  'imageReport'
] as const satisfies readonly Operation[]

/** The IPC channel of an operation. */
export const channelOf = (operation: Operation): string => `layerlens:${operation}`
