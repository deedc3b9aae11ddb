// Reads an image archive (a `docker save` stream or a file) once, front to back: no temp files, no
// extraction. Members may come in any order, so layer blobs are indexed by archive path as they pass,
// and matched to the image's layers once manifest and config are known. Only small JSON is buffered.

import { createReadStream } from 'node:fs'
import { stat } from 'node:fs/promises'
import { arch } from 'node:process'
import type { Readable } from 'node:stream'
import type { LayerFiles, LayerFilesCache } from '../../engine/files/types'
import { compressionOf, layerBlobSink, PendingWork, type BlobCompression, type IndexedBlob } from './layer-blob'
import {
  archivePath,
  ArchiveLayoutError,
  EITHER_TOP_LEVEL_DOCUMENT,
  resolveImage,
  type ArchiveDocuments,
  type Platform,
  type ResolvedImage
} from './layout'
import { looksLikeTarHeader, TAR_BLOCK_BYTES, TarWalker, type TarBodySink, type TarHeader } from './tar-walker'

const SNIFF_BYTES = 512
/** Manifests, indexes and configs are kilobytes; a config with a very long history stays well under this. */
const JSON_MAX_BYTES = 8 * 1024 * 1024
/** All of them together, which are held until the read ends: hundreds of images' worth, yet bounded. */
const JSON_TOTAL_MAX_BYTES = 64 * 1024 * 1024
const PROGRESS_INTERVAL_MS = 100

export interface ArchiveProgress {
  bytesRead: number
  /** Known for files; for an engine's export only when the caller passes an estimate. */
  totalBytes?: number
}

export interface ArchiveLayer {
  /** Position in config.rootfs.diff_ids. */
  index: number
  diffId: string
  files: LayerFiles
  blobPath: string
  /** Undefined when the layer came from the cache and its blob was skipped. */
  compression?: BlobCompression
  /** sha256 of the uncompressed tar as read, when computed; always equal to diffId (else the read fails). */
  computedDiffId?: string
  fromCache: boolean
}

export interface ArchiveImage extends Omit<ResolvedImage, 'layerPaths'> {
  layers: ArchiveLayer[]
  bytesRead: number
}

export interface ArchiveReadOptions {
  imageRef?: string
  platform?: Platform
  totalBytes?: number
  signal?: AbortSignal
  /** Layers already indexed, by diff-id; filled with each new layer read. */
  cache?: LayerFilesCache
  /**
   * Hash each uncompressed layer and check it against its diff-id. Default true. Without it, a layer
   * is known early (before the manifest) only when the archive names it by its diff-id.
   */
  verifyDiffIds?: boolean
  onProgress?: (progress: ArchiveProgress) => void
  /** The image's config and layer list, as soon as manifest and config have streamed by. */
  onImage?: (image: ResolvedImage) => void
  /** Each layer as soon as it is indexed and its place in the image is known; in any order. */
  onLayer?: (layer: ArchiveLayer) => void
  /**
   * Each layer blob as soon as its diff-id is known (hashed while it streamed, or named by the archive),
   * before manifest and config say where it belongs: Docker 20.10 writes manifest.json last.
   */
  onLayerFiles?: (diffId: string, files: LayerFiles) => void
}

export class ArchiveIntegrityError extends Error {
  override name = 'ArchiveIntegrityError'
}

interface BlobRecord {
  files: LayerFiles
  compression?: BlobCompression
  /** sha256 of the uncompressed blob, when hashed. */
  computedDiffId?: string
  fromCache: boolean
}

export function hostPlatform(): Platform {
  if (arch === 'arm64') return { os: 'linux', architecture: 'arm64' }
  if (arch === 'arm') return { os: 'linux', architecture: 'arm' }
  return { os: 'linux', architecture: 'amd64' }
}

export async function readImageArchiveFile(path: string, options: ArchiveReadOptions = {}): Promise<ArchiveImage> {
  const { size } = await stat(path)
  const stream = createReadStream(path, { highWaterMark: 1024 * 1024 })
  return readImageArchive(stream, { totalBytes: size, ...options })
}

