// A slow or stuck engine, made by a fault-injecting proxy in front of the real Docker socket: metadata
// requests time out and are retried once, and an export that stops sending fails the scan with TIMEOUT
// instead of hanging, keeping what it read marked as partial. Retrying the scan then works.
import { afterEach, beforeAll, describe, expect, it } from 'vitest'
import { ScanRegistry } from '../../src-main/scans'
import { createService, type ServiceOptions } from '../../src-main/service'
import type { ScanStatus } from '../../src-preload/contract'
import { FaultyProxy } from './faults-proxy'
import { FIXTURES, requireFixtureImages, valueOf } from './support'

const DOCKER_SOCKET = '/var/run/docker.sock'
const EXPORT = /^\/images\/.+\/get$/
const IMAGE_LIST = /^\/images\/json$/
/** Docker 20.10 prepares the whole export before its first byte: 1–3 s for this image on a busy machine. */
const SMALL_IMAGE = 'layerlens-fixtures/debian:bookworm-slim'

let proxy: FaultyProxy | undefined

beforeAll(requireFixtureImages)
afterEach(async () => {
  await proxy?.close()
  proxy = undefined
})

async function startProxy(): Promise<FaultyProxy> {
  proxy = await FaultyProxy.start(DOCKER_SOCKET)
  return proxy
}

function serviceThrough(faulty: FaultyProxy, options: Omit<ServiceOptions, 'environment'> = {}) {
  return createService({ environment: { env: { ...process.env, DOCKER_HOST: faulty.host } }, ...options })
}

const count = (paths: string[], pattern: RegExp): number => paths.filter((path) => pattern.test(path)).length

describe('metadata requests to a slow engine', () => {
  it('a request the engine never answers is abandoned and retried once; the retry succeeds', async () => {
    const faulty = await startProxy()
    faulty.inject({ path: IMAGE_LIST, stall: 'swallow', times: 1 })
    const images = valueOf(await serviceThrough(faulty, { timeoutMs: 500 }).listImages())
    expect(images.some((image) => image.repoTags.includes(FIXTURES.pythonSlim))).toBe(true)
    expect(count(faulty.requests, IMAGE_LIST)).toBe(2)
  })

  it('an engine that never answers: TIMEOUT naming the endpoint and the operation, after one retry', async () => {
    const faulty = await startProxy()
    faulty.inject({ path: /^\/_ping$/, stall: 'swallow' })
    const result = await serviceThrough(faulty, { timeoutMs: 500 }).engineInfo()
    expect(result.ok).toBe(false)
    if (result.ok) return
    expect(result.error).toMatchObject({ code: 'TIMEOUT', message: `The engine at ${faulty.host} (from DOCKER_HOST) did not answer in time (ping, 500 ms).` })
    expect(result.error.fix).toContain('docker info')
    expect(count(faulty.requests, /^\/_ping$/)).toBe(2)
  })
})

describe('an image export that stops sending', () => {
  async function scanToEnd(faulty: FaultyProxy, exportStallMs: number): Promise<{ registry: ScanRegistry; ended: ScanStatus }> {
    const registry = new ScanRegistry()
    const started = valueOf(await serviceThrough(faulty, { scans: registry, exportStallMs }).startScan(SMALL_IMAGE))
    return { registry, ended: await registry.settled(started.imageId) }
  }

  it('stalled in the middle: the scan fails with TIMEOUT, keeps its partial read, and a retry completes', async () => {
    const faulty = await startProxy()
    faulty.inject({ path: EXPORT, stall: 1024 * 1024, times: 1 })
    const { ended } = await scanToEnd(faulty, 5000)
    expect(ended.state).toBe('failed')
    // The proxy counts the reply's HTTP head and chunk framing too.
    expect(ended.bytesRead).toBeGreaterThan(1_000_000)
    expect(ended.bytesRead).toBeLessThan(1024 * 1024)
    expect(ended.error?.code).toBe('TIMEOUT')
    expect(ended.error?.message).toMatch(new RegExp(`^The engine's export of ${SMALL_IMAGE} sent no data for 5 s after 1\\.0 MB of about \\d+(\\.\\d)? MB, so the scan gave up\\.$`))
    expect(ended.error?.fix).toContain('retry the scan')
    expect(ended.analysis.notes?.at(-1)).toMatch(/^The read failed after 0 of 1 layers: the file findings cover only those layers\.$/)

    // What the UI's Retry button does: start the scan again. The fault hit once, so this one completes.
    const { ended: retried } = await scanToEnd(faulty, 5000)
    expect(retried.state).toBe('done')
    expect(retried.layersDone).toBe(retried.layerCount)
    expect(count(faulty.requests, EXPORT)).toBe(2)
  })

  it('never started: the scan fails with TIMEOUT before any byte', async () => {
    const faulty = await startProxy()
    faulty.inject({ path: EXPORT, stall: 'swallow' })
    const { ended } = await scanToEnd(faulty, 1000)
    expect(ended.state).toBe('failed')
    expect(ended.bytesRead).toBe(0)
    expect(ended.error).toMatchObject({ code: 'TIMEOUT', message: `The engine's export of ${SMALL_IMAGE} sent no data for 1 s before it began, so the scan gave up.` })
  })
})
