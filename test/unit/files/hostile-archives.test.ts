// Image archives written by someone hostile: paths that try to climb out, metadata records meant to
// exhaust memory, tars nested in tars, a million files, manifests that lie. Each must give a clear error
// or a sane result, read in bounded memory, with nothing written anywhere (the reader never extracts).
import { randomBytes } from 'node:crypto'
import { existsSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Readable } from 'node:stream'
import { describe, expect, it } from 'vitest'
import { fileRows } from '../../../src-main/engine/files/file-rows'
import { readImageArchive } from '../../../src-main/sources/archive/archive-reader'
import {
  configFor,
  dockerArchive,
  emptyFilesLayer,
  END_OF_ARCHIVE,
  ociArchive,
  packTar,
  paddingFor,
  sampledRss,
  sha256,
  streamedDockerArchive,
  streamOf,
  ustarHeader,
  type GeneratedLayer
} from './tar-builders'

const MB = 1024 * 1024

/** A path under the temp dir that no test creates: if it ever exists, something was extracted. */
const trap = (): string => join(tmpdir(), `layerlens-hostile-${randomBytes(6).toString('hex')}`)

/** Counts the bytes the reader pulled, so a test can tell a record was refused rather than buffered. */
function counted(chunks: Iterable<Buffer>): { stream: Readable; pulled: () => number } {
  let pulled = 0
  function* pass(): Generator<Buffer> {
    for (const chunk of chunks) {
      pulled += chunk.length
      yield chunk
    }
  }
  return { stream: Readable.from(pass()), pulled: () => pulled }
}

/** A PAX extended header announcing `size` bytes of records, followed (lazily) by that many bytes. */
function* hugePaxRecord(size: number, typeFlag: 'x' | 'g'): Generator<Buffer> {
  yield ustarHeader('PaxHeaders/huge', size, typeFlag)
  const line = Buffer.alloc(MB, 'a')
  for (let left = size; left > 0; left -= MB) yield left >= MB ? line : line.subarray(0, left)
}

describe('paths that climb out or start at the root', () => {
  it('in a layer: normalised under the root, shown as such, and nothing is written', async () => {
    const outside = trap()
    const layer = await packTar([
      { name: `../../../../../..${outside}/climbed`, content: 'x' },
      { name: `${outside}/absolute`, content: 'y' },
      { name: 'app/../../../etc/motd', content: 'z' },
      { name: './srv/./data/..//files/', type: 'directory' },
      { name: 'srv/link', type: 'symlink', linkname: '../../../../etc/shadow' },
      { name: 'srv/hard', type: 'link', linkname: '../../../etc/motd' }
    ])
    const image = await readImageArchive(streamOf(await dockerArchive([layer], { layersFirst: false })))
    const files = image.layers[0]!.files
    expect(files.entries.map((entry) => entry.path)).toEqual([`${outside}/climbed`, `${outside}/absolute`, '/etc/motd', '/srv/files', '/srv/link', '/srv/hard'])
    // A symlink target is shown as written (it is text, never followed); a hardlink names a path in the layer.
    expect(files.entries.find((entry) => entry.path === '/srv/link')?.linkTarget).toBe('../../../../etc/shadow')
    expect(files.entries.find((entry) => entry.path === '/srv/hard')?.linkTarget).toBe('/etc/motd')
    const rows = fileRows([files], 0, 'layer')
    expect(rows.every((row) => row.path.startsWith('/') && !row.path.split('/').includes('..'))).toBe(true)
    expect(existsSync(outside)).toBe(false)
  })

  it('in the outer archive: names are only keys inside the archive, matched as written, and nothing is written', async () => {
    const outside = trap()
    const layer = await packTar([{ name: 'app/main.py', content: 'print(1)\n' }])
    const config = configFor([sha256(layer)])
    const configName = `${outside}/${sha256(Buffer.from(config)).slice(7)}.json`
    const layerName = `../../..${outside}/layer.tar`
    const archive = await packTar([
      { name: layerName, content: layer },
      { name: configName, content: config },
      { name: 'manifest.json', content: JSON.stringify([{ Config: configName, RepoTags: ['hostile/paths:1'], Layers: [layerName] }]) }
    ])
    const image = await readImageArchive(streamOf(archive))
    expect(image.layers.map((read) => read.files.entries.map((entry) => entry.path))).toEqual([['/app/main.py']])
    expect(existsSync(outside)).toBe(false)
  })
})

