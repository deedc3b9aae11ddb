// Secret values never leave the main process unmasked. A real image gets a known, never-seen
// secret in each place an image can hold one (Env, a URL's password, a label, a build argument
// recorded in the history, an Env value repeated in a RUN line, a .env file and a private key
// file in a layer); then every output Layerlens has is searched for
// it: the API, the reports, the snapshot, the CLI in every format, serve's HTTP answers, the page
// chromium renders, and the logs of both processes.
import { execFileSync } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { chromium } from '@playwright/test'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { FileRow, ImageAnalysis } from '../../src-main/engine/model'
import { ScanRegistry } from '../../src-main/scans'
import { createService } from '../../src-main/service'
import type { FileView, Result, ScanStatus } from '../../src-preload/contract'
import { startServe, type ServeProcess } from '../e2e/serve-process'
import { dockerCliFormat, requireBuiltCli, requireFixtureImages, runCli } from './support'

/** The random part: any output holding it, whole or cut, leaked a secret. */
const SECRET_ID = randomBytes(8).toString('hex')
const SECRETS = {
  env: `LL_PLANTED_SECRET_${SECRET_ID}_env`,
  buildArg: `LL_PLANTED_SECRET_${SECRET_ID}_arg`,
  dotenv: `LL_PLANTED_SECRET_${SECRET_ID}_dotenv`,
  key: `LL_PLANTED_SECRET_${SECRET_ID}_key`,
  label: `LL_PLANTED_SECRET_${SECRET_ID}_label`,
  urlPassword: `LL_PLANTED_SECRET_${SECRET_ID}_url`
}
const TAG = `layerlens-test/redaction-${randomBytes(4).toString('hex')}:planted`
const PRIVATE_KEY = `-----BEGIN OPENSSH PRIVATE KEY-----\n${SECRETS.key}\n-----END OPENSSH PRIVATE KEY-----\n`
const DOCKERFILE = `FROM layerlens-fixtures/debian:bookworm-slim
ARG NPM_TOKEN
ENV API_TOKEN=${SECRETS.env} DATABASE_URL=postgres://app:${SECRETS.urlPassword}@db/app
LABEL org.example.api-token="${SECRETS.label}"
RUN echo "registry token: $NPM_TOKEN" > /dev/null
RUN test -n "${SECRETS.env}"
COPY .env /app/.env
COPY id_rsa /root/.ssh/id_rsa
`
const CHROMIUM = process.env.LAYERLENS_CHROMIUM ?? '/usr/bin/chromium'

/** Where in `text` the secret's random part shows, with a little context, for the failure message. */
function leaksIn(output: string, text: string): string[] {
  const leaks: string[] = []
  for (let at = text.indexOf(SECRET_ID); at !== -1; at = text.indexOf(SECRET_ID, at + 1)) {
    leaks.push(`${output}: …${text.slice(Math.max(0, at - 60), at + 40)}…`)
  }
  return leaks
}

/** Every output searched, by name: the test fails listing each leak, and proves it searched something. */
const outputs = new Map<string, string>()
const record = (name: string, value: unknown): void => {
  outputs.set(name, typeof value === 'string' ? value : JSON.stringify(value))
}

let scratch: string
let imageId: string

beforeAll(async () => {
  requireBuiltCli()
  await requireFixtureImages()
  scratch = mkdtempSync(join(tmpdir(), 'layerlens-redaction-'))
  const context = join(scratch, 'context')
  execFileSync('mkdir', ['-p', context])
  writeFileSync(join(context, 'Dockerfile'), DOCKERFILE)
  writeFileSync(join(context, '.env'), `DATABASE_PASSWORD=${SECRETS.dotenv}\n`)
  writeFileSync(join(context, 'id_rsa'), PRIVATE_KEY, { mode: 0o600 })
  execFileSync('/usr/bin/docker', ['build', '--network', 'none', '--build-arg', `NPM_TOKEN=${SECRETS.buildArg}`, '-t', TAG, context], {
    env: { ...process.env, DOCKER_BUILDKIT: '1' },
    stdio: 'pipe'
  })
  imageId = dockerCliFormat(['image', 'inspect', TAG], '{{.Id}}')
}, 120_000)

afterAll(() => {
  execFileSync('/usr/bin/docker', ['rmi', '--force', TAG], { stdio: 'ignore' })
  rmSync(scratch, { recursive: true, force: true })
})

it('the image really holds every planted secret (the docker CLI is the witness)', () => {
  expect(dockerCliFormat(['image', 'inspect', TAG], '{{json .Config.Env}}')).toContain(SECRETS.env)
  expect(dockerCliFormat(['history', '--no-trunc', TAG], '{{.CreatedBy}}')).toContain(`NPM_TOKEN=${SECRETS.buildArg}`)
  // The layers one after the other, read as one tar (-i skips each layer's end-of-archive blocks).
  const files = execFileSync('/bin/sh', ['-c', `/usr/bin/docker save '${TAG}' | tar -xOf - --wildcards '*/layer.tar' | tar -xiOf - app/.env root/.ssh/id_rsa`], { encoding: 'utf8' })
  expect(files).toContain(SECRETS.dotenv)
  expect(files).toContain(SECRETS.key)
})

