// Every way reading the engine can fail, turned into an ApiError that says what happened and what to do.
// Messages name endpoints and image references, never raw engine output or environment values
// other than the endpoint setting itself (with any credentials cut out).
import { escapeControlCharacters, type ApiError } from '../../src-preload/contract'
import type { Endpoint } from './endpoint'

/** A failure that already knows how to explain itself. */
export class SourceError extends Error {
  constructor(readonly apiError: ApiError) {
    super(apiError.message)
    this.name = 'SourceError'
  }
}

export class EngineTimeoutError extends Error {
  constructor(readonly operation: string, readonly milliseconds: number) {
    super(`${operation} took longer than ${milliseconds} ms`)
    this.name = 'EngineTimeoutError'
  }
}

/** The engine's image export sent no data for too long, before it began or in the middle. */
export class ExportStalledError extends Error {
  constructor(readonly milliseconds: number) {
    super(`the export sent no data for ${formatDuration(milliseconds)}`)
    this.name = 'ExportStalledError'
  }
}

export function formatDuration(milliseconds: number): string {
  return milliseconds < 1000 ? `${milliseconds} ms` : `${Math.round(milliseconds / 1000)} s`
}

const ACCEPTED_DOCKER_HOST_FORMS =
  'unix:///path/to/docker.sock, tcp://HOST:PORT (HOST:PORT alone means tcp), or npipe:////./pipe/docker_engine'

const FILE_SYSTEM_REASONS: Record<string, string> = {
  ENOENT: 'there is no such file',
  EISDIR: 'it is a folder, not a file',
  EACCES: 'this user may not read it',
  EPERM: 'this user may not read it'
}

/** The reason a file could not be read, for a message: its first line, bounded, control characters spelled out (it may quote a file or archive). */
export function reasonOf(error: unknown): string {
  const fileSystemReason = FILE_SYSTEM_REASONS[String((error as { code?: unknown } | null)?.code)]
  if (fileSystemReason !== undefined) return fileSystemReason
  return escapeControlCharacters(error instanceof Error ? error.message.split('\n')[0]!.slice(0, 300) : String(error))
}

/** An endpoint setting as it may be shown to the user: no credentials, no control characters, bounded. */
export function displayableSetting(value: string): string {
  const shown = escapeControlCharacters(value.replace(/^([a-z][a-z0-9+.-]*:\/\/)[^/@]*@/i, '$1'))
  return shown.length > 120 ? `${shown.slice(0, 120)}…` : shown
}

export function badDockerHost(value: string, origin: string, problem: string, fix?: string): SourceError {
  return new SourceError({
    code: 'BAD_DOCKER_HOST',
    message: `${origin} is set to "${displayableSetting(value)}", which Layerlens cannot use: ${problem}.`,
    fix:
      fix ??
      `Set DOCKER_HOST to one of: ${ACCEPTED_DOCKER_HOST_FORMS}. Or unset it (\`unset DOCKER_HOST\`) to use the current docker context or the default socket.`
  })
}

export function badDockerContext(contextName: string, origin: string, problem: string): SourceError {
  return new SourceError({
    code: 'BAD_DOCKER_HOST',
    message: `The docker context "${displayableSetting(contextName)}" (${origin}) cannot be used: ${problem}.`,
    fix: 'List the contexts with `docker context ls` and pick one with `docker context use NAME` (`docker context use default` for the local socket), or set DOCKER_HOST.'
  })
}

export function imageNotFound(ref: string): SourceError {
  return new SourceError({
    code: 'IMAGE_NOT_FOUND',
    message: `There is no image "${displayableSetting(ref)}" on this engine.`,
    fix: `List the local images with \`docker images\` (or \`podman images\`) and use one of their names or ids; build or pull "${displayableSetting(ref)}" first if it should be there.`
  })
}

const START_ENGINE_FIX =
  'Start the engine: `sudo systemctl start docker` on Linux, open Docker Desktop on macOS or Windows, or run `podman system service --time=0` for Podman. ' +
  'To use another engine, pick it from the engine menu at the top of the app, or set DOCKER_HOST (for example unix:///run/user/1000/podman/podman.sock) or switch with `docker context use NAME`.'

interface SystemError {
  code?: string
  syscall?: string
  statusCode?: number
}

function asSystemError(error: unknown): SystemError {
  return typeof error === 'object' && error !== null ? (error as SystemError) : {}
}