describe('huge PAX headers', () => {
  const HUNDRED_MB = 100 * MB

  it('a 100 MB PAX record in the outer archive is refused at its header, not buffered', async () => {
    const { stream, pulled } = counted(hugePaxRecord(HUNDRED_MB, 'x'))
    await expect(readImageArchive(stream)).rejects.toThrow(`A tar metadata record of ${HUNDRED_MB} bytes is too large`)
    expect(pulled()).toBeLessThan(4 * MB)
  })

  it('a 100 MB PAX record inside a layer is refused the same way', async () => {
    function* layerWithHugePax(): Generator<Buffer> {
      yield ustarHeader('layer0/layer.tar', 512 + HUNDRED_MB + 1024)
      yield* hugePaxRecord(HUNDRED_MB, 'x')
    }
    const { stream, pulled } = counted(layerWithHugePax())
    await expect(readImageArchive(stream)).rejects.toThrow(`A tar metadata record of ${HUNDRED_MB} bytes is too large`)
    expect(pulled()).toBeLessThan(4 * MB)
  })

  it('a 100 MB global PAX header is skipped as it streams by, and the layer after it is read', async () => {
    const layer: GeneratedLayer = {
      size: 512 + HUNDRED_MB + 512 + END_OF_ARCHIVE.length,
      *bytes() {
        yield* hugePaxRecord(HUNDRED_MB, 'g')
        yield ustarHeader('etc/after-the-global-header', 0)
        yield END_OF_ARCHIVE
      }
    }
    const image = await readImageArchive(Readable.from(streamedDockerArchive([layer])))
    expect(image.layers[0]!.files.entries.map((entry) => entry.path)).toEqual(['/etc/after-the-global-header'])
  })
})

describe('JSON documents by the hundred', () => {
  it('are refused once they pass 64 MB together, since every one is held until the read ends', async () => {
    function* jsonMembers(): Generator<Buffer> {
      const body = Buffer.from(`{"padding":"${'x'.repeat(4 * MB - 16)}"}`)
      for (let index = 0; index < 100; index++) {
        yield ustarHeader(`doc-${index}.json`, body.length)
        yield body
        yield paddingFor(body.length)
      }
      yield END_OF_ARCHIVE
    }
    const { stream, pulled } = counted(jsonMembers())
    await expect(readImageArchive(stream)).rejects.toThrow(/^The archive holds more than 64 MB of JSON documents \(doc-16\.json among them\)/)
    expect(pulled()).toBeLessThan(80 * MB)
  })
})

describe('an index of thousands of manifests, then thousands of other documents', () => {
  // Resolving the image after every document checked the whole index each time: 20,000 of each took
  // minutes. Now each document that cannot complete the image is only stored; the test's timeout guards it.
  it('is read in one pass and says the manifests are missing', { timeout: 60_000 }, async () => {
    const COUNT = 20_000
    const platform = { os: 'linux', architecture: 'amd64' }
    const manifests = Array.from({ length: COUNT }, (_, index) => ({ digest: `sha256:${index.toString(16).padStart(64, '0')}`, platform }))
    const index = Buffer.from(JSON.stringify({ manifests }))
    function* members(): Generator<Buffer> {
      yield ustarHeader('index.json', index.length)
      yield index
      yield paddingFor(index.length)
      const empty = Buffer.from('{}')
      for (let other = 0; other < COUNT; other++) yield Buffer.concat([ustarHeader(`other/${other}.json`, empty.length), empty, paddingFor(empty.length)])
      yield END_OF_ARCHIVE
    }
    await expect(readImageArchive(Readable.from(members()), { platform })).rejects.toThrow('The archive index lists no image manifest')
  })
})

describe('PAX numbers that are not numbers', () => {
  /** One PAX record, its length counting itself. */
  function paxRecord(key: string, value: string): Buffer {
    const body = ` ${key}=${value}\n`
    let length = body.length + 1
    while (String(length).length + body.length !== length) length++
    return Buffer.from(`${length}${body}`)
  }

  it.each([['size', '-5'], ['size', 'abc'], ['size', '1e300'], ['uid', '0x10']])('a PAX %s of %j is refused, never used to find the next member', async (key, value) => {
    const record = paxRecord(key, value)
    const layer = Buffer.concat([ustarHeader('PaxHeaders/f', record.length, 'x'), record, paddingFor(record.length), ustarHeader('etc/f', 0), END_OF_ARCHIVE])
    await expect(readImageArchive(streamOf(await dockerArchive([layer], { layersFirst: true })))).rejects.toThrow(
      `A PAX header gives a ${key} that is not a whole number`
    )
  })
})

