// Property tests of the archive reader on hostile bytes: arbitrary input, real archives with flipped bits,
// cut short, with tar headers spliced in, and with their JSON documents rewritten. Whatever comes in, the
// reader resolves with a consistent image or rejects with one of its own errors; it never throws anything
// else and never hangs (every input is small, and each run has a time limit).
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { gzipSync } from 'node:zlib'
import fc from 'fast-check'
import tar from 'tar-stream'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ArchiveIntegrityError, readImageArchive, type ArchiveImage } from '../../../src-main/sources/archive/archive-reader'
import { ArchiveLayoutError } from '../../../src-main/sources/archive/layout'
import { CorruptLayerError } from '../../../src-main/sources/archive/layer-blob'
import { TarFormatError, TarWalker, type TarHeader } from '../../../src-main/sources/archive/tar-walker'
import { readArchiveImage } from '../../../src-main/sources/archive-audit'
import { configFor, cut, dockerArchive, ociArchive, packTar, sha256, streamOf, type BlobCodec, type Member } from '../files/tar-builders'
import { fuzzParameters } from './settings'

const RUN_TIME_LIMIT_MS = 10_000

const isReaderError = (error: unknown): boolean =>
  error instanceof ArchiveLayoutError ||
  error instanceof ArchiveIntegrityError ||
  error instanceof TarFormatError ||
  error instanceof CorruptLayerError

/** Absolute, no empty, `.` or `..` segment, no trailing slash. */
const isNormalisedPath = (path: string): boolean =>
  path.startsWith('/') && path.slice(1).split('/').every((segment) => segment !== '' && segment !== '.' && segment !== '..')

function expectConsistent(image: ArchiveImage): void {
  const diffIds = image.config.rootfs.diff_ids
  expect(image.layers).toHaveLength(diffIds.length)
  image.layers.forEach((layer, index) => {
    expect(layer.index).toBe(index)
    expect(layer.diffId).toBe(diffIds[index])
    if (layer.computedDiffId !== undefined) expect(layer.computedDiffId).toBe(layer.diffId)
    for (const entry of layer.files.entries) {
      expect(isNormalisedPath(entry.path), entry.path).toBe(true)
      if (entry.type === 'hardlink') expect(isNormalisedPath(entry.linkTarget!) || entry.linkTarget === '/', entry.linkTarget).toBe(true)
    }
  })
}

/** Reads the bytes cut into pseudo-random chunks: a consistent image, or a reader error. */
async function readsOrRejectsCleanly(bytes: Uint8Array, chunkSeed: number): Promise<void> {
  try {
    expectConsistent(await readImageArchive(streamOf(Buffer.from(bytes), { randomSeed: chunkSeed })))
  } catch (error) {
    if (!isReaderError(error)) throw error
  }
}

/** Members of a tar, in order, with their bodies. */
async function unpackTar(bytes: Buffer): Promise<Member[]> {
  const members: Member[] = []
  const extract = tar.extract()
  const done = new Promise<void>((resolve, reject) => {
    extract.on('finish', resolve)
    extract.on('error', reject)
  })
  extract.on('entry', (header, stream, next) => {
    const chunks: Buffer[] = []
    stream.on('data', (chunk: unknown) => chunks.push(chunk as Buffer))
    stream.on('end', () => {
      const type = header.type === 'directory' || header.type === 'symlink' || header.type === 'link' ? header.type : 'file'
      members.push({
        name: header.name,
        type,
        content: Buffer.concat(chunks),
        mode: header.mode ?? 0,
        uid: header.uid ?? 0,
        ...(header.linkname ? { linkname: header.linkname } : {})
      })
      next()
    })
  })
  extract.end(bytes)
  await done
  return members
}

const layerTar = (name: string) =>
  packTar([
    { name: 'etc/', type: 'directory' },
    { name: 'etc/passwd', content: 'root:x:0:0:root:/root:/bin/sh\n' },
    { name: `./srv/${name}/../${name}.txt`, content: name.repeat(40) },
    { name: 'srv/link', type: 'symlink', linkname: '../etc/passwd' },
    { name: 'srv/hard', type: 'link', linkname: './etc//passwd' },
    // Longer than a ustar name field: written with a PAX header.
    { name: `srv/${'long-'.repeat(30)}${name}`, content: name },
    { name: 'srv/.wh.gone', content: '' }
  ])