export async function readImageArchive(source: Readable, options: ArchiveReadOptions = {}): Promise<ArchiveImage> {
  const session = new ArchiveSession(options)
  const { signal } = options
  signal?.throwIfAborted()
  const abort = (): void => void source.destroy(signal!.reason as Error)
  signal?.addEventListener('abort', abort, { once: true })
  let lastProgress = 0
  try {
    for await (const chunk of source as AsyncIterable<Buffer>) {
      session.push(chunk)
      await session.pending.settle()
      const now = Date.now()
      if (now - lastProgress >= PROGRESS_INTERVAL_MS) {
        lastProgress = now
        session.reportProgress()
      }
    }
    signal?.throwIfAborted()
    return await session.finish()
  } catch (error) {
    source.destroy()
    // How far the read got, for a partial result.
    session.reportProgress()
    signal?.throwIfAborted()
    throw error
  } finally {
    signal?.removeEventListener('abort', abort)
  }
}

class ArchiveSession implements ArchiveDocuments {
  readonly pending = new PendingWork()
  complete = false
  private readonly walker: TarWalker
  private readonly documents = new Map<string, unknown>()
  private readonly seen = new Set<string>()
  private readonly aliases = new Map<string, string>()
  private readonly blobs = new Map<string, BlobRecord>()
  private readonly layers: ArchiveLayer[] = []
  private resolved: ResolvedImage | undefined
  /** The document the last resolution waited for. */
  private awaited: string | undefined
  private bytesRead = 0
  private jsonBytes = 0

  constructor(private readonly options: ArchiveReadOptions) {
    this.walker = new TarWalker((header) => this.onMember(header))
  }

  json(path: string): unknown {
    return this.documents.get(this.canonical(path))
  }

  has(path: string): boolean {
    return this.seen.has(path)
  }

  push(chunk: Buffer): void {
    this.bytesRead += chunk.length
    if (!this.walker.finished) this.walker.push(chunk)
  }

  reportProgress(): void {
    const progress: ArchiveProgress = { bytesRead: this.bytesRead }
    if (this.options.totalBytes !== undefined) progress.totalBytes = this.options.totalBytes
    this.options.onProgress?.(progress)
  }

  async finish(): Promise<ArchiveImage> {
    try {
      this.walker.end()
      await this.pending.settle()
      this.complete = true
      this.reportProgress()
      return this.wholeImage()
    } catch (error) {
      // Without the end-of-archive marker, whatever is missing was most likely cut off: say so.
      if (this.walker.finished || !(error instanceof Error)) throw error
      if (this.bytesRead < TAR_BLOCK_BYTES) {
        throw new ArchiveLayoutError(`It is not a tar archive: it holds ${this.bytesRead} bytes, fewer than one tar header.`)
      }
      throw new ArchiveLayoutError(
        `The archive ends early, after ${this.bytesRead.toLocaleString('en-US')} bytes and without its end-of-archive marker (was it cut short?): ${error.message}`
      )
    }
  }

  private wholeImage(): ArchiveImage {
    this.tryResolve()
    const image = this.resolved
    if (image === undefined) {
      const resolution = resolveImage(this, this.request())
      throw new ArchiveLayoutError(`The archive is incomplete: ${'waitingFor' in resolution ? resolution.waitingFor : 'the image'} is missing`)
    }
    image.layerPaths.forEach((path, index) => {
      if (this.layers[index] === undefined) throw new ArchiveLayoutError(`The archive lacks layer ${index + 1} (${path})`)
    })
    const { layerPaths: _layerPaths, ...described } = image
    return { ...described, layers: this.layers, bytesRead: this.bytesRead }
  }

  private request() {
    const { imageRef, platform } = this.options
    return {
      defaultPlatform: hostPlatform(),
      ...(imageRef === undefined ? {} : { imageRef }),
      ...(platform === undefined ? {} : { platform })
    }
  }

