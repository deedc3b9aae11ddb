// `layerlens serve` as an attacker meets it over raw HTTP: loopback only, the token on every
// request, no foreign Host or Origin (DNS rebinding), the allowlist and its argument checks, and
// no write. The server is the one the global setup started, with its default options.
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs'
import { request } from 'node:http'
import { networkInterfaces, tmpdir } from 'node:os'
import { join } from 'node:path'
import { OPERATIONS, WRITING_OPERATIONS, type DockerfileCheck, type Result } from '../../src-preload/contract'
import { copyLessonApp } from '../fixtures/lesson-app'
import { callApi, expect, serverUrl, test } from './server'

interface RawResponse {
  status: number
  headers: Record<string, string | string[] | undefined>
  body: string
}

interface RawRequest {
  method?: string
  path?: string
  headers?: Record<string, string>
  body?: string
  /** Connect here instead of the server's own address (same port). */
  connectTo?: string
}

/** One HTTP request with exactly these headers, Host included (fetch would refuse to set it). */
function raw({ method = 'GET', path = '/', headers = {}, body, connectTo }: RawRequest): Promise<RawResponse> {
  const url = serverUrl()
  return new Promise((resolve, reject) => {
    const sent = request({ host: connectTo ?? url.hostname, port: url.port, method, path, headers, setHost: false, timeout: 10_000 }, (response) => {
      const chunks: Buffer[] = []
      response.on('data', (chunk: Buffer) => chunks.push(chunk))
      response.on('end', () => resolve({ status: response.statusCode ?? 0, headers: response.headers, body: Buffer.concat(chunks).toString('utf8') }))
    })
    sent.on('timeout', () => sent.destroy(new Error('no answer within 10 s')))
    sent.on('error', reject)
    sent.end(body)
  })
}

const token = (): string => serverUrl().searchParams.get('token')!
const host = (): string => serverUrl().host
const authorized = (extra: Record<string, string> = {}): Record<string, string> => ({ Host: host(), Authorization: `Bearer ${token()}`, ...extra })

/** POST /api/<operation> with a JSON body, authorized unless headers say otherwise. */
async function apiCall(operation: string, body: unknown, headers: Record<string, string> = authorized()): Promise<RawResponse> {
  return raw({ method: 'POST', path: `/api/${operation}`, headers: { 'Content-Type': 'application/json', ...headers }, body: JSON.stringify(body) })
}

const resultOf = (response: RawResponse): Result<unknown> => JSON.parse(response.body) as Result<unknown>

test('it listens on loopback only: another address of this machine gets no answer', async () => {
  expect(serverUrl().hostname).toBe('127.0.0.1')
  const external = Object.values(networkInterfaces())
    .flat()
    .find((address) => address !== undefined && address.family === 'IPv4' && !address.internal)
  test.skip(external === undefined, 'This machine has no non-loopback IPv4 address to try.')
  await expect(raw({ connectTo: external!.address, headers: authorized() })).rejects.toThrow(/ECONNREFUSED/)
})

test('every path needs the token: none or a wrong one gets 401, and the page carries none', async () => {
  const page = (await raw({ headers: authorized() })).body
  const asset = /src="\.?(\/assets\/[^"]+\.js)"/.exec(page)?.[1]
  expect(asset, 'index.html names its script').toBeDefined()
  const script = await raw({ path: asset!, headers: authorized() })
  expect(script.status).toBe(200)
  expect(page + script.body, 'the token lives only in the address and the cookie').not.toContain(token())
  for (const path of ['/', '/index.html', asset!, '/favicon.svg', '/no-such-file']) {
    expect((await raw({ path, headers: { Host: host() } })).status, `GET ${path} without a token`).toBe(401)
    expect((await raw({ path, headers: { Host: host(), Authorization: 'Bearer wrong' } })).status, `GET ${path} with a wrong token`).toBe(401)
    expect((await raw({ path, headers: { Host: host(), Cookie: `layerlens_token_${serverUrl().port}=${token()}x` } })).status).toBe(401)
  }
  const noToken = await apiCall('listImages', { args: [] }, { Host: host() })
  expect(noToken.status).toBe(401)
  expect(noToken.body).not.toContain('"ok"')
  // A query token opens the page (GET) only; an API call must carry the header or the cookie.
  const queryOnPost = await raw({ method: 'POST', path: `/api/listImages?token=${token()}`, headers: { Host: host(), 'Content-Type': 'application/json' }, body: '{"args":[]}' })
  expect(queryOnPost.status).toBe(401)
})