interface Seed {
  bytes: Buffer
  members: Member[]
}

let seeds: Seed[] = []
let plainLayer: Buffer = Buffer.alloc(0)
let scratch = ''

beforeAll(async () => {
  const [a, b] = [await layerTar('a'), await layerTar('b')]
  plainLayer = a
  const archives = [
    await dockerArchive([a, b], { layersFirst: false }),
    await dockerArchive([a, b], { layersFirst: true }),
    await ociArchive([{ platform: { os: 'linux', architecture: 'amd64' }, layers: [{ codec: 'gzip', tar: a }, { codec: 'zstd-fixture' }] }]),
    // Two platforms, and a manifest.json beside the index.
    await ociArchive(
      [
        { platform: { os: 'linux', architecture: 'amd64' }, layers: [{ codec: 'none', tar: a }] },
        { platform: { os: 'linux', architecture: 'arm64', variant: 'v8' }, layers: [{ codec: 'gzip', tar: b }] }
      ],
      { withDockerManifest: true }
    )
  ]
  seeds = await Promise.all(archives.map(async (bytes) => ({ bytes, members: await unpackTar(bytes) })))
  scratch = mkdtempSync(join(tmpdir(), 'layerlens-fuzz-'))
})

afterAll(() => rmSync(scratch, { recursive: true, force: true }))

const seedIndex = () => fc.nat({ max: 3 })
const chunkSeed = () => fc.nat()

/** Real archive bytes changed the ways a bad disk, a cut download or a careless writer change them. */
const mutation = fc.oneof(
  fc.record({ kind: fc.constant('flip' as const), flips: fc.array(fc.tuple(fc.nat(), fc.nat({ max: 7 })), { minLength: 1, maxLength: 8 }) }),
  fc.record({ kind: fc.constant('truncate' as const), at: fc.nat() }),
  fc.record({ kind: fc.constant('overwrite' as const), at: fc.nat(), bytes: fc.uint8Array({ minLength: 1, maxLength: 600 }) }),
  fc.record({ kind: fc.constant('splice' as const), from: seedIndex(), fromBlock: fc.nat(), toBlock: fc.nat(), blocks: fc.integer({ min: 1, max: 3 }) })
)

type Mutation = typeof mutation extends fc.Arbitrary<infer T> ? T : never

function mutate(bytes: Buffer, change: Mutation): Buffer {
  const copy = Buffer.from(bytes)
  if (copy.length === 0) return copy
  switch (change.kind) {
    case 'flip':
      for (const [offset, bit] of change.flips) copy[offset % copy.length]! ^= 1 << bit
      return copy
    case 'truncate':
      return copy.subarray(0, change.at % copy.length)
    case 'overwrite':
      copy.set(change.bytes.subarray(0, copy.length - (change.at % copy.length)), change.at % copy.length)
      return copy
    case 'splice': {
      // A 512-byte-aligned run of blocks (tar headers among them) from one real archive, put over another's.
      const donor = seeds[change.from]!.bytes
      const blockCount = (buffer: Buffer) => Math.floor(buffer.length / 512)
      const from = (change.fromBlock % blockCount(donor)) * 512
      const to = (change.toBlock % blockCount(copy)) * 512
      const length = Math.min(change.blocks * 512, donor.length - from, copy.length - to)
      donor.copy(copy, to, from, from + length)
      return copy
    }
  }
}

/** Any JSON, and the archive's own strings (digests, paths): a document pointing at the wrong member, or at itself. */
const jsonReplacement = (archiveStrings: readonly string[]) =>
  fc.oneof(fc.jsonValue({ maxDepth: 3 }), fc.constantFrom(...archiveStrings), fc.constantFrom(...archiveStrings).map((text) => `sha256:${text.slice(-64)}`))

/** Every place inside a JSON value, as a key path. */
function pathsOf(value: unknown, prefix: Array<string | number> = []): Array<Array<string | number>> {
  const here = [prefix]
  if (Array.isArray(value)) return [...here, ...value.flatMap((item, index) => pathsOf(item, [...prefix, index]))]
  if (value !== null && typeof value === 'object') return [...here, ...Object.entries(value).flatMap(([key, item]) => pathsOf(item, [...prefix, key]))]
  return here
}

