// Scans: an image's layers read from the engine's export in the background, with progress, file findings
// merged in as layers arrive, and later requests for the same image joining the scan already there.
import type Docker from 'dockerode'
import type { ApiError, FileView, ScanState, ScanStatus } from '../src-preload/contract'
import { analyzeImage, type AnalyzeInput } from './engine/analyze'
import { analyzeContents, type ContentsResult } from './engine/contents'
import { fileRows } from './engine/files/file-rows'
import { BoundedLayerCache } from './engine/files/layer-cache'
import type { LayerFiles } from './engine/files/types'
import { LayerStack } from './engine/files/waste'
import type { FileRow, ImageAnalysis } from './engine/model'
import type { RawImageConfig } from './engine/raw'
import { formatBytes } from './engine/reports/format'
import { readSavedImage } from './sources/archive/saved-image'
import type { EngineSource } from './sources/docker'
import { ExportStalledError, formatDuration, reasonOf, SourceError } from './sources/errors'

/** Where a scan reads from: the engine's client for the export, and its metadata API to explain failures. */
export interface ScanSource {
  client: Docker
  engine: EngineSource
  /** How long the export may send nothing before the scan fails with TIMEOUT; DEFAULT_EXPORT_STALL_MS by default. */
  exportStallMs?: number
}

class Scan {
  state: ScanState = 'running'
  bytesRead = 0
  error: ApiError | undefined
  readonly controller = new AbortController()
  /** Settles when the read ends, however it ends. */
  ended: Promise<void> = Promise.resolve()
  layersDone: number
  private result: ContentsResult | undefined
  /** Held while the read runs; afterwards the layer cache owns the layers, so memory stays bounded. */
  private layers: Array<LayerFiles | undefined> | undefined
  /** The layers stacked bottom up as they arrive, so the export's end leaves little to do. */
  private stack: LayerStack | undefined = new LayerStack()

  constructor(
    private readonly metadataInput: AnalyzeInput,
    public metadata: ImageAnalysis,
    public totalBytes: number,
    cached: Array<LayerFiles | undefined>
  ) {
    this.layers = cached
    this.layersDone = cached.filter((files) => files !== undefined).length
    this.stackArrivedLayers()
  }

  get diffIds(): string[] {
    return this.metadata.layers.map((layer) => layer.diffId)
  }

  get layerCount(): number {
    return this.metadata.layers.length
  }

  get complete(): boolean {
    return this.layers?.every((files) => files !== undefined) ?? false
  }

  /** The running read's layers, when it holds every one of `upTo`+1 first layers. */
  heldLayers(upTo: number): LayerFiles[] | undefined {
    const held = this.layers?.slice(0, upTo + 1)
    return held?.every((files) => files !== undefined) ? (held as LayerFiles[]) : undefined
  }

  /** A read layer lands at every position whose diff-id it has (identical empty layers share one). */
  addLayer(diffId: string, files: LayerFiles): void {
    const layers = this.layers
    if (layers === undefined) return
    this.diffIds.forEach((candidate, index) => {
      if (candidate !== diffId || layers[index] !== undefined) return
      layers[index] = files
      this.layersDone += 1
    })
    this.stackArrivedLayers()
    this.result = undefined
  }

  /** Stacks every layer whose lower layers have all arrived. */
  private stackArrivedLayers(): void {
    const { layers, stack } = this
    if (layers === undefined || stack === undefined) return
    for (let next = layers[stack.height]; next !== undefined; next = layers[stack.height]) stack.push(next)
  }

  /**
   * The export's image config marks each history entry as a layer or not, which the history API does not
   * (a RUN that only deletes and a WORKDIR look alike there): with it, every step finds its layer exactly.
   */
  alignWithConfig(config: RawImageConfig): void {
    const aligned = analyzeImage({ ...this.metadataInput, config })
    // Most histories place every step already: then the analysis made of the arrived layers still holds.
    if (JSON.stringify(aligned) === JSON.stringify(this.metadata)) return
    this.metadata = aligned
    this.result = undefined
  }