test('the token in the address becomes an HttpOnly, SameSite=Strict cookie that then admits the page', async () => {
  const opened = await raw({ path: `/?token=${token()}`, headers: { Host: host() } })
  expect(opened.status).toBe(200)
  const cookie = String(opened.headers['set-cookie'])
  expect(cookie).toMatch(/HttpOnly/)
  expect(cookie).toMatch(/SameSite=Strict/)
  const pair = cookie.split(';')[0]!
  const withCookie = await apiCall('listSamples', { args: [] }, { Host: host(), Cookie: pair })
  expect(resultOf(withCookie).ok).toBe(true)
  expect(opened.headers['content-security-policy']).toContain("script-src 'self'")
  expect(opened.headers['x-content-type-options']).toBe('nosniff')
  expect(opened.headers['referrer-policy']).toBe('no-referrer')
})

test('a foreign Host or Origin is refused even with the token (DNS rebinding, cross-site requests)', async () => {
  const port = serverUrl().port
  for (const foreignHost of [`evil.example:${port}`, 'evil.example', `127.0.0.1.evil.example:${port}`, `localhost:${Number(port) + 1}`, `[::1]:${Number(port) + 1}`]) {
    const page = await raw({ headers: { ...authorized(), Host: foreignHost } })
    expect(page.status, `GET / with Host: ${foreignHost}`).toBe(421)
    const call = await apiCall('listImages', { args: [] }, authorized({ Host: foreignHost }))
    expect(call.status, `POST with Host: ${foreignHost}`).toBe(421)
    expect(call.body).not.toContain('"ok"')
  }
  for (const origin of ['http://evil.example', `http://evil.example:${port}`, 'null', `https://${host()}`, `http://localhost:${Number(port) + 1}`]) {
    const call = await apiCall('listImages', { args: [] }, authorized({ Origin: origin }))
    expect(call.status, `POST with Origin: ${origin}`).toBe(403)
    expect(call.body).not.toContain('"ok"')
  }
  expect((await raw({ headers: { Authorization: `Bearer ${token()}` } })).status, 'no Host header at all').not.toBe(200)
  // The other loopback spellings of the same port are this server.
  for (const sameHost of [`localhost:${port}`, `127.0.0.1:${port}`]) {
    const call = await apiCall('listSamples', { args: [] }, authorized({ Host: sameHost, Origin: `http://${sameHost}` }))
    expect(resultOf(call).ok, `Host and Origin ${sameHost}`).toBe(true)
  }
})