function whereFrom(endpoint: Endpoint): string {
  switch (endpoint.source) {
    case 'DOCKER_HOST':
      return ' (from DOCKER_HOST)'
    case 'docker-context':
      return ` (from the docker context "${displayableSetting(endpoint.contextName ?? '')}")`
    default:
      return ''
  }
}

function engineName(endpoint: Endpoint): string {
  return endpoint.source === 'podman-socket' ? 'Podman' : 'Docker'
}

export interface FailureContext {
  endpoint: Endpoint
  /** The image reference the operation was about, if any. */
  ref?: string
}

export function toApiError(error: unknown, context: FailureContext): ApiError {
  if (error instanceof SourceError) return error.apiError
  const { endpoint, ref } = context
  const at = `${displayableSetting(endpoint.url)}${whereFrom(endpoint)}`

  if (error instanceof EngineTimeoutError) {
    return {
      code: 'TIMEOUT',
      message: `The engine at ${at} did not answer in time (${error.operation}, ${formatDuration(error.milliseconds)}).`,
      fix: 'The engine may be busy or stuck: check it with `docker info`, restart it if it does not answer, then try again.'
    }
  }

  const { code, statusCode } = asSystemError(error)
  if (statusCode === 404 && ref !== undefined) return imageNotFound(ref).apiError
  if (statusCode === 400 && ref !== undefined) {
    return {
      code: 'INVALID_ARGUMENT',
      message: `The engine refused "${displayableSetting(ref)}" as an image reference.`,
      fix: 'Use an image id, an id prefix, or NAME:TAG as listed by `docker images`.'
    }
  }

  switch (code) {
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return {
        code: 'ENGINE_UNREACHABLE',
        message: `No engine can be reached at ${at}: the host name does not resolve.`,
        fix: `Check the host name in ${endpoint.source === 'docker-context' ? 'the docker context (`docker context inspect`)' : 'DOCKER_HOST'}: a bare name such as "myhost" means tcp://myhost:2375, as for the docker command. ${START_ENGINE_FIX}`
      }
    case 'ENOENT':
    case 'ECONNREFUSED':
    case 'ECONNRESET':
    case 'EHOSTUNREACH':
    case 'ENETUNREACH':
      return {
        code: 'ENGINE_UNREACHABLE',
        message: `${engineName(endpoint)} is not running at ${at}.`,
        fix: START_ENGINE_FIX
      }
    case 'ETIMEDOUT':
      return {
        code: 'TIMEOUT',
        message: `Connecting to ${at} timed out.`,
        fix: `Check that the engine host is up and reachable from here. ${START_ENGINE_FIX}`
      }
    case 'EACCES':
    case 'EPERM':
      return {
        code: 'PERMISSION_DENIED',
        message: `Permission denied on the engine socket ${at}: this user may not talk to ${engineName(endpoint)}.`,
        fix:
          endpoint.source === 'podman-socket'
            ? 'Use your own rootless Podman socket (`systemctl --user start podman.socket`, then DOCKER_HOST=unix://$XDG_RUNTIME_DIR/podman/podman.sock), or run as a user who may read the socket.'
            : 'Add yourself to the docker group: `sudo usermod -aG docker $USER`, then log out and back in (or run `newgrp docker`). Or point DOCKER_HOST at an engine socket you may use, such as rootless Docker or Podman.'
      }
  }

  if (typeof code === 'string' && (code.startsWith('ERR_TLS') || code.startsWith('CERT_') || code.includes('SELF_SIGNED') || code === 'EPROTO')) {
    return {
      code: 'ENGINE_UNREACHABLE',
      message: `The TLS connection to ${at} failed (${code}).`,
      fix: 'Check the certificates: DOCKER_CERT_PATH (or ~/.docker) must hold ca.pem, cert.pem and key.pem issued for this engine, and DOCKER_TLS_VERIFY must match how the engine listens.'
    }
  }

  return {
    code: 'INTERNAL',
    message: `Reading from the engine at ${at} failed unexpectedly${typeof statusCode === 'number' ? ` (HTTP ${statusCode})` : typeof code === 'string' ? ` (${code})` : ''}.`,
    fix: 'Check the engine with `docker info`. If it works there, this is a Layerlens bug: please report it with the command you ran.'
  }
}
