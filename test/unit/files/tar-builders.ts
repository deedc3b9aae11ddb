// Real tar streams for the tests, written with tar-stream's packer, and ways to cut them into chunks.

import { createHash } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { Readable } from 'node:stream'
import { gzipSync } from 'node:zlib'
import tar from 'tar-stream'

export interface Member {
  name: string
  content?: string | Buffer
  type?: 'file' | 'directory' | 'symlink' | 'link'
  linkname?: string
  mode?: number
  uid?: number
  gid?: number
}

const FIXED_MTIME = new Date('2024-01-01T00:00:00Z')

export async function packTar(members: Member[]): Promise<Buffer> {
  const pack = tar.pack()
  const chunks: Buffer[] = []
  pack.on('data', (chunk: unknown) => void chunks.push(chunk as Buffer))
  const ended = new Promise<void>((resolve, reject) => {
    pack.on('end', resolve)
    pack.on('error', reject)
  })
  for (const member of members) {
    const type = member.type ?? (member.name.endsWith('/') ? 'directory' : 'file')
    const header = {
      name: member.name,
      type,
      mode: member.mode ?? (type === 'directory' ? 0o755 : 0o644),
      uid: member.uid ?? 0,
      gid: member.gid ?? 0,
      mtime: FIXED_MTIME,
      ...(member.linkname === undefined ? {} : { linkname: member.linkname })
    }
    if (type === 'file') pack.entry(header, member.content ?? '')
    else pack.entry(header)
  }
  pack.finalize()
  await ended
  return Buffer.concat(chunks)
}

export function sha256(bytes: Buffer): string {
  return 'sha256:' + createHash('sha256').update(bytes).digest('hex')
}

export type Cutting = { every: number } | { randomSeed: number }

/** The same bytes, cut at the given boundaries (every n bytes, or pseudo-random lengths from 1 to 4096). */
export function cut(bytes: Buffer, cutting: Cutting): Buffer[] {
  const pieces: Buffer[] = []
  let state = 'randomSeed' in cutting ? cutting.randomSeed : 0
  const nextLength = (): number => {
    if ('every' in cutting) return cutting.every
    state = (state * 1103515245 + 12345) % 2 ** 31
    return 1 + (state % 4096)
  }
  for (let offset = 0; offset < bytes.length; ) {
    const length = nextLength()
    pieces.push(bytes.subarray(offset, offset + length))
    offset += length
  }
  return pieces
}

export function streamOf(bytes: Buffer, cutting: Cutting = { every: 65536 }): Readable {
  return Readable.from(cut(bytes, cutting), { objectMode: false })
}

/** A docker-archive as Docker ≤ 24 writes it; `layersFirst` puts every layer before manifest.json and config. */
export async function dockerArchive(layers: Buffer[], options: { layersFirst: boolean; tag?: string }): Promise<Buffer> {
  const diffIds = layers.map(sha256)
  const config = configFor(diffIds)
  const configName = sha256(Buffer.from(config)).slice(7) + '.json'
  const layerMembers: Member[] = layers.flatMap((layer, index) => [
    { name: `layer${index}/`, type: 'directory' as const },
    { name: `layer${index}/VERSION`, content: '1.0' },
    { name: `layer${index}/layer.tar`, content: layer }
  ])
  const metadata: Member[] = [
    { name: configName, content: config },
    {
      name: 'manifest.json',
      content: JSON.stringify([
        { Config: configName, RepoTags: [options.tag ?? 'example/app:1'], Layers: layers.map((_, index) => `layer${index}/layer.tar`) }
      ])
    }
  ]
  return packTar(options.layersFirst ? [...layerMembers, ...metadata] : [...metadata, ...layerMembers])
}

export function configFor(diffIds: string[], platform = { os: 'linux', architecture: 'amd64' }): string {
  return JSON.stringify({
    ...platform,
    config: { User: 'app' },
    history: diffIds.map((_, index) => ({ created_by: `RUN step ${index}` })),
    rootfs: { type: 'layers', diff_ids: diffIds }
  })
}

export type BlobCodec = 'none' | 'gzip' | 'zstd-fixture'

