// The read-only operations every front door shares. Each returns a Result: whatever goes wrong
// comes back as an ApiError with a fix, and nothing thrown crosses this boundary.
import { existsSync } from 'node:fs'
import { readFile } from 'node:fs/promises'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import type { Api, ApiError, FileView, ReportFormat, Result, ScanStatus } from '../src-preload/contract'
import { applyFixes, attachDockerfile, checkDockerfile, compareScanned } from './dockerfiles'
import { analyzeImage, LESSON_PART_IDS, localImageOf, parseLessonPart, summarizeImage } from './engine'
import type { AnalyzeInput, ImageAnalysis, LocalImage, RawImageInspect, RawImageListItem } from './engine'
import { mapConcurrently } from './sources/concurrency'
import type { ScanRegistry, ScanSource } from './scans'
import { imageReport } from './image-report'
import { SnapshotLibrary } from './snapshots'
import { EngineSelection, scanSourceOf } from './engine-selection'
import { connect } from './sources/connection'
import { EngineSource } from './sources/docker'
import type { EndpointEnvironment } from './sources/endpoint'
import { SourceError } from './sources/errors'

export interface ServiceOptions {
  /** Where to look for the engine settings; the process environment by default. */
  environment?: EndpointEnvironment
  /** The folder holding `lesson/`; found next to the code by default. */
  resourcesDir?: string
  /** Per engine request. */
  timeoutMs?: number
  /** How long an image export may send nothing before its scan fails with TIMEOUT. */
  exportStallMs?: number
  /** Inspect requests in flight at once when reading every local image. */
  concurrency?: number
  /** Shared scans and layer cache; one per service by default. */
  scans?: ScanRegistry
}

const DEFAULT_CONCURRENCY = 8

/** The engine as the options name it, for reading exports; resolve it on every use, so a changed context is picked up. */
export function engineScanSource(options: Pick<ServiceOptions, 'environment' | 'timeoutMs' | 'exportStallMs'> = {}): ScanSource {
  return scanSourceOf(connect(options.environment, options.timeoutMs), options.exportStallMs)
}

export function createService(options: ServiceOptions = {}): Api {
  const concurrency = options.concurrency ?? DEFAULT_CONCURRENCY
  // The engine the user picked in the app, else the one the environment names; its scans and its events.
  const selection = new EngineSelection(options)
  const scanSource = (): ScanSource => selection.scanSource()
  const source = (): EngineSource => scanSource().engine
  const resourcesDir = (): string => options.resourcesDir ?? findResourcesDir()
  const snapshots = new SnapshotLibrary(resourcesDir)
  const readLessons = async () => {
    const lessonDir = join(resourcesDir(), 'lesson')
    // Every part of the catalog, in its order: a missing text is a packaging bug worth reporting.
    return Promise.all(LESSON_PART_IDS.map(async (id) => parseLessonPart(id, await readFile(join(lessonDir, `${id}.md`), 'utf8'))))
  }
  const metadataOf = async (engine: EngineSource, inspect: RawImageInspect): Promise<AnalyzeInput> => ({
    inspect,
    // By id from here on: the name could move to another image between two requests.
    history: await engine.imageHistory(inspect.Id),
    localImages: await baseCandidates(engine, inspect, concurrency)
  })

  const startScan = async (ref: string): Promise<ScanStatus> => {
    const reading = scanSource()
    const scans = selection.scans()
    const inspect = await reading.engine.inspectImage(ref)
    const joined = scans.joinable(inspect.Id)
    if (joined !== undefined) return joined
    const metadata = await metadataOf(reading.engine, inspect)
    // Another request may have started this image's scan while the metadata was being read.
    return scans.joinable(inspect.Id) ?? scans.start(reading, metadata)
  }
  const analyzeRef = async (ref: string): Promise<ImageAnalysis> => {
    const engine = source()
    return analyzeImage(await metadataOf(engine, await engine.inspectImage(ref)))
  }

  return {
    engineInfo: () => guard(() => source().engineInfo()),

    listConnections: () => guard(() => selection.list()),

    selectConnection: (id: string) => guard(() => selection.select(id)),

    watchEngine: (sinceRevision: number) => guard(() => selection.watch.next(sinceRevision)),

    listImages: () =>
      guard(async () => {
        const engine = source()
        const images = await engine.listImages()
        const inspected = await inspectAll(engine, images, concurrency)
        return inspected.map(({ image, inspect }) => summarizeImage(image, inspect))
      }),

    analyzeImage: (ref: string) => guard(async () => snapshots.analysis(ref) ?? analyzeRef(ref)),

    lessonParts: () => guard(readLessons),

    startScan: (ref: string) => guard(async () => snapshots.status(ref) ?? startScan(ref)),

    scanStatus: (imageId: string) => guard(async () => snapshots.status(imageId) ?? selection.scans().status(imageId)),

    cancelScan: (imageId: string) => guard(async () => snapshots.status(imageId) ?? selection.scans().cancel(imageId)),

    layerFiles: (imageId: string, layerIndex: number, view: FileView) =>
      guard(async () => (snapshots.has(imageId) ? snapshots.files(imageId, layerIndex, view) : selection.scans().files(scanSource(), imageId, layerIndex, view))),

    listSamples: () => guard(() => snapshots.listSamples()),

    openSample: (id: string) => guard(() => snapshots.openSample(id)),

    openSnapshot: (text: string) => guard(async () => snapshots.open(text)),

    openArchive: (path: string) => guard(() => snapshots.openArchive(path)),

    exportSnapshot: (imageId: string) => guard(() => snapshots.exportText(imageId, selection.scans(), scanSource)),

    imageReport: (imageId: string, format: ReportFormat) =>
      guard(async () => imageReport(snapshots.status(imageId) ?? selection.scans().status(imageId), format, await readLessons())),

    attachDockerfile: (ref: string, dockerfilePath: string, contextDir: string | null) =>
      guard(async () => attachDockerfile(await analyzeRef(ref), dockerfilePath, contextDir)),

    checkDockerfile: (dockerfilePath: string, contextDir: string | null) => guard(() => checkDockerfile(dockerfilePath, contextDir)),

    applyFixes: (ref: string | null, dockerfilePath: string, contextDir: string | null, expectedOriginalSha256: string) =>
      guard(async () => applyFixes(ref === null ? null : await analyzeRef(ref), dockerfilePath, contextDir, expectedOriginalSha256)),

    compareImages: (refA: string, refB: string) =>
      guard(() =>
        compareScanned(
          async (ref) => selection.scans().settled((await startScan(ref)).imageId),
          (imageId) => selection.scans().layerFiles(scanSource(), imageId),
          refA,
          refB
        )
      )
  }
}