  private onMember(header: TarHeader): TarBodySink | undefined {
    const path = archivePath(header.name)
    if (path === '') return undefined
    this.seen.add(path)
    if (header.type === 'symlink' || header.type === 'hardlink') {
      this.aliases.set(path, linkTargetPath(path, header.linkName, header.type))
      this.tryEmitLayers()
      return undefined
    }
    if (header.type !== 'file' || header.size === 0) return undefined
    const cached = this.cachedFilesFor(path)
    if (cached !== undefined) {
      this.blobs.set(path, { files: cached.files, fromCache: true })
      this.options.onLayerFiles?.(cached.diffId, cached.files)
      this.tryEmitLayers()
      return undefined
    }
    return sniffingSink(Math.min(header.size, SNIFF_BYTES), (head) => this.sinkFor(path, header.size, head))
  }

  private sinkFor(path: string, size: number, head: Uint8Array): TarBodySink | undefined {
    if (size <= JSON_MAX_BYTES && startsLikeJson(head)) {
      this.jsonBytes += size
      if (this.jsonBytes > JSON_TOTAL_MAX_BYTES) {
        throw new ArchiveLayoutError(
          `The archive holds more than ${JSON_TOTAL_MAX_BYTES / 1024 / 1024} MB of JSON documents (${path} among them): an image's manifests and configs take kilobytes, so this is not an image archive`
        )
      }
      return collectingSink((bytes) => {
        this.documents.set(path, parseJson(bytes, path))
        this.tryResolve()
      })
    }
    if (compressionOf(head) === undefined && !looksLikeTarHeader(head)) return undefined
    return layerBlobSink(head, {
      computeDigest: this.options.verifyDiffIds !== false,
      pending: this.pending,
      onIndexed: (blob) => this.onBlobIndexed(path, blob)
    })
  }

  private onBlobIndexed(path: string, blob: IndexedBlob): void {
    // Known before the manifest says where the blob belongs: hashed as it streamed, or named by its digest.
    const digest = blob.uncompressedDigest ?? (blob.compression === 'none' ? diffIdNamedBy(path) : undefined)
    // A layer another image already indexed keeps its one copy in memory.
    const files = (digest === undefined ? undefined : this.options.cache?.get(digest)) ?? blob.files
    const record: BlobRecord = { files, compression: blob.compression, fromCache: false }
    if (blob.uncompressedDigest !== undefined) record.computedDiffId = blob.uncompressedDigest
    if (digest !== undefined) {
      this.options.cache?.set(digest, files)
      this.options.onLayerFiles?.(digest, files)
    }
    this.blobs.set(path, record)
    this.tryEmitLayers()
  }

  /** A blob whose diff-id is known before its bytes arrive, and already indexed, need not be read. */
  private cachedFilesFor(path: string): { diffId: string; files: LayerFiles } | undefined {
    const cache = this.options.cache
    if (cache === undefined) return undefined
    const named = diffIdNamedBy(path)
    const namedFiles = named === undefined ? undefined : cache.get(named)
    if (namedFiles !== undefined) return { diffId: named!, files: namedFiles }
    const image = this.resolved
    if (image === undefined) return undefined
    const index = image.layerPaths.findIndex((layerPath) => this.canonical(layerPath) === path)
    if (index === -1) return undefined
    const diffId = image.config.rootfs.diff_ids[index]!
    const files = cache.get(diffId)
    return files === undefined ? undefined : { diffId, files }
  }

  /**
   * Each attempt checks every index and descriptor there is, so it waits for the document the last one
   * waited for: no other can complete it, and a hostile archive of many documents would make it quadratic.
   */
  private tryResolve(): void {
    if (this.resolved !== undefined) return
    if (this.awaited !== undefined && this.json(this.awaited) === undefined && !this.complete) return
    const resolution = resolveImage(this, this.request())
    if (!('image' in resolution)) {
      this.awaited = resolution.waitingFor === EITHER_TOP_LEVEL_DOCUMENT ? undefined : resolution.waitingFor
      return
    }
    const image = resolution.image
    if (image.layerPaths.length !== image.config.rootfs.diff_ids.length) {
      throw new ArchiveLayoutError(
        `The manifest lists ${image.layerPaths.length} layers but the config has ${image.config.rootfs.diff_ids.length} diff-ids`
      )
    }
    this.resolved = image
    this.options.onImage?.(image)
    this.tryEmitLayers()
  }

