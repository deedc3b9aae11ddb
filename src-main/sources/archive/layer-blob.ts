// Indexes one layer blob as it streams by: plain tar, gzip or zstd (told apart by magic bytes, never by name).

import { createHash, type Hash } from 'node:crypto'
import { once } from 'node:events'
import { createGunzip, type Gunzip } from 'node:zlib'
import { Decompress as ZstdDecompress } from 'fzstd'
import { CAPTURED_TEXT_MAX_BYTES, LayerIndexBuilder } from '../../engine/files/layer-index'
import type { LayerFiles } from '../../engine/files/types'
import { TarFormatError, TarWalker, type TarBodySink } from './tar-walker'

export type BlobCompression = 'none' | 'gzip' | 'zstd'

export interface IndexedBlob {
  compression: BlobCompression
  files: LayerFiles
  /** `sha256:…` of the uncompressed tar (the layer's diff-id), when hashing was asked for. */
  uncompressedDigest?: string
  uncompressedBytes: number
}

/** A compressed layer the codec cannot read: bad magic after the first bytes, a bad block, a wrong checksum, cut short. */
export class CorruptLayerError extends Error {
  override name = 'CorruptLayerError'
}

/** The codec's own error, said as what it means; a tar error from inside the layer stays as it is. */
function layerReadError(compression: BlobCompression, error: unknown): Error {
  if (error instanceof TarFormatError || error instanceof CorruptLayerError) return error
  const reason = error instanceof Error ? error.message : String(error)
  return new CorruptLayerError(`A ${compression}-compressed layer is corrupt (${reason}): the archive is damaged or cut short`)
}

export function compressionOf(head: Uint8Array): BlobCompression | undefined {
  if (head.length >= 2 && head[0] === 0x1f && head[1] === 0x8b) return 'gzip'
  if (head.length >= 4 && head[0] === 0x28 && head[1] === 0xb5 && head[2] === 0x2f && head[3] === 0xfd) return 'zstd'
  return undefined
}

/** Collects async work (zlib runs off-thread) so the archive reader can wait for it between chunks. */
export class PendingWork {
  private readonly promises: Promise<unknown>[] = []

  add(promise: Promise<unknown>): void {
    // Rejections surface through settle(); this keeps Node from reporting them as unhandled meanwhile.
    promise.catch(() => undefined)
    this.promises.push(promise)
  }

  async settle(): Promise<void> {
    while (this.promises.length > 0) await Promise.all(this.promises.splice(0))
  }
}

/** Walks the uncompressed layer tar: records members, captures small well-known text files, hashes if asked. */
class LayerTarIndexer {
  private readonly builder = new LayerIndexBuilder()
  private readonly walker: TarWalker
  private readonly hash: Hash | undefined
  private bytes = 0

  constructor(computeDigest: boolean) {
    this.hash = computeDigest ? createHash('sha256') : undefined
    this.walker = new TarWalker((header) => {
      const added = this.builder.add(header)
      if (added === undefined || !added.captureContent) return undefined
      return textCapture(header.size, (text) => this.builder.addCapturedText(added.entry.path, text))
    })
  }

  push(bytes: Uint8Array): void {
    this.bytes += bytes.length
    this.hash?.update(bytes)
    if (!this.walker.finished) this.walker.push(bytes)
  }

  finish(compression: BlobCompression): IndexedBlob {
    this.walker.end()
    const blob: IndexedBlob = { compression, files: this.builder.finish(), uncompressedBytes: this.bytes }
    if (this.hash !== undefined) blob.uncompressedDigest = 'sha256:' + this.hash.digest('hex')
    return blob
  }
}

function textCapture(size: number, onText: (text: string) => void): TarBodySink | undefined {
  if (size > CAPTURED_TEXT_MAX_BYTES) return undefined
  const chunks: Uint8Array[] = []
  return {
    write: (bytes) => void chunks.push(bytes.slice()),
    end: () => onText(Buffer.concat(chunks).toString('utf8'))
  }
}

/**
 * A tar-body sink for one outer archive member holding a layer. The first bytes decide the codec;
 * `onIndexed` runs once the whole layer was read (for gzip, after zlib drained).
 */
export function layerBlobSink(
  head: Uint8Array,
  options: { computeDigest: boolean; pending: PendingWork; onIndexed: (blob: IndexedBlob) => void }
): TarBodySink {
  const indexer = new LayerTarIndexer(options.computeDigest)
  const compression = compressionOf(head) ?? 'none'
  if (compression === 'none') {
    return { write: (bytes) => indexer.push(bytes), end: () => options.onIndexed(indexer.finish('none')) }
  }
  if (compression === 'zstd') {
    const zstd = new ZstdDecompress((chunk) => indexer.push(chunk))
    const push = (bytes: Uint8Array, last?: boolean): void => {
      try {
        zstd.push(bytes, last)
      } catch (error) {
        throw layerReadError('zstd', error)
      }
    }
    return {
      write: (bytes) => push(bytes),
      end: () => {
        push(new Uint8Array(0), true)
        options.onIndexed(indexer.finish('zstd'))
      }
    }
  }
  return gzipSink(indexer, options)
}

function gzipSink(
  indexer: LayerTarIndexer,
  options: { pending: PendingWork; onIndexed: (blob: IndexedBlob) => void }
): TarBodySink {
  const gunzip: Gunzip = createGunzip()
  const failed = once(gunzip, 'error').then(([error]) => Promise.reject(layerReadError('gzip', error)))
  failed.catch(() => undefined)
  // `once` also rejects on 'error', with zlib's own error: whichever promise settles first, the error is said the same way.
  const unlessFailed = (promise: Promise<unknown>): Promise<unknown> =>
    Promise.race([promise, failed]).catch((error: unknown) => Promise.reject(layerReadError('gzip', error)))
  gunzip.on('data', (chunk: Buffer) => {
    // Thrown from here, a bad layer tar would escape as an uncaught exception and leave the reader waiting forever.
    try {
      indexer.push(chunk)
    } catch (error) {
      gunzip.destroy(error as Error)
    }
  })
  return {
    write: (bytes) => {
      if (gunzip.destroyed) options.pending.add(failed)
      else if (!gunzip.write(bytes)) options.pending.add(unlessFailed(once(gunzip, 'drain')))
    },
    end: () => {
      if (gunzip.destroyed) {
        options.pending.add(failed)
        return
      }
      // A stream that is ending never emits 'drain', so a write still waiting for it would wait forever.
      const drained = gunzip.writableNeedDrain ? once(gunzip, 'drain') : Promise.resolve()
      const finished = drained
        .then(() => {
          const ended = once(gunzip, 'end')
          gunzip.end()
          return ended
        })
        .then(() => options.onIndexed(indexer.finish('gzip')))
      options.pending.add(unlessFailed(finished))
    }
  }
}
