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
  /** An image archive file (`docker save -o`, an OCI layout tar) could not be read. */
  | 'ARCHIVE_UNREADABLE'
  /** A writing operation was asked of a read-only front door (`layerlens serve`). */
  | 'READ_ONLY'
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

/** An engine the user may pick in the app; `listConnections` checks whether each one answers. */
export interface ConnectionChoice {
  /** e.g. `docker-host`, `default-socket`, `context:NAME`, `podman:/run/podman/podman.sock`. */
  id: string
  label: string
  /** The address in canonical form; absent when the settings cannot be used (`error` says why). */
  url?: string
  source: EngineInfo['source']
  contextName?: string
  /** The one the environment names (DOCKER_HOST, else the current docker context, else a local socket). */
  environmentDefault: boolean
  /** The one every operation uses now. */
  selected: boolean
  /** Present when the engine answered. */
  engine?: Pick<EngineInfo, 'product' | 'version' | 'apiVersion'>
  /** Why it cannot be used or did not answer. */
  error?: ApiError
}

/**
 * How the main process follows the selected engine's events. `connected`: listening; `reconnecting`: the
 * engine was lost and is tried again with growing pauses; `unreachable`: it has not answered since it was chosen.
 */
export type WatchState = 'connected' | 'reconnecting' | 'unreachable'

export interface EngineWatchStatus {
  /** Moves on every change of this status; pass it back to `watchEngine` to wait for the next one. */
  revision: number
  /** Moves when the image list may have changed: image events, and each time the watch (re)connects. */
  generation: number
  connectionId: string
  /** Picked in the app with selectConnection, rather than named by the environment. */
  chosenInApp: boolean
  /** The address being followed, when its settings are usable. */
  endpoint?: string
  state: WatchState
  /** Failed attempts in a row. */
  attempt: number
  /** Until the next attempt, while not connected. */
  nextRetryMs?: number
  error?: ApiError
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
  /** The engines the user may pick, each probed once (a few seconds at most). */
  listConnections(): Promise<Result<ConnectionChoice[]>>
  /** Makes every operation use this engine (an id from listConnections); nothing on the engine changes. */
  selectConnection(id: string): Promise<Result<ConnectionChoice>>
  /** Waits (up to about 25 s) until the status differs from `sinceRevision`, then returns it: a long poll. */
  watchEngine(sinceRevision: number): Promise<Result<EngineWatchStatus>>
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
  /**
   * Reads an image archive file on this machine (`docker save -o`, `podman save`, an OCI layout tar) by its
   * absolute path, with no engine, and opens it like a snapshot: its `imageId` is a handle of its own.
   */
  openArchive(path: string): Promise<Result<ScanStatus>>
  /** The `.layerlens.json` text of an opened snapshot, or of an image whose scan is done. Secret values stay masked. */
  exportSnapshot(imageId: string): Promise<Result<string>>
  /** A report of an opened snapshot or a scanned image: a self-contained HTML page, or Markdown. */
  imageReport(imageId: string, format: ReportFormat): Promise<Result<string>>
}

export type Operation = keyof Api

export const OPERATIONS = [
  'engineInfo',
  'listImages',
  'listConnections',
  'selectConnection',
  'watchEngine',
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
  'openArchive',
  'exportSnapshot',
  'imageReport'
] as const satisfies readonly Operation[]

/** C0 and C1 control characters but newline and tab. */
const CONTROL_CHARACTERS = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g

/**
 * Image metadata may carry terminal escape sequences: every front door shows its control
 * characters spelled out (`\u001b[31m`), so they print literally instead of driving a terminal.
 */
export function escapeControlCharacters(text: string): string {
  return text.replace(CONTROL_CHARACTERS, (character) => `\\u${character.charCodeAt(0).toString(16).padStart(4, '0')}`)
}

/** A local path as the service needs it: absolute, POSIX (`/home/…`) or Windows (`C:\\…`, `\\\\server\\…`). */
export function isAbsoluteLocalPath(path: string): boolean {
  return path.startsWith('/') || /^[A-Za-z]:[\\/]/.test(path) || path.startsWith('\\\\')
}

/** The sites a lesson's "Learn more" link may point to: the only pages Layerlens ever opens outside itself. */
export const LESSON_LINK_HOSTS: readonly string[] = ['docs.docker.com']

/** An https link, with no credentials or port, to a lesson site: the desktop app opens it in the user's browser. */
export function isLessonLink(url: string): boolean {
  if (!URL.canParse(url)) return false
  const parsed = new URL(url)
  return parsed.protocol === 'https:' && parsed.username === '' && parsed.password === '' && parsed.port === '' && LESSON_LINK_HOSTS.includes(parsed.hostname)
}

/** The operations that change files; `layerlens serve` refuses them. */
export const WRITING_OPERATIONS: readonly Operation[] = ['applyFixes']

/** The IPC channel of an operation. */
export const channelOf = (operation: Operation): string => `layerlens:${operation}`