test('the API answers exactly the allowlist, and refuses bad arguments before they reach the engine', async () => {
  for (const operation of OPERATIONS) {
    // Arguments no operation takes: a known operation says so (a writing one refuses first), which proves it is on the list.
    const result = resultOf(await apiCall(operation, { args: [{ not: 'an argument' }, 1, 2, 3, 4, 5] }))
    const expected = WRITING_OPERATIONS.includes(operation)
      ? { code: 'READ_ONLY' }
      : { code: 'INVALID_ARGUMENT', message: expect.stringContaining(`Invalid arguments for ${operation}`) }
    expect(result, operation).toMatchObject({ ok: false, error: expected })
  }
  for (const unknown of ['deleteImage', 'constructor', '__proto__', 'toString', 'hasOwnProperty', 'ANALYZEIMAGE', 'analyzeImage/../listImages', '']) {
    const result = resultOf(await apiCall(encodeURIComponent(unknown), { args: [] }))
    expect(result, unknown).toMatchObject({ ok: false, error: { code: 'INVALID_ARGUMENT', message: expect.stringContaining('There is no operation') } })
  }

  const imageId = `sha256:${'a'.repeat(64)}`
  const badCalls: Array<[string, unknown]> = [
    ['listImages', { args: ['extra'] }],
    ['analyzeImage', { args: [42] }],
    ['analyzeImage', { args: ['alpine', 'extra'] }],
    ['analyzeImage', { args: [] }],
    ['analyzeImage', { args: ['../../etc/passwd'] }],
    ['analyzeImage', { args: ['-a'] }],
    ['analyzeImage', { args: { 0: 'alpine', length: 1 } }],
    ['analyzeImage', {}],
    ['analyzeImage', ['alpine']],
    ['scanStatus', { args: ['not-an-id'] }],
    ['layerFiles', { args: [imageId, -1, 'layer'] }],
    ['layerFiles', { args: [imageId, 0.5, 'layer'] }],
    ['layerFiles', { args: [imageId, 0, 'everything'] }],
    ['checkDockerfile', { args: ['relative/Dockerfile', null] }],
    ['checkDockerfile', { args: ['/tmp/Dockerfile\u0000', null] }],
    ['imageReport', { args: [imageId, 'pdf'] }],
    ['openSample', { args: ['../../etc'] }]
  ]
  for (const [operation, body] of badCalls) {
    const result = resultOf(await apiCall(operation, body))
    expect(result, `${operation} ${JSON.stringify(body)}`).toMatchObject({ ok: false, error: { code: 'INVALID_ARGUMENT' } })
  }

  for (const body of ['not json', '{"args": [', '']) {
    const response = await raw({ method: 'POST', path: '/api/listImages', headers: { ...authorized(), 'Content-Type': 'application/json' }, body })
    expect(response.status, `body ${JSON.stringify(body)}`).toBe(400)
  }
  const oversized = await apiCall('analyzeImage', { args: ['x'.repeat(70 * 1024)] })
  expect(oversized.status).toBe(400)
  expect((await raw({ path: '/api/listImages', headers: authorized() })).status).toBe(405)
})

test('serve is read-only: applyFixes is refused with READ_ONLY and nothing is written', async () => {
  const work = mkdtempSync(join(tmpdir(), 'layerlens-e2e-readonly-'))
  try {
    const app = copyLessonApp(work, 'app')
    const dockerfile = join(app, 'Dockerfile')
    const before = readFileSync(dockerfile, 'utf8')
    const filesBefore = readdirSync(app).sort()
    // A proposal the desktop app would write: the check is read-only and allowed.
    const check = await callApi<DockerfileCheck>('checkDockerfile', [dockerfile, app])
    expect(check.writes.length).toBeGreaterThan(0)

    const refused = resultOf(await apiCall('applyFixes', { args: [null, dockerfile, app, check.originalSha256] }))
    expect(refused).toMatchObject({ ok: false, error: { code: 'READ_ONLY', message: expect.stringContaining('read-only'), fix: expect.stringContaining('desktop app') } })
    // Refused whatever the arguments, before they are even read.
    expect(resultOf(await apiCall('applyFixes', { args: [] }))).toMatchObject({ ok: false, error: { code: 'READ_ONLY' } })

    expect(readFileSync(dockerfile, 'utf8')).toBe(before)
    expect(readdirSync(app).sort()).toEqual(filesBefore)
    expect(existsSync(`${dockerfile}.orig`)).toBe(false)
    expect(existsSync(join(app, '.dockerignore'))).toBe(filesBefore.includes('.dockerignore'))

    // No other method writes either.
    for (const method of ['PUT', 'DELETE', 'PATCH']) {
      expect((await raw({ method, path: '/index.html', headers: authorized() })).status, method).toBe(405)
    }
  } finally {
    rmSync(work, { recursive: true, force: true })
  }
})