  finish(state: Exclude<ScanState, 'running'>, error?: ApiError): void {
    this.state = state
    if (state === 'done') this.totalBytes = this.bytesRead
    if (error !== undefined) this.error = error
    // A done scan's analysis is the one already made of the same layers; a stopped one gains a note.
    if (state !== 'done') this.result = undefined
    this.analyse()
    this.layers = undefined
    this.stack = undefined
  }

  status(): ScanStatus {
    const result = this.analyse()
    const status: ScanStatus = {
      imageId: this.metadata.image.id,
      state: this.state,
      bytesRead: this.bytesRead,
      totalBytes: this.totalBytes,
      layersDone: this.layersDone,
      layerCount: this.layerCount,
      analysis: result.analysis
    }
    if (result.contents !== undefined) status.contents = result.contents
    if (this.error !== undefined) status.error = this.error
    return status
  }

  private analyse(): ContentsResult {
    if (this.result !== undefined) return this.result
    const layers = this.layers ?? []
    const result = analyzeContents(this.metadata, layers, this.stack)
    if (this.state === 'failed' || this.state === 'cancelled') {
      const why = this.state === 'cancelled' ? 'The scan was cancelled' : 'The read failed'
      const note = `${why} after ${this.layersDone} of ${this.layerCount} layers: the file findings cover only those layers.`
      result.analysis = { ...result.analysis, notes: [...(result.analysis.notes ?? []), note] }
    }
    this.result = result
    return result
  }
}

export class ScanRegistry {
  private readonly scans = new Map<string, Scan>()

  constructor(readonly cache = new BoundedLayerCache()) {}

  /** The scan of this image when one runs or is done; a failed or cancelled one is started again. */
  joinable(imageId: string): ScanStatus | undefined {
    const scan = this.scans.get(imageId)
    return scan !== undefined && (scan.state === 'running' || scan.state === 'done') ? scan.status() : undefined
  }

  /**
   * Starts reading the image's export, unless every layer is already in the cache: then the analysis is
   * done at once and the engine is not asked for an export at all.
   */
  start(source: ScanSource, metadataInput: AnalyzeInput): ScanStatus {
    const metadata = analyzeImage(metadataInput)
    const imageId = metadata.image.id
    const cached = metadata.layers.map((layer) => this.cache.get(layer.diffId))
    const scan = new Scan(metadataInput, metadata, metadata.image.size, cached)
    this.scans.set(imageId, scan)
    if (scan.complete) {
      scan.finish('done')
      return scan.status()
    }
    scan.ended = this.read(source, scan)
    return scan.status()
  }

  status(imageId: string): ScanStatus {
    return this.scanOf(imageId).status()
  }

  async cancel(imageId: string): Promise<ScanStatus> {
    const scan = this.scanOf(imageId)
    scan.controller.abort()
    await scan.ended
    return scan.status()
  }

  /** Waits for the read to end; for callers that want the whole analysis, like the audit command. */
  async settled(imageId: string): Promise<ScanStatus> {
    const scan = this.scanOf(imageId)
    await scan.ended
    return scan.status()
  }

  async files(source: ScanSource, imageId: string, layerIndex: number, view: FileView): Promise<FileRow[]> {
    const scan = this.scanOf(imageId)
    if (layerIndex >= scan.layerCount) {
      throw new SourceError({
        code: 'INVALID_ARGUMENT',
        message: `The image has ${scan.layerCount} layers; there is no layer ${layerIndex + 1}.`,
        fix: 'Ask for a layer index from 0 to the layer count minus one.'
      })
    }
    const layers = scan.heldLayers(layerIndex) ?? (scan.state === 'running' ? undefined : await this.layersUpTo(source, scan, layerIndex))
    if (layers === undefined) {
      throw new SourceError({
        code: 'INVALID_ARGUMENT',
        message: `Layer ${layerIndex + 1} (or one below it) has not been read yet.`,
        fix: 'Wait until the scan has read it: scanStatus shows how many layers are done.'
      })
    }
    return fileRows(layers, layerIndex, view)
  }

  /** Every layer's files of a finished scan, in layer order: for snapshots and comparisons. */
  async layerFiles(source: ScanSource, imageId: string): Promise<LayerFiles[]> {
    const scan = this.scanOf(imageId)
    return scan.heldLayers(scan.layerCount - 1) ?? this.layersUpTo(source, scan, scan.layerCount - 1)
  }