  private tryEmitLayers(): void {
    const image = this.resolved
    if (image === undefined) return
    image.layerPaths.forEach((layerPath, index) => {
      if (this.layers[index] !== undefined) return
      const blobPath = this.canonical(layerPath)
      const blob = this.blobs.get(blobPath)
      if (blob === undefined) return
      const diffId = image.config.rootfs.diff_ids[index]!
      if (blob.computedDiffId !== undefined && blob.computedDiffId !== diffId) {
        throw new ArchiveIntegrityError(
          `Layer ${index + 1} (${blobPath}) hashes to ${blob.computedDiffId}, but the config says ${diffId}: the archive is corrupt`
        )
      }
      const layer: ArchiveLayer = { index, diffId, files: blob.files, blobPath, fromCache: blob.fromCache }
      if (blob.compression !== undefined) layer.compression = blob.compression
      if (blob.computedDiffId !== undefined) layer.computedDiffId = blob.computedDiffId
      this.layers[index] = layer
      this.options.cache?.set(diffId, blob.files)
      this.options.onLayer?.(layer)
    })
  }

  private canonical(path: string): string {
    let current = archivePath(path)
    for (let hops = 0; hops < 8; hops++) {
      const target = this.aliases.get(current)
      if (target === undefined) return current
      current = target
    }
    return current
  }
}

/**
 * The diff-id an archive path names, if it names one: an OCI blob is named by its digest, which for an
 * uncompressed layer is its diff-id; podman names its layer tars `<diff-id>.tar`.
 */
function diffIdNamedBy(path: string): string | undefined {
  const named = /^blobs\/sha256\/([0-9a-f]{64})$/.exec(path) ?? /^([0-9a-f]{64})\.tar$/.exec(path)
  return named === null ? undefined : `sha256:${named[1]}`
}

function linkTargetPath(path: string, linkName: string, type: 'symlink' | 'hardlink'): string {
  if (type === 'hardlink' || linkName.startsWith('/')) return archivePath(linkName)
  const directory = path.includes('/') ? path.slice(0, path.lastIndexOf('/')) : ''
  const segments: string[] = []
  for (const segment of `${directory}/${linkName}`.split('/')) {
    if (segment === '' || segment === '.') continue
    if (segment === '..') segments.pop()
    else segments.push(segment)
  }
  return segments.join('/')
}

/** Holds back the first bytes of a member until there are enough to tell what it is. */
function sniffingSink(headLength: number, choose: (head: Uint8Array) => TarBodySink | undefined): TarBodySink {
  const head = new Uint8Array(headLength)
  let filled = 0
  let chosen: TarBodySink | undefined
  let decided = false
  const decide = (): void => {
    decided = true
    chosen = choose(head)
    chosen?.write(head)
  }
  return {
    write(bytes) {
      if (decided) {
        chosen?.write(bytes)
        return
      }
      const take = Math.min(headLength - filled, bytes.length)
      head.set(bytes.subarray(0, take), filled)
      filled += take
      if (filled < headLength) return
      decide()
      if (take < bytes.length) chosen?.write(bytes.subarray(take))
    },
    end() {
      if (!decided) decide()
      chosen?.end()
    }
  }
}

function collectingSink(onComplete: (bytes: Buffer) => void): TarBodySink {
  const chunks: Uint8Array[] = []
  return {
    write: (bytes) => void chunks.push(bytes.slice()),
    end: () => onComplete(Buffer.concat(chunks))
  }
}

function startsLikeJson(head: Uint8Array): boolean {
  for (const byte of head) {
    if (byte === 0x20 || byte === 0x0a || byte === 0x0d || byte === 0x09) continue
    return byte === 0x7b || byte === 0x5b
  }
  return false
}

function parseJson(bytes: Buffer, path: string): unknown {
  try {
    return JSON.parse(bytes.toString('utf8'))
  } catch {
    throw new ArchiveLayoutError(`${path} in the archive is not valid JSON`)
  }
}
