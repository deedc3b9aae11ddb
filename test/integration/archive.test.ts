// The archive reader against the real daemon: its export stream and a file written by `docker save -o`.
import { spawn } from 'node:child_process'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { setTimeout as sleep } from 'node:timers/promises'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { connect, type EngineConnection } from '../../src-main/sources/connection'
import { readImageArchive, readImageArchiveFile, type ArchiveImage } from '../../src-main/sources/archive/archive-reader'
import { readSavedImage } from '../../src-main/sources/archive/saved-image'
import { stackAndMeasureWaste } from '../../src-main/engine/files/waste'

const PREFERRED = 'layerlens-fixtures/lesson-before:buildkit'
const DOCKER = '/usr/bin/docker'

let connection: EngineConnection
let imageName: string
let rootfsLayers: string[]
let workDirectory: string

/** The fixture images are built by the fixtures script; wait for them rather than fail while it runs. */
async function fixtureImage(): Promise<string> {
  const deadline = Date.now() + 540_000
  for (;;) {
    const images = await connection.client.listImages()
    const tags = images.flatMap((image) => image.RepoTags ?? [])
    if (tags.includes(PREFERRED)) return PREFERRED
    const anyFixture = tags.find((tag) => tag.startsWith('layerlens-fixtures/') && tag.includes('lesson-'))
    if (anyFixture !== undefined && Date.now() > deadline - 300_000) return anyFixture
    if (Date.now() > deadline) throw new Error(`No layerlens-fixtures image appeared; run npm run fixtures`)
    await sleep(5_000)
  }
}

function run(command: string, args: string[], toDevNull = false): Promise<number> {
  return new Promise((resolve, reject) => {
    const started = performance.now()
    const child = spawn(command, args, { stdio: ['ignore', toDevNull ? 'ignore' : 'inherit', 'inherit'] })
    child.on('error', reject)
    child.on('exit', (code) => (code === 0 ? resolve(performance.now() - started) : reject(new Error(`${command} ${args.join(' ')} exited ${code}`))))
  })
}

function checkAgainstInspect(image: ArchiveImage): void {
  expect(image.layers.length).toBe(rootfsLayers.length)
  expect(image.config.rootfs.diff_ids).toEqual(rootfsLayers)
  expect(image.layers.map((layer) => layer.diffId)).toEqual(rootfsLayers)
  const { view, waste } = stackAndMeasureWaste(image.layers.map((layer) => layer.files))
  expect(view.get('/app/main.py')?.entry?.type).toBe('file')
  expect(view.get('/etc/os-release')).toBeDefined()
  expect(view.get('/usr/lib/os-release')?.entry?.size).toBeGreaterThan(0)
  expect(image.layers[0]!.files.capturedText['/etc/passwd']).toMatch(/^root:x:0:0:/)
  expect(waste.finalBytes + waste.reclaimableBytes).toBe(waste.shippedBytes)
}

beforeAll(async () => {
  connection = connect(process.env)
  imageName = await fixtureImage()
  const inspect = await connection.client.getImage(imageName).inspect()
  rootfsLayers = inspect.RootFS.Layers ?? []
  workDirectory = await mkdtemp(join(tmpdir(), 'layerlens-archive-'))
})

afterAll(async () => {
  if (workDirectory !== undefined) await rm(workDirectory, { recursive: true, force: true })
})

describe('reading a real image export', () => {
  it('streams the engine export (GET /images/{name}/get) into the image layers, checked against inspect', async () => {
    const saveMs = await run(DOCKER, ['save', imageName], true)
    let progressEvents = 0
    const announced: number[] = []
    const started = performance.now()
    const image = await readSavedImage(connection.client, imageName, {
      onProgress: () => progressEvents++,
      onLayer: (layer) => announced.push(layer.index)
    })
    const readMs = performance.now() - started
    const megabytes = image.bytesRead / 1e6
    console.log(
      `${imageName}: ${megabytes.toFixed(0)} MB; reader ${(megabytes / (readMs / 1000)).toFixed(0)} MB/s in ${(readMs / 1000).toFixed(2)} s; ` +
        `docker save > /dev/null ${(megabytes / (saveMs / 1000)).toFixed(0)} MB/s in ${(saveMs / 1000).toFixed(2)} s; ratio ${(readMs / saveMs).toFixed(2)}`
    )
    checkAgainstInspect(image)
    // The engine is trusted with its own diff-ids: the export's layers are not hashed.
    expect(image.layers.every((layer) => layer.computedDiffId === undefined)).toBe(true)
    expect(announced.sort((a, b) => a - b)).toEqual(rootfsLayers.map((_, index) => index))
    expect(progressEvents).toBeGreaterThan(0)
  })

  it('reads the same image from an archive file written by docker save -o', async () => {
    const file = join(workDirectory, 'image.tar')
    await run(DOCKER, ['save', '-o', file, imageName])
    const progress: Array<{ bytesRead: number; totalBytes?: number }> = []
    const image = await readImageArchiveFile(file, { onProgress: (event) => progress.push(event) })
    checkAgainstInspect(image)
    // A file from a user is verified: every uncompressed layer tar was hashed while it streamed by.
    expect(image.layers.map((layer) => layer.computedDiffId)).toEqual(rootfsLayers)
    expect(progress.at(-1)).toEqual({ bytesRead: image.bytesRead, totalBytes: image.bytesRead })
  })

  it('stops reading the export when cancelled', async () => {
    const controller = new AbortController()
    const stream = await connection.client.getImage(imageName).get()
    const reading = readImageArchive(stream as import('node:stream').Readable, {
      signal: controller.signal,
      onProgress: ({ bytesRead }) => {
        if (bytesRead > 1_000_000) controller.abort()
      }
    })
    await expect(reading).rejects.toMatchObject({ name: 'AbortError' })
  })
})