export interface OciImage {
  platform: { os: string; architecture: string; variant?: string }
  /** Uncompressed layer tars, or the committed zstd fixture. */
  layers: Array<{ codec: BlobCodec; tar?: Buffer }>
}

/** The committed zstd layer (made with the zstd CLI) and the diff-id of the tar inside it. */
export const ZSTD_FIXTURE = {
  blob: readFileSync(new URL('./fixtures/layer.tar.zst', import.meta.url)),
  diffId: 'sha256:7c3e8b21a3be449e3294be8dba53ed8c1a5e4febdf562562b4e1f738b75e067c'
}

/**
 * An OCI layout with one multi-platform image: index.json → nested index → one manifest per platform.
 * Blobs come first and the index last, as containerd's exporter writes them.
 */
export async function ociArchive(images: OciImage[], options: { withDockerManifest?: boolean } = {}): Promise<Buffer> {
  const blobs = new Map<string, Buffer>()
  const addBlob = (bytes: Buffer): { digest: string; size: number } => {
    const digest = sha256(bytes)
    blobs.set(digest, bytes)
    return { digest, size: bytes.length }
  }
  const manifests = images.map((image) => {
    const layerDescriptors: Array<{ mediaType: string; digest: string; size: number }> = []
    const diffIds: string[] = []
    for (const layer of image.layers) {
      if (layer.codec === 'zstd-fixture') {
        diffIds.push(ZSTD_FIXTURE.diffId)
        layerDescriptors.push({ mediaType: 'application/vnd.oci.image.layer.v1.tar+zstd', ...addBlob(ZSTD_FIXTURE.blob) })
      } else {
        diffIds.push(sha256(layer.tar!))
        const blob = layer.codec === 'gzip' ? gzipSync(layer.tar!) : layer.tar!
        const mediaType = 'application/vnd.oci.image.layer.v1.tar' + (layer.codec === 'gzip' ? '+gzip' : '')
        layerDescriptors.push({ mediaType, ...addBlob(blob) })
      }
    }
    const config = addBlob(Buffer.from(configFor(diffIds, image.platform)))
    const manifest = addBlob(
      Buffer.from(
        JSON.stringify({
          schemaVersion: 2,
          mediaType: 'application/vnd.oci.image.manifest.v1+json',
          config: { mediaType: 'application/vnd.oci.image.config.v1+json', ...config },
          layers: layerDescriptors
        })
      )
    )
    return { manifest, config, layerDescriptors, platform: image.platform }
  })
  const nestedIndex = addBlob(
    Buffer.from(
      JSON.stringify({
        schemaVersion: 2,
        mediaType: 'application/vnd.oci.image.index.v1+json',
        manifests: manifests.map(({ manifest, platform }) => ({
          mediaType: 'application/vnd.oci.image.manifest.v1+json',
          ...manifest,
          platform
        }))
      })
    )
  )
  const index = {
    schemaVersion: 2,
    mediaType: 'application/vnd.oci.image.index.v1+json',
    manifests: [
      {
        mediaType: 'application/vnd.oci.image.index.v1+json',
        ...nestedIndex,
        annotations: { 'io.containerd.image.name': 'docker.io/example/multi:1', 'org.opencontainers.image.ref.name': '1' }
      }
    ]
  }
  const members: Member[] = [{ name: 'blobs/', type: 'directory' }, { name: 'blobs/sha256/', type: 'directory' }]
  for (const [digest, bytes] of blobs) members.push({ name: `blobs/sha256/${digest.slice(7)}`, content: bytes })
  members.push({ name: 'oci-layout', content: '{"imageLayoutVersion":"1.0.0"}' })
  members.push({ name: 'index.json', content: JSON.stringify(index) })
  if (options.withDockerManifest === true) {
    const first = manifests[0]!
    members.push({
      name: 'manifest.json',
      content: JSON.stringify([
        {
          Config: `blobs/sha256/${first.config.digest.slice(7)}`,
          RepoTags: ['example/multi:1'],
          Layers: first.layerDescriptors.map((layer) => `blobs/sha256/${layer.digest.slice(7)}`)
        }
      ])
    })
  }
  return packTar(members)
}