describe('a layer tar nested 10 deep', () => {
  it('is one file in its layer: the reader never looks inside a tar it finds in a layer', async () => {
    let nested = await packTar([{ name: 'innermost.txt', content: 'deep' }])
    for (let depth = 1; depth < 10; depth++) nested = await packTar([{ name: `level-${depth}.tar`, content: nested }])
    const layer = await packTar([{ name: 'opt/nested.tar', content: nested }])
    const image = await readImageArchive(streamOf(await dockerArchive([layer], { layersFirst: true })))
    expect(image.layers[0]!.files.entries).toEqual([{ path: '/opt/nested.tar', type: 'file', size: nested.length, mode: 0o644, uid: 0, gid: 0 }])
  })
})

describe('a million tiny files', () => {
  it('are all indexed, in memory that grows with the count (about 200 bytes a file) and no more', { timeout: 300_000 }, async () => {
    const COUNT = 1_000_000
    const baseline = process.memoryUsage.rss()
    const peak = { rss: baseline }
    const image = await readImageArchive(Readable.from(sampledRss(streamedDockerArchive([emptyFilesLayer(COUNT)]), peak)))
    const entries = image.layers[0]!.files.entries
    expect(entries).toHaveLength(COUNT)
    expect(entries[COUNT - 1]!.path).toBe('/d999/f999')
    expect(peak.rss - baseline).toBeLessThan(COUNT * 600)
  })
})

describe('a manifest that lies about its layers', () => {
  async function archiveWithManifest(layerPaths: string[], diffIds: string[]): Promise<Buffer> {
    const layer = await packTar([{ name: 'etc/hostname', content: 'x\n' }])
    const config = configFor(diffIds.map((diffId) => (diffId === 'real' ? sha256(layer) : diffId)))
    const configName = `${sha256(Buffer.from(config)).slice(7)}.json`
    return packTar([
      { name: 'layer0/layer.tar', content: layer },
      { name: configName, content: config },
      { name: 'manifest.json', content: JSON.stringify([{ Config: configName, RepoTags: ['lying/manifest:1'], Layers: layerPaths }]) }
    ])
  }

  it('a layer that is not in the archive: the archive lacks it, by number and path', async () => {
    const archive = await archiveWithManifest(['layer0/layer.tar', 'layer1/layer.tar'], ['real', `sha256:${'1'.repeat(64)}`])
    await expect(readImageArchive(streamOf(archive))).rejects.toThrow('The archive lacks layer 2 (layer1/layer.tar)')
  })

  it('the same layer listed twice with the same diff-id (two identical layers): read once, used twice', async () => {
    const archive = await archiveWithManifest(['layer0/layer.tar', 'layer0/layer.tar'], ['real', 'real'])
    const image = await readImageArchive(streamOf(archive))
    expect(image.layers.map((layer) => layer.files.entries.map((entry) => entry.path))).toEqual([['/etc/hostname'], ['/etc/hostname']])
  })

  it('the same layer listed twice for two different diff-ids: corrupt, since one of them cannot match', async () => {
    const archive = await archiveWithManifest(['layer0/layer.tar', 'layer0/layer.tar'], ['real', `sha256:${'2'.repeat(64)}`])
    await expect(readImageArchive(streamOf(archive))).rejects.toThrow(/^Layer 2 \(layer0\/layer\.tar\) hashes to sha256:[0-9a-f]{64}, but the config says sha256:2{64}: the archive is corrupt$/)
  })

  it('more layers than the config has diff-ids', async () => {
    const archive = await archiveWithManifest(['layer0/layer.tar', 'layer0/layer.tar'], ['real'])
    await expect(readImageArchive(streamOf(archive))).rejects.toThrow('The manifest lists 2 layers but the config has 1 diff-ids')
  })
})

describe('a gzip layer that arrives in one piece', () => {
  // zlib's buffer fills on the layer's last write and the layer ends in the same push: waiting for a
  // 'drain' that an ending stream never emits once hung the read forever.
  it('is read to the end', { timeout: 30_000 }, async () => {
    const layer = await packTar([{ name: 'data/noise.bin', content: randomBytes(4 * MB) }])
    const archive = await ociArchive([{ platform: { os: 'linux', architecture: 'amd64' }, layers: [{ codec: 'gzip', tar: layer }] }])
    const image = await readImageArchive(streamOf(archive, { every: archive.length }))
    expect(image.layers.map((read) => [read.compression, read.files.contentBytes])).toEqual([['gzip', 4 * MB]])
  })
})
