// The contract between the renderer and the main process (or the `serve` server).
// Each operation is read-only. The renderer only ever sees this interface.
import type { ContentsSummary, FileRow, ImageAnalysis, ImageSummary, LessonPart } from '../src-main/engine/model'

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
  'layerFiles'
] as const satisfies readonly Operation[]

/** The IPC channel of an operation. */
export const channelOf = (operation: Operation): string => `layerlens:${operation}`
