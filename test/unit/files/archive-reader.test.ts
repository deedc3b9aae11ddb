import { describe, expect, it } from 'vitest'
import { readImageArchive, type ArchiveImage, type ArchiveLayer } from '../../../src-main/sources/archive/archive-reader'
import { ArchiveLayoutError } from '../../../src-main/sources/archive/layout'
import type { LayerFiles } from '../../../src-main/engine/files/types'
import { configFor, dockerArchive, ociArchive, packTar, sha256, streamOf, ZSTD_FIXTURE, type Cutting, type Member } from './tar-builders'

const baseLayer = () =>
  packTar([
    { name: 'etc/', type: 'directory' },
    { name: 'etc/passwd', content: 'root:x:0:0:root:/root:/bin/sh\napp:x:10001:10001::/home/app:/bin/sh\n' },
    { name: 'root/.cache/pip/http-v2/a', content: Buffer.alloc(4000, 1) },
    { name: 'root/.cache/pip/wheels/b.whl', content: Buffer.alloc(6000, 2) }
  ])
const appLayer = () =>
  packTar([
    { name: 'app/', type: 'directory' },
    { name: './app/main.py', content: 'print("hi")\n' },
    { name: 'root/.cache/.wh.pip', content: '' }
  ])

function summary(image: ArchiveImage): unknown {
  return {
    format: image.format,
    tags: image.repoTags,
    diffIds: image.config.rootfs.diff_ids,
    layers: image.layers.map((layer) => ({
      index: layer.index,
      diffId: layer.diffId,
      computed: layer.computedDiffId,
      compression: layer.compression,
      entries: layer.files.entries,
      captured: layer.files.capturedText
    }))
  }
}

const cuttings: Array<[string, Cutting]> = [
  ['1 byte', { every: 1 }],
  ['7 bytes', { every: 7 }],
  ['random lengths', { randomSeed: 7 }]
]

describe('readImageArchive, docker-archive', () => {
  it('indexes layers that stream by before manifest.json and config, then puts them in diff-id order', async () => {
    const layers = [await baseLayer(), await appLayer()]
    const archive = await dockerArchive(layers, { layersFirst: true })
    const announced: number[] = []
    const image = await readImageArchive(streamOf(archive), { onLayer: (layer) => announced.push(layer.index) })
    expect(image.format).toBe('docker-archive')
    expect(image.repoTags).toEqual(['example/app:1'])
    expect(image.layers.map((layer) => layer.diffId)).toEqual(layers.map(sha256))
    expect(image.layers.map((layer) => layer.computedDiffId)).toEqual(layers.map(sha256))
    expect(announced.sort()).toEqual([0, 1])
    expect(image.layers[0]!.files.capturedText['/etc/passwd']).toContain('app:x:10001')
    expect(image.layers[1]!.files.entries.map((entry) => [entry.path, entry.whiteout])).toEqual([
      ['/app', undefined],
      ['/app/main.py', undefined],
      ['/root/.cache/pip', 'delete']
    ])
    expect(image.bytesRead).toBe(archive.length)
  })

  it.each(cuttings)('reads the same image when the save stream is cut every %s', async (_label, cutting) => {
    const archive = await dockerArchive([await baseLayer(), await appLayer()], { layersFirst: false })
    const whole = await readImageArchive(streamOf(archive))
    expect(summary(await readImageArchive(streamOf(archive, cutting)))).toEqual(summary(whole))
  })

  it('skips the bytes of a layer already in the cache once it knows the layer diff-id', async () => {
    const layers = [await baseLayer(), await appLayer()]
    const cache = new Map<string, LayerFiles>()
    await readImageArchive(streamOf(await dockerArchive(layers, { layersFirst: false })), { cache })
    expect([...cache.keys()]).toEqual(layers.map(sha256))
    const again = await readImageArchive(streamOf(await dockerArchive(layers, { layersFirst: false })), { cache })
    expect(again.layers.map((layer) => layer.fromCache)).toEqual([true, true])
    expect(again.layers[0]!.files).toBe(cache.get(sha256(layers[0]!)))
  })

  it('fails on a layer whose bytes do not hash to its diff-id', async () => {
    const layers = [await baseLayer()]
    const archive = await dockerArchive(layers, { layersFirst: false })
    const tampered = Buffer.from(archive)
    const at = tampered.indexOf('root:x:0:0')
    tampered[at] = 'R'.charCodeAt(0)
    await expect(readImageArchive(streamOf(tampered))).rejects.toThrow(/hashes to .* but the config says/)
  })

  it('reports progress and stops when cancelled', async () => {
    const archive = await dockerArchive([await baseLayer(), await appLayer()], { layersFirst: true })
    const progress: number[] = []
    await readImageArchive(streamOf(archive), { totalBytes: archive.length, onProgress: (p) => progress.push(p.bytesRead) })
    expect(progress.at(-1)).toBe(archive.length)

    const controller = new AbortController()
    const reading = readImageArchive(streamOf(archive, { every: 64 }), {
      signal: controller.signal,
      onProgress: () => controller.abort()
    })
    await expect(reading).rejects.toMatchObject({ name: 'AbortError' })
  })

  it('says what is missing from an archive that is not an image', async () => {
    const notAnImage = await packTar([{ name: 'hello.txt', content: 'hi' }])
    await expect(readImageArchive(streamOf(notAnImage))).rejects.toThrow(ArchiveLayoutError)
  })
})