function unwrap<T>(result: Result<T>): T {
  if (!result.ok) throw new Error(`${result.error.code}: ${result.error.message}`)
  return result.value
}

describe('every output, searched for the planted secrets', () => {
  it('the API: analysis, scan, every layer file row, snapshot and both reports', async () => {
    const scans = new ScanRegistry()
    const api = createService({ scans })
    const analysis: ImageAnalysis = unwrap(await api.analyzeImage(TAG))
    record('analyzeImage', analysis)
    // What masking must leave readable: the names, and the findings they raise.
    expect(analysis.config.env.find((variable) => variable.key === 'API_TOKEN')).toMatchObject({ masked: true })
    const status = await scans.settled(unwrap(await api.startScan(TAG)).imageId)
    expect(status.state).toBe('done')
    record('startScan, settled', status)
    expect(status.analysis.findings.map((finding) => finding.rule)).toEqual(expect.arrayContaining(['secret-env', 'secret-build-arg', 'secret-file']))

    const paths: string[] = []
    for (let layer = 0; layer < status.layerCount; layer++) {
      for (const view of ['layer', 'cumulative'] satisfies FileView[]) {
        const rows: FileRow[] = unwrap(await api.layerFiles(imageId, layer, view))
        record(`layerFiles ${layer} ${view}`, rows)
        paths.push(...rows.map((row) => row.path))
      }
    }
    for (const planted of ['app/.env', 'root/.ssh/id_rsa']) expect(paths.some((path) => path.endsWith(planted)), planted).toBe(true)
    record('exportSnapshot', unwrap(await api.exportSnapshot(imageId)))
    record('imageReport html', unwrap(await api.imageReport(imageId, 'html')))
    record('imageReport markdown', unwrap(await api.imageReport(imageId, 'markdown')))
  }, 120_000)

  it('the CLI: audit in every format, its snapshot, and what it printed', async () => {
    const snapshot = join(scratch, 'planted.layerlens.json')
    for (const format of ['text', 'json', 'markdown', 'sarif']) {
      const run = await runCli(['audit', TAG, '--format', format, ...(format === 'json' ? ['--save-snapshot', snapshot] : [])])
      expect(run.exitCode, `audit --format ${format}: ${run.stderr}`).toBe(1)
      record(`audit --format ${format}, stdout`, run.stdout)
      record(`audit --format ${format}, stderr`, run.stderr)
    }
    record('audit --save-snapshot', readFileSync(snapshot, 'utf8'))
    expect(outputs.get('audit --format text, stdout')).toContain('API_TOKEN')
  }, 180_000)

  it('serve: its HTTP answers, the page chromium renders, and its log', async () => {
    const server: ServeProcess = await startServe()
    const browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--headless', '--no-sandbox', '--disable-gpu'] })
    try {
      const url = new URL(server.url)
      const call = async (operation: string, args: unknown[]): Promise<string> => {
        const response = await fetch(new URL(`/api/${operation}`, url), {
          method: 'POST',
          headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${url.searchParams.get('token')}` },
          body: JSON.stringify({ args })
        })
        const body = await response.text()
        record(`serve ${operation} ${JSON.stringify(args)}`, body)
        return body
      }
      await call('analyzeImage', [TAG])
      let status = JSON.parse(await call('startScan', [TAG])) as Result<ScanStatus>
      while (status.ok && status.value.state === 'running') {
        await new Promise((resolveLater) => setTimeout(resolveLater, 200))
        status = JSON.parse(await call('scanStatus', [imageId])) as Result<ScanStatus>
      }
      expect(status).toMatchObject({ ok: true, value: { state: 'done' } })
      for (let layer = 0; layer < (status.ok ? status.value.layerCount : 0); layer++) await call('layerFiles', [imageId, layer, 'cumulative'])
      await call('exportSnapshot', [imageId])
      await call('imageReport', [imageId, 'html'])
      await call('imageReport', [imageId, 'markdown'])

      const page = await browser.newPage({ viewport: { width: 1366, height: 900 } })
      url.hash = `#/image/${encodeURIComponent(TAG)}`
      await page.goto(url.href)
      await page.getByText('Layer contents read').waitFor({ timeout: 60_000 })
      // The last layer's files, the steps with their build arguments, and the config with Env.
      await page.locator('#steps-section').scrollIntoViewIfNeeded()
      record('page text', await page.locator('body').innerText())
      record('page HTML', await page.content())
      expect(outputs.get('page text')).toContain('API_TOKEN')
      expect(outputs.get('page text')).toContain('NPM_TOKEN')
    } finally {
      await browser.close()
      await server.stop()
    }
    record('serve log', server.output())
  }, 300_000)

  it('none of them holds a secret value', () => {
    expect(outputs.size).toBeGreaterThanOrEqual(30)
    const leaks = [...outputs].flatMap(([name, text]) => leaksIn(name, text))
    expect(leaks).toEqual([])
  })
})