function stringsIn(value: unknown): string[] {
  if (typeof value === 'string') return [value]
  if (value !== null && typeof value === 'object') return Object.values(value).flatMap(stringsIn)
  return []
}

function replaceAt(value: unknown, path: ReadonlyArray<string | number>, replacement: unknown): unknown {
  if (path.length === 0) return replacement
  const [head, ...rest] = path
  const copy = (Array.isArray(value) ? [...value] : { ...(value as object) }) as Record<string | number, unknown>
  copy[head!] = replaceAt(copy[head!], rest, replacement)
  return copy
}

const jsonMembers = (seed: Seed) => seed.members.filter((member) => member.type === 'file' && /^\s*[[{]/.test(String(member.content)))

const INDEX_TYPE = 'application/vnd.oci.image.index.v1+json'
const MANIFEST_TYPE = 'application/vnd.oci.image.manifest.v1+json'
const BLOB_KINDS = ['index', 'manifest', 'config', 'layer'] as const

/**
 * An OCI layout whose blobs point at each other at random: indexes listing indexes (themselves too),
 * manifests naming any blob as config or layer, configs with any number of layers. Blobs are named by
 * made-up digests, so a document can name itself.
 */
const ociGraph = fc
  .record({
    blobs: fc.array(
      fc.record({
        kind: fc.constantFrom(...BLOB_KINDS),
        refs: fc.array(fc.record({ to: fc.nat(), mediaType: fc.constantFrom(INDEX_TYPE, MANIFEST_TYPE, undefined), arm: fc.boolean() }), { maxLength: 3 }),
        layerCount: fc.nat({ max: 3 })
      }),
      { minLength: 1, maxLength: 6 }
    ),
    top: fc.array(fc.record({ to: fc.nat(), mediaType: fc.constantFrom(INDEX_TYPE, MANIFEST_TYPE, undefined), arm: fc.boolean() }), { minLength: 1, maxLength: 2 })
  })
  .map(({ blobs, top }) => {
    const digestOf = (index: number) => `sha256:${(index % blobs.length).toString(16).padStart(64, '0')}`
    const descriptors = (refs: typeof top) =>
      refs.map(({ to, mediaType, arm }) => ({
        ...(mediaType === undefined ? {} : { mediaType }),
        digest: digestOf(to),
        platform: { os: 'linux', architecture: arm ? 'arm64' : 'amd64' }
      }))
    const contentOf = ({ kind, refs, layerCount }: (typeof blobs)[number]): string | Buffer => {
      if (kind === 'index') return JSON.stringify({ schemaVersion: 2, manifests: descriptors(refs) })
      if (kind === 'manifest') {
        const [config, ...layers] = descriptors(refs)
        return JSON.stringify({ schemaVersion: 2, config: config ?? { digest: digestOf(0) }, layers })
      }
      if (kind === 'config') return configFor(Array.from({ length: layerCount }, () => sha256(plainLayer)))
      return plainLayer
    }
    const members: Member[] = blobs.map((blob, index) => ({ name: `blobs/${digestOf(index).replace(':', '/')}`, content: contentOf(blob) }))
    members.push({ name: 'index.json', content: JSON.stringify({ schemaVersion: 2, manifests: descriptors(top) }) })
    return members
  })

/** Names and link targets of any length and script; tar-stream writes the long or non-ASCII ones as PAX records. */
const tarName = fc.string({ unit: 'grapheme', minLength: 1, maxLength: 160 }).filter((name) => !name.includes('\0') && name.replace(/[/.]/g, '') !== '')

const tarMember: fc.Arbitrary<Member> = fc.oneof(
  fc.record({ name: tarName, content: fc.uint8Array({ maxLength: 1100 }).map((bytes) => Buffer.from(bytes)), uid: fc.nat({ max: 0o7777777 }), mode: fc.nat({ max: 0o7777 }) }),
  fc.record({ name: tarName, type: fc.constant('directory' as const) }),
  fc.record({ name: tarName, type: fc.constantFrom('symlink' as const, 'link' as const), linkname: tarName })
)

function walkTar(pieces: readonly Buffer[]): Array<{ header: TarHeader; body: Buffer }> {
  const seen: Array<{ header: TarHeader; body: Buffer }> = []
  const walker = new TarWalker((header) => {
    const record = { header, body: Buffer.alloc(0) }
    seen.push(record)
    const chunks: Buffer[] = []
    return { write: (bytes) => void chunks.push(Buffer.from(bytes)), end: () => void (record.body = Buffer.concat(chunks)) }
  })
  for (const piece of pieces) walker.push(piece)
  walker.end()
  return seen
}

describe('fuzzing the tar walker', () => {
  it('reads back every member tar-stream wrote, with its name, link, owner, mode and body, however the stream is cut', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(tarMember, { maxLength: 8 }), chunkSeed(), async (members, chunks) => {
        const tarBytes = await packTar(members)
        const seen = walkTar(cut(tarBytes, { randomSeed: chunks }))
        // What tar-stream reads back from its own output is the reference.
        const written = await unpackTar(tarBytes)
        expect(seen.map(({ header, body }) => [header.name, header.linkName, header.mode, header.uid, body])).toEqual(
          written.map((member) => [member.name, member.linkname ?? '', member.mode, member.uid, member.content])
        )
      }),
      { ...fuzzParameters(100), timeout: RUN_TIME_LIMIT_MS }
    )
  })
})

