// Read-only access to the Docker Engine API (Podman serves the same API): GET requests only.
import { setTimeout as sleep } from 'node:timers/promises'
import type { EngineInfo } from '../../src-preload/contract'
import type { RawHistoryItem, RawImageInspect, RawImageListItem } from '../engine/raw'
import type { EngineConnection } from './connection'
import { EngineTimeoutError, SourceError, toApiError } from './errors'

interface VersionReply {
  Version?: string
  ApiVersion?: string
  Os?: string
  Arch?: string
  Platform?: { Name?: string }
  Components?: { Name?: string; Version?: string }[]
}

/** Image names keep their slashes in the path (`/images/library/python:3/json`); each segment is escaped. */
export const imagePath = (ref: string, what: 'json' | 'history' | 'get'): string => `/images/${ref.split('/').map(encodeURIComponent).join('/')}/${what}`

export class EngineSource {
  constructor(private readonly connection: EngineConnection) {}

  async engineInfo(): Promise<EngineInfo> {
    await this.get('ping', '/_ping')
    const version = await this.get<VersionReply>('version', '/version')
    const { endpoint } = this.connection
    const podman = podmanComponent(version)
    return {
      endpoint: endpoint.url,
      source: endpoint.source,
      ...(endpoint.contextName ? { contextName: endpoint.contextName } : {}),
      product: podman ? 'Podman' : 'Docker',
      version: podman?.Version ?? version.Version ?? 'unknown',
      apiVersion: version.ApiVersion ?? 'unknown',
      os: version.Os ?? 'unknown',
      architecture: version.Arch ?? 'unknown'
    }
  }

  // The replies are read as the engine's raw types: the Engine API's documented JSON, looser than
  // dockerode's typings (Podman sends null where Docker sends [] or {}).
  listImages(): Promise<RawImageListItem[]> {
    return this.get('list images', '/images/json')
  }

  inspectImage(ref: string): Promise<RawImageInspect> {
    return this.get('inspect', imagePath(ref, 'json'), ref)
  }

  /** Newest first, as the engine lists it. */
  imageHistory(ref: string): Promise<RawHistoryItem[]> {
    return this.get('history', imagePath(ref, 'history'), ref)
  }

  /** Metadata GETs are idempotent: one that timed out or lost its connection is tried once more, after a pause. */
  private async get<T>(operation: string, path: string, ref?: string): Promise<T> {
    try {
      return await this.getOnce<T>(operation, path)
    } catch (error) {
      if (!isTransient(error)) throw this.explain(error, ref)
    }
    await sleep(RETRY_DELAY_MS)
    try {
      return await this.getOnce<T>(operation, path)
    } catch (error) {
      throw this.explain(error, ref)
    }
  }

  /** One GET, abandoned (and its connection closed) when it outlasts the timeout. */
  private async getOnce<T>(operation: string, path: string): Promise<T> {
    const { client, timeoutMs } = this.connection
    const abort = new AbortController()
    const timer = setTimeout(() => abort.abort(new EngineTimeoutError(operation, timeoutMs)), timeoutMs)
    try {
      return await new Promise<T>((resolve, reject) => {
        client.modem.dial(
          { path, method: 'GET', abortSignal: abort.signal, statusCodes: { 200: true, 400: 'bad parameter', 404: 'not found', 500: 'server error' } },
          (error, reply) => (error ? reject(error) : resolve(reply as T))
        )
      })
    } catch (error) {
      throw abort.signal.aborted ? abort.signal.reason : error
    } finally {
      clearTimeout(timer)
    }
  }

  private explain(error: unknown, ref: string | undefined): SourceError {
    return new SourceError(toApiError(error, { endpoint: this.connection.endpoint, ...(ref !== undefined ? { ref } : {}) }))
  }
}

const RETRY_DELAY_MS = 500

/** A timeout or a dropped connection may pass; a refused connection or an HTTP error will not. */
function isTransient(error: unknown): boolean {
  if (error instanceof EngineTimeoutError) return true
  const code = (error as { code?: unknown } | null)?.code
  return code === 'ECONNRESET' || code === 'EPIPE'
}

// Podman's /version lists a "Podman Engine" component; Docker's lists "Engine".
function podmanComponent(version: VersionReply): { Version?: string } | undefined {
  const component = version.Components?.find((candidate) => /podman/i.test(candidate.Name ?? ''))
  if (component) return component
  return /podman/i.test(version.Platform?.Name ?? '') ? {} : undefined
}
