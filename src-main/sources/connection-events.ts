// The engine's events stream, narrowed to the image events that change the image list. Docker 20.10 and
// 26 (with or without the containerd store) and Podman all send newline-separated JSON objects here.
import type { ApiError } from '../../src-preload/contract'
import type { EngineConnection } from './connection'
import { EngineTimeoutError, toApiError } from './errors'

/** Image actions that leave the list as it was; `save` is also what every Layerlens scan causes. */
const UNCHANGING_ACTIONS = new Set(['save', 'push', 'mount', 'unmount'])

export interface ImageEvents {
  /** Settles when the stream ends or breaks (not when closed): why it was lost. */
  lost: Promise<ApiError>
  close(): void
}

/** Subscribes to image events; resolves once the engine has answered, rejects with an ApiError when it does not. */
export function followImageEvents(connection: EngineConnection, onListChange: () => void): Promise<ImageEvents> {
  const { client, endpoint, timeoutMs } = connection
  const abort = new AbortController()
  const explain = (error: unknown): ApiError => toApiError(error, { endpoint })
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => abort.abort(new EngineTimeoutError('events', timeoutMs)), timeoutMs)
    client.getEvents({ filters: { type: ['image'] }, abortSignal: abort.signal }, (error, stream) => {
      clearTimeout(timer)
      if (error || stream === undefined) return reject(explain(abort.signal.aborted ? abort.signal.reason : error))
      const lost = new Promise<ApiError>((settle) => {
        const end = (cause: unknown) => {
          if (!abort.signal.aborted) settle(explain(cause))
        }
        stream.on('error', end)
        stream.on('end', () => end(Object.assign(new Error('the events stream ended'), { code: 'ECONNRESET' })))
        stream.on('close', () => end(Object.assign(new Error('the events stream closed'), { code: 'ECONNRESET' })))
      })
      stream.on('data', splitLines((line) => {
        if (changesList(line)) onListChange()
      }))
      resolve({ lost, close: () => abort.abort() })
    })
  })
}

function splitLines(onLine: (line: string) => void): (chunk: Buffer) => void {
  let pending = ''
  return (chunk) => {
    const lines = (pending + chunk.toString('utf8')).split('\n')
    pending = lines.pop() ?? ''
    for (const line of lines) if (line.trim() !== '') onLine(line)
  }
}

/** Whether one line of the events stream may change the image list. One we cannot read counts: a needless refresh beats a stale list. */
export function changesList(line: string): boolean {
  try {
    const event = JSON.parse(line) as { Action?: unknown; status?: unknown }
    const action = typeof event.Action === 'string' ? event.Action : event.status
    return typeof action !== 'string' || !UNCHANGING_ACTIONS.has(action)
  } catch {
    return true
  }
}