describe('fuzzing the archive reader', () => {
  it('reads OCI layouts whose indexes and manifests point anywhere, themselves included, or rejects them with a reader error', async () => {
    await fc.assert(
      fc.asyncProperty(ociGraph, chunkSeed(), async (members, chunks) => {
        await readsOrRejectsCleanly(await packTar(members), chunks)
      }),
      { ...fuzzParameters(100), timeout: RUN_TIME_LIMIT_MS }
    )
  })

  it('rejects arbitrary bytes with a reader error, or reads them into a consistent image', async () => {
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ maxLength: 8192 }), chunkSeed(), async (bytes, chunks) => {
        await readsOrRejectsCleanly(bytes, chunks)
      }),
      { ...fuzzParameters(150), timeout: RUN_TIME_LIMIT_MS }
    )
  })

  it('rejects tars of arbitrary members (any name, any JSON, any bytes) with a reader error, or reads them', async () => {
    const name = fc.oneof(
      fc.constantFrom('manifest.json', 'index.json', 'oci-layout', 'layer.tar', `blobs/sha256/${'0'.repeat(64)}`, '../manifest.json', './index.json'),
      fc.string({ maxLength: 120 })
    )
    const content = fc.oneof(fc.jsonValue({ maxDepth: 4 }).map((value) => JSON.stringify(value) ?? 'null'), fc.uint8Array({ maxLength: 2048 }).map((bytes) => Buffer.from(bytes)))
    await fc.assert(
      fc.asyncProperty(fc.array(fc.record({ name, content }), { maxLength: 6 }), chunkSeed(), async (members, chunks) => {
        const named = members.filter((member) => member.name.replace(/[/.]/g, '') !== '')
        await readsOrRejectsCleanly(await packTar(named), chunks)
      }),
      { ...fuzzParameters(100), timeout: RUN_TIME_LIMIT_MS }
    )
  })

  it('survives real archives with flipped bits, cut short, overwritten or with tar headers spliced in', async () => {
    await fc.assert(
      fc.asyncProperty(seedIndex(), fc.array(mutation, { minLength: 1, maxLength: 3 }), chunkSeed(), async (index, changes, chunks) => {
        const bytes = changes.reduce<Buffer>((current, change) => mutate(current, change), seeds[index]!.bytes)
        await readsOrRejectsCleanly(bytes, chunks)
      }),
      { ...fuzzParameters(150), timeout: RUN_TIME_LIMIT_MS }
    )
  })

  it('survives layer tars damaged inside an intact gzip stream, or stored plain', async () => {
    const codec = fc.constantFrom<BlobCodec>('gzip', 'none')
    await fc.assert(
      fc.asyncProperty(codec, fc.array(mutation, { minLength: 1, maxLength: 3 }), chunkSeed(), async (layerCodec, changes, chunks) => {
        const damaged = changes.reduce<Buffer>((current, change) => mutate(current, change), plainLayer)
        const archive = await ociArchive([{ platform: { os: 'linux', architecture: 'amd64' }, layers: [{ codec: layerCodec, tar: damaged }] }])
        await readsOrRejectsCleanly(archive, chunks)
      }),
      { ...fuzzParameters(100), timeout: RUN_TIME_LIMIT_MS }
    )
  })

  it('survives archives whose manifest, index or config says anything at all, through to the analysis', async () => {
    const rewrite = seedIndex().chain((index) => {
      const seed = seeds[index]!
      const documents = jsonMembers(seed)
      // Member names, and every string the documents hold: digests, media types, platforms, tags.
      const strings = [...new Set([...seed.members.map((member) => member.name), ...documents.flatMap((member) => stringsIn(JSON.parse(String(member.content))))])]
      return fc.nat({ max: documents.length - 1 }).chain((which) => {
        const document = JSON.parse(String(documents[which]!.content)) as unknown
        const places = pathsOf(document)
        return fc.array(fc.tuple(fc.constantFrom(...places), jsonReplacement(strings)), { minLength: 1, maxLength: 3 }).map((edits) => ({
          index,
          name: documents[which]!.name,
          json: JSON.stringify(edits.reduce((current, [place, replacement]) => replaceAt(current, place, replacement), document))
        }))
      })
    })
    let file = 0
    await fc.assert(
      fc.asyncProperty(rewrite, async ({ index, name, json }) => {
        const members = seeds[index]!.members.map((member) => (member.name === name ? { ...member, content: json } : member))
        const path = join(scratch, `archive-${file++}.tar`)
        writeFileSync(path, await packTar(members))
        try {
          await readArchiveImage(path)
        } catch (error) {
          if (!isReaderError(error)) throw error
        } finally {
          rmSync(path)
        }
      }),
      { ...fuzzParameters(150), timeout: RUN_TIME_LIMIT_MS }
    )
  })
})

