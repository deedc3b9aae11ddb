import type Docker from 'dockerode'
import type { Readable } from 'node:stream'
import { imagePath } from '../docker'
import { ExportStalledError } from '../errors'
import { readImageArchive, type ArchiveImage, type ArchiveReadOptions } from './archive-reader'

/**
 * Docker ≤ 24 writes the whole export to a temporary directory before it sends the first byte (8 s for
 * a 1 GB image here), so the limit must allow for that on big images and slow disks.
 */
export const DEFAULT_EXPORT_STALL_MS = 5 * 60_000

export interface SavedImageReadOptions extends Omit<ArchiveReadOptions, 'imageRef'> {
  /** The export is abandoned (ExportStalledError) when the engine sends nothing for this long. */
  stallTimeoutMs?: number
}

/**
 * Streams the engine's export of one image (GET /images/{name}/get) through the archive reader.
 * The export holds just that image, so no name is needed to pick it (and an id would match no tag).
 * The layers are not hashed: the engine is the authority on its own diff-ids, and hashing a
 * gigabyte costs more CPU than the rest of the read (an archive file from a user is still verified).
 */
export async function readSavedImage(client: Docker, nameOrId: string, options: SavedImageReadOptions = {}): Promise<ArchiveImage> {
  const { stallTimeoutMs = DEFAULT_EXPORT_STALL_MS, onProgress, ...readOptions } = options
  const watchdog = new StallWatchdog(stallTimeoutMs)
  const signal = options.signal === undefined ? watchdog.signal : AbortSignal.any([options.signal, watchdog.signal])
  try {
    const exported = await requestExport(client, nameOrId, signal)
    return await readImageArchive(exported, {
      verifyDiffIds: false,
      ...readOptions,
      signal,
      onProgress: (progress) => {
        watchdog.progressed()
        onProgress?.(progress)
      }
    })
  } catch (error) {
    throw watchdog.signal.aborted ? watchdog.signal.reason : error
  } finally {
    watchdog.stop()
  }
}

function requestExport(client: Docker, nameOrId: string, signal: AbortSignal): Promise<Readable> {
  return new Promise((resolve, reject) => {
    client.modem.dial(
      {
        path: imagePath(nameOrId, 'get'),
        method: 'GET',
        isStream: true,
        abortSignal: signal,
        statusCodes: { 200: true, 404: 'not found', 500: 'server error' }
      },
      (error, stream) => (error ? reject(error) : resolve(stream as Readable))
    )
  })
}

/**
 * Aborts when the read makes no progress for `stallMs`: while waiting for the export to start, or in the
 * middle of it. The reader reports progress as bytes arrive (at most every 100 ms), which only stamps the
 * time; one coarse interval timer compares, so the hot path gains no timer work per chunk.
 */
class StallWatchdog {
  private readonly controller = new AbortController()
  private lastProgressAt = Date.now()
  private readonly checker: NodeJS.Timeout

  constructor(private readonly stallMs: number) {
    this.checker = setInterval(() => this.check(), Math.max(50, Math.min(stallMs / 10, 5000)))
  }

  get signal(): AbortSignal {
    return this.controller.signal
  }

  progressed(): void {
    this.lastProgressAt = Date.now()
  }

  stop(): void {
    clearInterval(this.checker)
  }

  private check(): void {
    if (Date.now() - this.lastProgressAt < this.stallMs) return
    this.stop()
    this.controller.abort(new ExportStalledError(this.stallMs))
  }
}