  private scanOf(imageId: string): Scan {
    const scan = this.scans.get(imageId)
    if (scan !== undefined) return scan
    throw new SourceError({
      code: 'INVALID_ARGUMENT',
      message: `No scan of the image ${imageId.slice(0, 19)}… was started.`,
      fix: 'Start one with startScan, then ask for its status or files.'
    })
  }

  /** Layers of a finished scan from the cache; those it had to drop for memory are read again. */
  private async layersUpTo(source: ScanSource, scan: Scan, layerIndex: number): Promise<LayerFiles[]> {
    const wanted = scan.diffIds.slice(0, layerIndex + 1)
    const cached = wanted.map((diffId) => this.cache.get(diffId))
    if (cached.every((files) => files !== undefined)) return cached as LayerFiles[]
    const image = await readSavedImage(source.client, scan.metadata.image.id, { cache: this.cache, stallTimeoutMs: source.exportStallMs })
    return image.layers.slice(0, layerIndex + 1).map((layer) => layer.files)
  }

  private async read(source: ScanSource, scan: Scan): Promise<void> {
    try {
      await readSavedImage(source.client, scan.metadata.image.id, {
        cache: this.cache,
        signal: scan.controller.signal,
        totalBytes: scan.totalBytes,
        stallTimeoutMs: source.exportStallMs,
        onProgress: ({ bytesRead }) => (scan.bytesRead = bytesRead),
        onLayerFiles: (diffId, files) => scan.addLayer(diffId, files),
        onLayer: (layer) => scan.addLayer(layer.diffId, layer.files)
      }).then((image) => {
        scan.bytesRead = image.bytesRead
        scan.alignWithConfig(image.config as RawImageConfig)
      })
      scan.finish('done')
    } catch (error) {
      if (scan.controller.signal.aborted) scan.finish('cancelled')
      else scan.finish('failed', await explainReadFailure(source, scan, error))
    }
  }
}

/** Why a read broke off: the image went away, the engine did, or the export itself was cut or malformed. */
async function explainReadFailure(source: ScanSource, scan: Scan, error: unknown): Promise<ApiError> {
  const { image } = scan.metadata
  const name = image.repoTags[0] ?? image.id.slice(0, 19)
  if (error instanceof ExportStalledError) return exportStalled(name, scan, error)
  try {
    await source.engine.inspectImage(image.id)
  } catch (inspectError) {
    const cause = inspectError instanceof SourceError ? inspectError.apiError : undefined
    if (cause === undefined) return exportIncomplete(name, scan, error)
    if (cause.code === 'IMAGE_NOT_FOUND') {
      return {
        code: 'IMAGE_NOT_FOUND',
        message: `The image ${name} was removed while its layers were being read.`,
        fix: 'Build or pull the image again, then scan it again. Findings from the layers read before are kept, marked as partial.'
      }
    }
    return { ...cause, message: `The engine stopped answering while the layers of ${name} were being read. ${cause.message}` }
  }
  return exportIncomplete(name, scan, error)
}

function exportStalled(name: string, scan: Scan, error: ExportStalledError): ApiError {
  const where = scan.bytesRead === 0 ? 'before it began' : `after ${formatBytes(scan.bytesRead)} of about ${formatBytes(scan.totalBytes)}`
  return {
    code: 'TIMEOUT',
    message: `The engine's export of ${name} sent no data for ${formatDuration(error.milliseconds)} ${where}, so the scan gave up.`,
    fix: 'The engine may be busy or stuck: check it with `docker info` (restart it if it does not answer), then retry the scan. Findings from the layers read before are kept, marked as partial.'
  }
}

function exportIncomplete(name: string, scan: Scan, error: unknown): ApiError {
  return {
    code: 'EXPORT_INCOMPLETE',
    message: `The engine's export of ${name} broke off after ${formatBytes(scan.bytesRead)} of about ${formatBytes(scan.totalBytes)}: ${reasonOf(error)}`,
    fix: 'Scan again. If it fails again, run `docker save -o image.tar IMAGE` to see the engine\'s own error, and check its log and free disk space.'
  }
}