describe('readImageArchive, OCI layout', () => {
  async function multiPlatform(): Promise<Buffer> {
    return ociArchive([
      { platform: { os: 'linux', architecture: 'amd64' }, layers: [{ codec: 'gzip', tar: await baseLayer() }, { codec: 'zstd-fixture' }] },
      { platform: { os: 'linux', architecture: 'arm64', variant: 'v8' }, layers: [{ codec: 'none', tar: await appLayer() }] }
    ])
  }

  it('picks the host platform from a nested index and reads gzip and zstd blobs, sniffed by magic bytes', async () => {
    const image = await readImageArchive(streamOf(await multiPlatform()), { platform: { os: 'linux', architecture: 'amd64' } })
    expect(image.format).toBe('oci-layout')
    expect(image.platform).toEqual({ os: 'linux', architecture: 'amd64' })
    expect(image.repoTags).toEqual(['docker.io/example/multi:1'])
    expect(image.layers.map((layer: ArchiveLayer) => layer.compression)).toEqual(['gzip', 'zstd'])
    expect(image.layers[1]!.computedDiffId).toBe(ZSTD_FIXTURE.diffId)
    expect(image.layers[1]!.files.entries.map((entry) => [entry.path, entry.size])).toEqual([
      ['/etc', 0],
      ['/etc/passwd', 67],
      ['/opt/data.bin', 300000],
      ['/opt/' + 'd'.repeat(120) + '/' + 'f'.repeat(150) + '.txt', 4]
    ])
    expect(image.layers[1]!.files.capturedText['/etc/passwd']).toContain('app:x:10001')
  })

  it('picks another platform on request, and names the platforms it has when the wanted one is absent', async () => {
    const archive = await multiPlatform()
    const arm = await readImageArchive(streamOf(archive), { platform: { os: 'linux', architecture: 'arm64' } })
    expect(arm.platform).toEqual({ os: 'linux', architecture: 'arm64', variant: 'v8' })
    expect(arm.layers.map((layer) => layer.compression)).toEqual(['none'])
    await expect(readImageArchive(streamOf(archive), { platform: { os: 'linux', architecture: 's390x' } })).rejects.toThrow(
      /no image for linux\/s390x; it holds linux\/amd64, linux\/arm64\/v8/
    )
  })

  it.each(cuttings)('reads the same gzip and zstd layers when cut every %s', async (_label, cutting) => {
    const archive = await multiPlatform()
    const request = { platform: { os: 'linux', architecture: 'amd64' } }
    const whole = await readImageArchive(streamOf(archive), request)
    expect(summary(await readImageArchive(streamOf(archive, cutting), request))).toEqual(summary(whole))
  })

  it('uses manifest.json when Docker wrote one beside the OCI index', async () => {
    const archive = await ociArchive(
      [{ platform: { os: 'linux', architecture: 'amd64' }, layers: [{ codec: 'none', tar: await baseLayer() }] }],
      { withDockerManifest: true }
    )
    const image = await readImageArchive(streamOf(archive))
    expect(image.format).toBe('docker-archive')
    expect(image.repoTags).toEqual(['example/multi:1'])
    expect(image.layers[0]!.computedDiffId).toBe(sha256(await baseLayer()))
  })
})

/** Podman's docker-archive: `<diff-id>.tar` at the top, and `<v1id>/layer.tar` symlinks to them, before or after. */
async function podmanArchive(layers: Buffer[], linksFirst: boolean): Promise<Buffer> {
  const diffIds = layers.map(sha256)
  const config = configFor(diffIds)
  const configName = sha256(Buffer.from(config)).slice(7) + '.json'
  const blobs: Member[] = layers.map((layer, index) => ({ name: `${diffIds[index]!.slice(7)}.tar`, content: layer }))
  const links: Member[] = layers.flatMap((_, index) => [
    { name: `v1id${index}/`, type: 'directory' as const },
    { name: `v1id${index}/layer.tar`, type: 'symlink' as const, linkname: `../${diffIds[index]!.slice(7)}.tar` }
  ])
  const manifest: Member = {
    name: 'manifest.json',
    content: JSON.stringify([{ Config: configName, RepoTags: ['localhost/example/app:1'], Layers: layers.map((_, index) => `v1id${index}/layer.tar`) }])
  }
  const members = linksFirst ? [...links, { name: configName, content: config }, manifest, ...blobs] : [...blobs, { name: configName, content: config }, ...links, manifest]
  return packTar(members)
}

describe('readImageArchive, podman and early layers', () => {
  it.each([true, false])('follows the layer.tar symlinks of a podman archive (links first: %s)', async (linksFirst) => {
    const layers = [await baseLayer(), await appLayer()]
    const image = await readImageArchive(streamOf(await podmanArchive(layers, linksFirst)))
    expect(image.layers.map((layer) => layer.computedDiffId)).toEqual(layers.map(sha256))
    expect(image.layers[1]!.files.entries.map((entry) => entry.path)).toEqual(['/app', '/app/main.py', '/root/.cache/pip'])
  })

  it('skips a podman layer already in the cache: its name is its diff-id', async () => {
    const layers = [await baseLayer(), await appLayer()]
    const cache = new Map<string, LayerFiles>()
    await readImageArchive(streamOf(await podmanArchive(layers, false)), { cache })
    const again = await readImageArchive(streamOf(await podmanArchive(layers, false)), { cache })
    expect(again.layers.map((layer) => layer.fromCache)).toEqual([true, true])
  })

  it('hands out each layer with its diff-id before manifest.json and config have come', async () => {
    const layers = [await baseLayer(), await appLayer()]
    const seen: string[] = []
    let resolvedAfter = -1
    await readImageArchive(streamOf(await dockerArchive(layers, { layersFirst: true })), {
      onLayerFiles: (diffId) => seen.push(diffId),
      onImage: () => (resolvedAfter = seen.length)
    })
    expect(seen).toEqual(layers.map(sha256))
    expect(resolvedAfter).toBe(2)
  })
})
