// A 10 GB image whose biggest file is 5 GB: made on a disposable Docker 26 daemon by importing a layer
// generated as it is sent (never whole on disk or in memory here), then scanned through the engine's
// export as the app scans any image; and the same bytes as a 4-layer archive read (and hashed) by the
// archive reader directly. Both must complete with the right sizes in memory that does not grow with bytes.
import Docker from 'dockerode'
import { Readable } from 'node:stream'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ScanRegistry } from '../../src-main/scans'
import { createService } from '../../src-main/service'
import { readImageArchive } from '../../src-main/sources/archive/archive-reader'
import { sampledRss, streamedDockerArchive, zeroFilesLayer, type GeneratedLayer } from '../unit/files/tar-builders'
import { DisposableEngine } from './disposable-engine'
import { valueOf } from './support'

const GB = 1_000_000_000
const FILES = [5 * GB, 2 * GB, 2 * GB, 1 * GB].map((size, index) => ({ name: `data/file-${index}.bin`, size }))
/** A resource bound, not a timing: a read holds a few chunks and the file index, never the bytes. */
const RSS_GROWTH_LIMIT = 300 * 1024 * 1024
const IMAGE = 'layerlens-test/huge:10gb'

/** `docker import` of a generated layer, streamed to the engine's API. */
async function importLayer(engine: DisposableEngine, layer: GeneratedLayer, ref: string): Promise<void> {
  const docker = new Docker({ socketPath: engine.socketPath })
  const [repo, tag] = ref.split(':')
  const progress = await docker.importImage(Readable.from(layer.bytes()), { repo, tag })
  const output = await new Promise<Array<{ error?: string }>>((resolve, reject) =>
    docker.modem.followProgress(progress, (error, events: Array<{ error?: string }>) => (error ? reject(error) : resolve(events)))
  )
  const failure = output.find((event) => event.error !== undefined)
  if (failure !== undefined) throw new Error(`the engine refused the import: ${failure.error}`)
}

/** The highest resident memory seen until `done` settles, sampled as the event loop turns. */
async function peakRssWhile<T>(done: Promise<T>): Promise<{ value: T; peakRss: number }> {
  let peakRss = process.memoryUsage.rss()
  const sampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage.rss())), 20)
  try {
    const value = await done
    return { value, peakRss: Math.max(peakRss, process.memoryUsage.rss()) }
  } finally {
    clearInterval(sampler)
  }
}

describe('a 10 GB image with a 5 GB single file, on a real engine', () => {
  let engine: DisposableEngine

  beforeAll(async () => {
    engine = await DisposableEngine.start()
    await importLayer(engine, zeroFilesLayer(FILES), IMAGE)
  }, 600_000)

  afterAll(async () => {
    await engine?.dispose()
  }, 120_000)

  it('is scanned to the end through the export, with the right sizes and bounded memory', { timeout: 600_000 }, async () => {
    const registry = new ScanRegistry()
    const service = createService({ environment: { env: { ...process.env, DOCKER_HOST: engine.host } }, scans: registry })
    const baseline = process.memoryUsage.rss()

    const { imageId } = valueOf(await service.startScan(IMAGE))
    const { value: ended, peakRss } = await peakRssWhile(registry.settled(imageId))

    expect(ended.error).toBeUndefined()
    expect(ended.state).toBe('done')
    expect(ended.bytesRead).toBeGreaterThan(10 * GB)
    const rows = valueOf(await service.layerFiles(imageId, 0, 'layer')).filter((row) => row.type === 'file')
    expect(rows.map((row) => [row.path, row.size])).toEqual(FILES.map(({ name, size }) => [`/${name}`, size]))
    expect(peakRss - baseline).toBeLessThan(RSS_GROWTH_LIMIT)
  })
})

describe('the same 10 GB as a 4-layer archive', () => {
  it('is read to the end with the right sizes, verified diff-ids and bounded memory', { timeout: 600_000 }, async () => {
    const layers = FILES.map((file) => zeroFilesLayer([file]))
    const baseline = process.memoryUsage.rss()
    const peak = { rss: baseline }

    const image = await readImageArchive(Readable.from(sampledRss(streamedDockerArchive(layers), peak)))

    expect(image.layers.map((layer) => layer.files.entries.map((entry) => [entry.path, entry.size]))).toEqual(
      FILES.map(({ name, size }) => [[`/${name}`, size]])
    )
    expect(image.layers.every((layer) => layer.computedDiffId === layer.diffId)).toBe(true)
    expect(image.bytesRead).toBeGreaterThan(10 * GB)
    expect(peak.rss - baseline).toBeLessThan(RSS_GROWTH_LIMIT)
  })
})