/** One ustar header block, written by hand: for members tar-stream will not write (huge, hostile) or for streams too big to hold. */
export function ustarHeader(name: string, size: number, typeFlag = '0'): Buffer {
  const header = Buffer.alloc(512)
  header.write(name, 0, 100, 'utf8')
  header.write(typeFlag === '5' ? '0000755\0' : '0000644\0', 100)
  header.write('0000000\0', 108)
  header.write('0000000\0', 116)
  header.write(size.toString(8).padStart(11, '0') + '\0', 124)
  header.write('00000000000\0', 136)
  header.write('        ', 148)
  header.write(typeFlag, 156)
  header.write('ustar\u000000', 257)
  let sum = 0
  for (const byte of header) sum += byte
  header.write(sum.toString(8).padStart(6, '0') + '\0 ', 148)
  return header
}

export const paddingFor = (size: number): Buffer => Buffer.alloc((512 - (size % 512)) % 512)
export const END_OF_ARCHIVE = Buffer.alloc(1024)

/** A layer tar made while it is read, never held whole: its exact size, and a fresh generator of its bytes. */
export interface GeneratedLayer {
  size: number
  bytes: () => Generator<Buffer>
}

const ZEROS = Buffer.alloc(1024 * 1024)

/** A layer holding files of zero bytes, each of its given size. */
export function zeroFilesLayer(files: Array<{ name: string; size: number }>): GeneratedLayer {
  return {
    size: files.reduce((total, { size }) => total + 512 + size + paddingFor(size).length, END_OF_ARCHIVE.length),
    *bytes() {
      for (const { name, size } of files) {
        yield ustarHeader(name, size)
        for (let left = size; left > 0; left -= ZEROS.length) yield left >= ZEROS.length ? ZEROS : ZEROS.subarray(0, left)
        yield paddingFor(size)
      }
      yield END_OF_ARCHIVE
    }
  }
}

/** A layer of `count` empty files, `d<i / 1000>/f<i % 1000>`, in 1 MB chunks. */
export function emptyFilesLayer(count: number): GeneratedLayer {
  return {
    size: count * 512 + END_OF_ARCHIVE.length,
    *bytes() {
      const perChunk = 2048
      for (let first = 0; first < count; first += perChunk) {
        const blocks: Buffer[] = []
        for (let index = first; index < Math.min(first + perChunk, count); index++) blocks.push(ustarHeader(`d${Math.floor(index / 1000)}/f${index % 1000}`, 0))
        yield Buffer.concat(blocks)
      }
      yield END_OF_ARCHIVE
    }
  }
}

/**
 * A docker-archive generated as it is read, layers first and manifest.json last (as Docker 20.10 writes
 * it): each layer's diff-id is hashed on the way out, so nothing is held and nothing is read twice.
 */
export function* streamedDockerArchive(layers: GeneratedLayer[], tag = 'example/generated:1'): Generator<Buffer> {
  const diffIds: string[] = []
  for (const [index, layer] of layers.entries()) {
    yield ustarHeader(`layer${index}/layer.tar`, layer.size)
    const hash = createHash('sha256')
    let written = 0
    for (const chunk of layer.bytes()) {
      hash.update(chunk)
      written += chunk.length
      yield chunk
    }
    if (written !== layer.size) throw new Error(`generated layer ${index} has ${written} bytes, not the ${layer.size} announced`)
    yield paddingFor(layer.size)
    diffIds.push('sha256:' + hash.digest('hex'))
  }
  const config = Buffer.from(configFor(diffIds))
  const configName = sha256(config).slice(7) + '.json'
  const manifest = Buffer.from(JSON.stringify([{ Config: configName, RepoTags: [tag], Layers: layers.map((_, index) => `layer${index}/layer.tar`) }]))
  for (const [name, bytes] of [[configName, config], ['manifest.json', manifest]] as const) {
    yield ustarHeader(name, bytes.length)
    yield bytes
    yield paddingFor(bytes.length)
  }
  yield END_OF_ARCHIVE
}

/** Passes the chunks on and records the highest resident memory seen while they flow (timers may not run meanwhile). */
export function* sampledRss(chunks: Iterable<Buffer>, peak: { rss: number }): Generator<Buffer> {
  let count = 0
  for (const chunk of chunks) {
    if (++count % 16 === 0) peak.rss = Math.max(peak.rss, process.memoryUsage.rss())
    yield chunk
  }
}
