// The contract between the renderer and the main process (or the `serve` server).
// Each operation is read-only. The renderer only ever sees this interface.
import type { ImageAnalysis, ImageSummary, LessonPart } from '../src-main/engine/model'

export type ErrorCode =
  | 'ENGINE_UNREACHABLE'
  | 'PERMISSION_DENIED'
  | 'BAD_DOCKER_HOST'
  | 'IMAGE_NOT_FOUND'
  | 'INVALID_ARGUMENT'
  | 'TIMEOUT'
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

export interface Api {
  engineInfo(): Promise<Result<EngineInfo>>
  listImages(): Promise<Result<ImageSummary[]>>
  /** `ref` is an image id, a short id prefix, or a name:tag. */
  analyzeImage(ref: string): Promise<Result<ImageAnalysis>>
  lessonParts(): Promise<Result<LessonPart[]>>
}

export type Operation = keyof Api

export const OPERATIONS = ['engineInfo', 'listImages', 'analyzeImage', 'lessonParts'] as const satisfies readonly Operation[]

/** The IPC channel of an operation. */
export const channelOf = (operation: Operation): string => `layerlens:${operation}`
