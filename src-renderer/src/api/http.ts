// The browser twin of the preload bridge: the same Api, spoken over `layerlens serve`'s HTTP endpoint.
import type { Api, ApiError, Operation, Result } from '../../../src-preload/contract'

export function createHttpApi(token: string): Api {
  async function call<T>(operation: Operation, args: unknown[]): Promise<Result<T>> {
    const headers: Record<string, string> = { 'Content-Type': 'application/json' }
    if (token !== '') headers.Authorization = `Bearer ${token}`
    let response: Response
    try {
      // Without a token in memory (the page was reloaded) the server's session cookie may still admit us.
      response = await fetch(`/api/${operation}`, {
        method: 'POST',
        headers,
        body: JSON.stringify({ args }),
        cache: 'no-store',
        credentials: 'same-origin'
      })
    } catch {
      return failure(serverUnreachableError)
    }
    const body = await readJson(response)
    if (isResult<T>(body)) return body
    if (response.status === 401 || response.status === 403) return failure(token === '' ? missingTokenError : tokenRejectedError)
    return failure({
      code: 'INTERNAL',
      message: `The Layerlens server answered ${operation} with HTTP ${response.status} and no result.`,
      fix: 'Check the terminal running `layerlens serve` for an error, then press Retry.'
    })
  }

  return {
    engineInfo: () => call('engineInfo', []),
    listImages: () => call('listImages', []),
    listConnections: () => call('listConnections', []),
    selectConnection: (id) => call('selectConnection', [id]),
    watchEngine: (sinceRevision) => call('watchEngine', [sinceRevision]),
    analyzeImage: (ref) => call('analyzeImage', [ref]),
    lessonParts: () => call('lessonParts', []),
    startScan: (ref) => call('startScan', [ref]),
    scanStatus: (imageId) => call('scanStatus', [imageId]),
    cancelScan: (imageId) => call('cancelScan', [imageId]),
    layerFiles: (imageId, layerIndex, view) => call('layerFiles', [imageId, layerIndex, view]),
    attachDockerfile: (ref, dockerfilePath, contextDir) => call('attachDockerfile', [ref, dockerfilePath, contextDir]),
    checkDockerfile: (dockerfilePath, contextDir) => call('checkDockerfile', [dockerfilePath, contextDir]),
    applyFixes: (ref, dockerfilePath, contextDir, expectedOriginalSha256) => call('applyFixes', [ref, dockerfilePath, contextDir, expectedOriginalSha256]),
    compareImages: (refA, refB) => call('compareImages', [refA, refB]),
    listSamples: () => call('listSamples', []),
    openSample: (id) => call('openSample', [id]),
    openSnapshot: (text) => call('openSnapshot', [text]),
    openArchive: (path) => call('openArchive', [path]),
    exportSnapshot: (imageId) => call('exportSnapshot', [imageId]),
    imageReport: (imageId, format) => call('imageReport', [imageId, format])
  } satisfies Api
}

/**
 * Reads the access token from `?token=` and removes it from the address bar, so it does not
 * linger in history, bookmarks or screenshots. The token then lives only in memory.
 */
export function takeTokenFromAddressBar(): string {
  const url = new URL(window.location.href)
  const token = url.searchParams.get('token') ?? ''
  if (url.searchParams.has('token')) {
    url.searchParams.delete('token')
    window.history.replaceState(window.history.state, '', `${url.pathname}${url.search}${url.hash}`)
  }
  return token
}

const missingTokenError: ApiError = {
  code: 'INVALID_ARGUMENT',
  message: 'This page was opened without its access token, so the Layerlens server will not answer it.',
  fix: 'Open the full link that `layerlens serve` printed in the terminal (it ends in ?token=…). Reloading the page drops the token too; open the link again.'
}

const tokenRejectedError: ApiError = {
  code: 'INVALID_ARGUMENT',
  message: 'The Layerlens server refused this page’s access token.',
  fix: 'The server was probably restarted with a new token. Open the link it printed most recently.'
}

const serverUnreachableError: ApiError = {
  code: 'INTERNAL',
  message: 'The Layerlens server cannot be reached.',
  fix: 'Check that `layerlens serve` is still running in its terminal (start it again if it stopped), then press Retry.'
}

function failure(error: ApiError): Result<never> {
  return { ok: false, error }
}

async function readJson(response: Response): Promise<unknown> {
  try {
    return await response.json()
  } catch {
    return undefined
  }
}

function isResult<T>(body: unknown): body is Result<T> {
  if (typeof body !== 'object' || body === null || !('ok' in body)) return false
  if (body.ok === true) return 'value' in body
  return body.ok === false && 'error' in body && typeof body.error === 'object' && body.error !== null
}