describe('archives the fuzzer broke the reader with', () => {
  const read = (archive: Buffer) => readImageArchive(streamOf(archive))

  it('a manifest.json whose entry is not an object is a layout error, not a TypeError', async () => {
    await expect(read(await packTar([{ name: 'manifest.json', content: '[""]' }]))).rejects.toThrow(
      new ArchiveLayoutError('manifest.json is not a docker-archive manifest: [0]: Invalid input: expected object, received string')
    )
  })

  it('an OCI index that lists itself is read once, instead of overflowing the stack', async () => {
    const selfListing = JSON.stringify({ schemaVersion: 2, manifests: [{ mediaType: INDEX_TYPE, digest: `sha256:${'0'.repeat(64)}` }] })
    const archive = await packTar([
      { name: `blobs/sha256/${'0'.repeat(64)}`, content: selfListing },
      { name: 'index.json', content: selfListing }
    ])
    await expect(read(archive)).rejects.toThrow(new ArchiveLayoutError('The archive index lists no image manifest'))
  })

  it('a config whose User is not a string is a layout error, not a crash in the rules', async () => {
    const members = seeds[0]!.members.map((member) =>
      /^[0-9a-f]{64}\.json$/.test(member.name)
        ? { ...member, content: JSON.stringify({ ...(JSON.parse(String(member.content)) as object), config: { User: [] } }) }
        : member
    )
    const path = join(scratch, 'user-array.tar')
    writeFileSync(path, await packTar(members))
    await expect(readArchiveImage(path)).rejects.toThrow(/is not an image config: config\.User: Invalid input: expected string, received array/)
  })

  it('a zstd layer with a damaged frame is a corrupt layer, not the codec error', async () => {
    const layer = Buffer.from([0x28, 0xb5, 0x2f, 0xfd, ...Buffer.alloc(60, 0xff)])
    await expect(read(await dockerArchive([layer], { layersFirst: false }))).rejects.toThrow(
      new CorruptLayerError('A zstd-compressed layer is corrupt (invalid zstd data): the archive is damaged or cut short')
    )
  })

  it('a gzip layer cut short is a corrupt layer, not zlib\'s "unexpected end of file"', async () => {
    const gzipped = gzipSync(await layerTar('cut'))
    await expect(read(await dockerArchive([gzipped.subarray(0, gzipped.length - 20)], { layersFirst: false }))).rejects.toThrow(
      new CorruptLayerError('A gzip-compressed layer is corrupt (unexpected end of file): the archive is damaged or cut short')
    )
  })

  it('a gzip layer holding no tar fails the read, instead of throwing from a stream event and hanging', async () => {
    await expect(read(await dockerArchive([gzipSync(Buffer.alloc(2048, 7))], { layersFirst: false }))).rejects.toThrow(TarFormatError)
  })
})
