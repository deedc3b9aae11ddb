// `layerlens serve`: the renderer and the read-only API over HTTP, for browsers and headless hosts.
// Loopback by default; every request needs the token, a foreign Host or Origin is refused, and
// the operations that write files are refused too.
import { randomBytes, timingSafeEqual } from 'node:crypto'
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { MAX_SNAPSHOT_CHARS, type Api } from '../../src-preload/contract'
import { dispatch } from '../dispatch'
import { CONTENT_SECURITY_POLICY } from '../security'
import { loadStaticFiles, type StaticFile } from './static-files'

export interface ServerOptions {
  service: Api
  rendererDir: string
  port?: number
  host?: string
  /** Fixed token, for tests; a random one otherwise. */
  token?: string
}

export interface RunningServer {
  /** The address to open, with the token. */
  url: string
  token: string
  close(): Promise<void>
}

const MAX_BODY_BYTES = 64 * 1024
/** openSnapshot carries a whole snapshot file, escaped as a JSON string (its quotes double). */
const MAX_SNAPSHOT_BODY_BYTES = MAX_SNAPSHOT_CHARS * 2
const LOOPBACK_HOSTS = new Set(['127.0.0.1', 'localhost', '::1'])

export const isLoopback = (host: string): boolean => LOOPBACK_HOSTS.has(host) || host.startsWith('127.')

export async function startServer(options: ServerOptions): Promise<RunningServer> {
  const host = options.host ?? '127.0.0.1'
  const token = options.token ?? randomBytes(24).toString('base64url')
  const files = await loadStaticFiles(options.rendererDir)
  let allowedHosts = new Set<string>()
  let cookieName = 'layerlens_token'

  const server = createServer((request, response) => {
    handle(request, response).catch(() => send(response, 500, 'text/plain', 'Internal error.'))
  })

  async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const hostHeader = request.headers.host ?? ''
    if (!allowedHosts.has(hostHeader)) return send(response, 421, 'text/plain', 'Unknown host.')
    const origin = request.headers.origin
    if (origin !== undefined && origin !== `http://${hostHeader}`) return send(response, 403, 'text/plain', 'Foreign origin.')

    const url = new URL(request.url ?? '/', `http://${hostHeader}`)
    const queryToken = request.method === 'GET' ? url.searchParams.get('token') : null
    const presented = bearerToken(request) ?? cookieToken(request, cookieName) ?? queryToken
    if (presented === null || !sameSecret(presented, token)) {
      return send(response, 401, 'text/plain', 'Open the address printed by `layerlens serve`: it carries the access token.')
    }
    if (queryToken !== null) {
      response.setHeader('Set-Cookie', `${cookieName}=${token}; HttpOnly; SameSite=Strict; Path=/`)
    }

    if (url.pathname.startsWith('/api/')) {
      if (request.method !== 'POST') return send(response, 405, 'text/plain', 'API calls are POST.')
      const operation = url.pathname.slice('/api/'.length)
      const body = await readJsonBody(request, operation === 'openSnapshot' ? MAX_SNAPSHOT_BODY_BYTES : MAX_BODY_BYTES)
      if (body === undefined) return send(response, 400, 'text/plain', 'Expected a JSON body within the size limit (64 KiB; 50 MB for a snapshot).')
      const args = typeof body === 'object' && body !== null && 'args' in body ? body.args : undefined
      const result = await dispatch(options.service, operation, args, { readOnly: true })
      return send(response, 200, 'application/json', JSON.stringify(result))
    }

    if (request.method !== 'GET' && request.method !== 'HEAD') return send(response, 405, 'text/plain', 'Read-only.')
    const file = files.get(url.pathname === '/' ? '/index.html' : url.pathname)
    if (!file) return send(response, 404, 'text/plain', 'Not found.')
    return sendFile(response, file)
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(options.port ?? 0, host, () => resolve())
  })
  const { port } = server.address() as AddressInfo
  cookieName = `layerlens_token_${port}`
  const hostNames = isLoopback(host) ? ['127.0.0.1', 'localhost', '[::1]'] : [host.includes(':') ? `[${host}]` : host]
  allowedHosts = new Set(hostNames.map((name) => `${name}:${port}`))
  const urlHost = host.includes(':') ? `[${host}]` : host

  return {
    url: `http://${urlHost}:${port}/?token=${token}`,
    token,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve())
        // Pages long-poll watchEngine on kept-alive connections, which would hold the close open for ever.
        server.closeAllConnections()
      })
  }
}

function bearerToken(request: IncomingMessage): string | null {
  const header = request.headers.authorization
  return header?.startsWith('Bearer ') ? header.slice('Bearer '.length) : null
}

function cookieToken(request: IncomingMessage, name: string): string | null {
  for (const part of (request.headers.cookie ?? '').split(';')) {
    const [key, value] = part.trim().split('=')
    if (key === name && value) return value
  }
  return null
}

function sameSecret(presented: string, token: string): boolean {
  const a = Buffer.from(presented)
  const b = Buffer.from(token)
  return a.length === b.length && timingSafeEqual(a, b)
}

async function readJsonBody(request: IncomingMessage, maxBytes: number): Promise<unknown> {
  const chunks: Buffer[] = []
  let length = 0
  for await (const chunk of request) {
    length += (chunk as Buffer).length
    if (length > maxBytes) return undefined
    chunks.push(chunk as Buffer)
  }
  try {
    return JSON.parse(Buffer.concat(chunks).toString('utf8')) as unknown
  } catch {
    return undefined
  }
}

function securityHeaders(response: ServerResponse): void {
  response.setHeader('Content-Security-Policy', CONTENT_SECURITY_POLICY)
  response.setHeader('X-Content-Type-Options', 'nosniff')
  response.setHeader('Referrer-Policy', 'no-referrer')
  response.setHeader('Cross-Origin-Opener-Policy', 'same-origin')
  response.setHeader('Cross-Origin-Resource-Policy', 'same-origin')
}

function send(response: ServerResponse, status: number, contentType: string, body: string): void {
  securityHeaders(response)
  response.writeHead(status, { 'Content-Type': `${contentType}; charset=utf-8`, 'Cache-Control': 'no-store' })
  response.end(body)
}

function sendFile(response: ServerResponse, file: StaticFile): void {
  securityHeaders(response)
  response.writeHead(200, { 'Content-Type': file.contentType, 'Cache-Control': 'no-cache' })
  response.end(file.body)
}