async function guard<T>(operation: () => Promise<T>): Promise<Result<T>> {
  try {
    return { ok: true, value: await operation() }
  } catch (error) {
    return { ok: false, error: asApiError(error) }
  }
}

function asApiError(error: unknown): ApiError {
  if (error instanceof SourceError) return error.apiError
  const reason = error instanceof Error ? `${error.name}: ${error.message.split('\n')[0]?.slice(0, 200)}` : 'unknown error'
  return {
    code: 'INTERNAL',
    message: `Layerlens failed unexpectedly (${reason}).`,
    fix: 'This is a Layerlens bug: please report it with the image and the command you used.'
  }
}

interface InspectedImage {
  image: RawImageListItem
  inspect: RawImageInspect
}

/** Inspects every listed image; one removed since the listing is left out. */
async function inspectAll(engine: EngineSource, images: readonly RawImageListItem[], concurrency: number): Promise<InspectedImage[]> {
  const inspected = await mapConcurrently(images, concurrency, async (image) => {
    try {
      return { image, inspect: await engine.inspectImage(image.Id) }
    } catch (error) {
      if (error instanceof SourceError && error.apiError.code === 'IMAGE_NOT_FOUND') return undefined
      throw error
    }
  })
  return inspected.filter((entry): entry is InspectedImage => entry !== undefined)
}

/** Every other local image, with the history of those whose layers start this image's: the base candidates. */
async function baseCandidates(engine: EngineSource, target: RawImageInspect, concurrency: number): Promise<LocalImage[]> {
  const targetLayers = target.RootFS?.Layers ?? []
  const others = (await engine.listImages()).filter((image) => image.Id !== target.Id)
  const inspected = await inspectAll(engine, others, concurrency)
  return mapConcurrently(inspected, concurrency, async ({ inspect }) =>
    isLayerPrefix(inspect.RootFS?.Layers ?? [], targetLayers) ? localImageOf(inspect, await engine.imageHistory(inspect.Id)) : localImageOf(inspect)
  )
}

const isLayerPrefix = (prefix: readonly string[], whole: readonly string[]): boolean =>
  prefix.length > 0 && prefix.length <= whole.length && prefix.every((layer, index) => layer === whole[index])

/**
 * The resources folder: the nearest `resources/lesson` above this module. That holds for the
 * sources run by vitest (src-main/), the bundle (out/main/) and an app packaged with its
 * resources inside; other layouts pass `resourcesDir`.
 */
function findResourcesDir(): string {
  let dir = dirname(fileURLToPath(import.meta.url))
  for (;;) {
    const candidate = join(dir, 'resources')
    if (existsSync(join(candidate, 'lesson'))) return candidate
    const parent = dirname(dir)
    if (parent === dir) break
    dir = parent
  }
  const electronResources = (process as { resourcesPath?: string }).resourcesPath
  if (electronResources && existsSync(join(electronResources, 'resources', 'lesson'))) return join(electronResources, 'resources')
  throw new SourceError({
    code: 'INTERNAL',
    message: 'The lesson texts (resources/lesson) were not found next to Layerlens.',
    fix: 'Run Layerlens from its project folder after `npm run build`, or reinstall it. Code that embeds the service passes resourcesDir to createService.'
  })
}
