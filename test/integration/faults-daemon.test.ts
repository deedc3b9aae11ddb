// Faults in the middle of a scan, on a disposable Docker 26 daemon of the test's own. The daemon is killed
// (a crash) or stopped (a clean shutdown): the scan must settle as failed, say the engine is gone and how
// to start it, and keep the layers read so far, marked as partial. The image is removed while it streams.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { ScanRegistry } from '../../src-main/scans'
import { createService } from '../../src-main/service'
import type { ScanStatus } from '../../src-preload/contract'
import { DisposableEngine } from './disposable-engine'
import { FaultyProxy } from './faults-proxy'
import { FIXTURES, valueOf } from './support'

const IMAGE = FIXTURES.pythonSlim
const EXPORT = /^\/images\/.+\/get$/
const MB = 1024 * 1024

let engine: DisposableEngine
let proxy: FaultyProxy | undefined

beforeAll(async () => {
  engine = await DisposableEngine.start()
  engine.loadFrom20(IMAGE)
})

afterEach(async () => {
  await proxy?.close()
  proxy = undefined
})

afterAll(async () => {
  await engine?.dispose()
})

/** The engine's own socket, or a link in front of it that carries the export at `exportBytesPerSecond`. */
async function hostFor(exportBytesPerSecond?: number): Promise<string> {
  if (!engine.running) await engine.restart()
  if (exportBytesPerSecond === undefined) return engine.host
  proxy = await FaultyProxy.start(engine.socketPath)
  proxy.inject({ path: EXPORT, bytesPerSecond: exportBytesPerSecond })
  return proxy.host
}

async function startScan(host: string): Promise<{ registry: ScanRegistry; service: ReturnType<typeof createService>; imageId: string }> {
  const registry = new ScanRegistry()
  const service = createService({ environment: { env: { ...process.env, DOCKER_HOST: host } }, scans: registry })
  const { imageId } = valueOf(await service.startScan(IMAGE))
  return { registry, service, imageId }
}

async function firstBytesRead(registry: ScanRegistry, imageId: string): Promise<ScanStatus> {
  for (;;) {
    const status = registry.status(imageId)
    if (status.bytesRead > 0 || status.state !== 'running') return status
    await new Promise((resolve) => setTimeout(resolve, 10))
  }
}

// On SIGTERM dockerd closes its listener but lets the requests in flight run while it shuts down, so a fast
// export may finish first. Over a slow link (as to a remote engine) the export outlasts the shutdown.
describe.each([
  ['SIGKILL', 'its own socket', undefined],
  ['SIGTERM', 'a 2 MB/s link', 2 * MB]
] as const)('the daemon gets %s mid-scan, read over %s', (signal, _link, exportBytesPerSecond) => {
  it('the scan settles as failed: the engine is gone, how to start it, and the partial read is marked', async () => {
    const host = await hostFor(exportBytesPerSecond)
    const { registry, imageId } = await startScan(host)
    expect((await firstBytesRead(registry, imageId)).state).toBe('running')
    await engine.stop(signal)

    const ended = await registry.settled(imageId)
    expect(ended.state).toBe('failed')
    expect(ended.bytesRead).toBeGreaterThan(0)
    expect(ended.bytesRead).toBeLessThan(ended.totalBytes)
    expect(ended.error?.code).toBe('ENGINE_UNREACHABLE')
    expect(ended.error?.message).toBe(
      `The engine stopped answering while the layers of ${IMAGE} were being read. Docker is not running at ${host} (from DOCKER_HOST).`
    )
    expect(ended.error?.fix).toContain('sudo systemctl start docker')
    expect(ended.layersDone).toBeLessThan(ended.layerCount)
    expect(ended.analysis.notes?.at(-1)).toBe(
      `The read failed after ${ended.layersDone} of ${ended.layerCount} layers: the file findings cover only those layers.`
    )
    // The metadata findings stay: they came from the engine before it went.
    expect(ended.analysis.findings.length).toBeGreaterThan(0)
  })
})

// Removed before the export starts, the scan fails with IMAGE_NOT_FOUND (service.test.ts). Once the export
// streams, the engine has its layers open and finishes sending them: the scan is whole, not partial.
describe('the image is removed while its export streams over a 20 MB/s link', () => {
  it('the engine finishes the export it started, so the scan completes with every layer', async () => {
    const { registry, service, imageId } = await startScan(await hostFor(20 * MB))
    expect((await firstBytesRead(registry, imageId)).state).toBe('running')
    engine.cli('rmi', '--force', IMAGE).output()

    const ended = await registry.settled(imageId)
    expect(ended.state).toBe('done')
    expect(ended.layersDone).toBe(ended.layerCount)
    expect(ended.analysis.notes ?? []).not.toContainEqual(expect.stringMatching(/^The read failed/))
    const gone = await service.analyzeImage(IMAGE)
    expect(gone.ok ? 'still there' : gone.error.code).toBe('IMAGE_NOT_FOUND')
  })
})
