// Snapshots in the service: the bundled samples (resources/samples), snapshots the user opens, and the
// export of a scanned image. An opened snapshot answers like a finished scan, with no engine, under a
// handle of its own: the image may be on the engine too, and its live scan must stay apart.
import { createHash } from 'node:crypto'
import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { z } from 'zod'
import { version } from '../package.json'
import type { FileView, SampleSummary, ScanStatus } from '../src-preload/contract'
import { fileRows } from './engine/files/file-rows'
import type { FileRow, ImageAnalysis } from './engine/model'
import { severityCounts } from './engine/reports/format'
import { createSnapshot, parseSnapshot, serializeSnapshot, SnapshotError, type OpenedSnapshot, type SnapshotInput } from './engine/snapshot'
import type { ScanRegistry, ScanSource } from './scans'
import { archiveUnreadable, readArchiveImage } from './sources/archive-audit'
import { SourceError } from './sources/errors'

/** `resources/samples/samples.json`: which snapshot files are samples, in the order they are shown. */
const sampleIndexSchema = z.array(
  z.object({ id: z.string().regex(/^[a-z0-9-]+$/), file: z.string().regex(/^[a-z0-9-]+\.layerlens\.json$/), title: z.string(), description: z.string() })
)

/** What one scanned image needs to become a snapshot: its finished scan and every layer's files. */
export async function snapshotInputOf(scans: ScanRegistry, source: ScanSource, imageId: string, createdAt: string): Promise<SnapshotInput> {
  const status = scans.status(imageId)
  if (status.state !== 'done') {
    throw new SourceError({
      code: 'INVALID_ARGUMENT',
      message: `The scan of this image is ${status.state}, so its file index is not complete.`,
      fix: 'Wait until the scan is done (or scan again), then export the snapshot.'
    })
  }
  const input: SnapshotInput = { analysis: status.analysis, layerFiles: await scans.layerFiles(source, imageId), toolVersion: version, createdAt }
  if (status.contents !== undefined) input.contents = status.contents
  return input
}

/** Shaped like an image id, so the contract's operations take it; never a real image's id. */
const handleOf = (snapshot: OpenedSnapshot): string =>
  `sha256:${createHash('sha256').update(`layerlens-snapshot:${snapshot.analysis.image.id}`).digest('hex')}`

export class SnapshotLibrary {
  /** Opened snapshots by handle; of one image, the latest opened wins. */
  private readonly opened = new Map<string, OpenedSnapshot>()
  private samples: Promise<Array<SampleSummary & { snapshot: OpenedSnapshot }>> | undefined

  constructor(private readonly resourcesDir: () => string) {}

  has(handle: string): boolean {
    return this.opened.has(handle)
  }

  analysis(handle: string): ImageAnalysis | undefined {
    return this.opened.get(handle)?.analysis
  }

  /** A finished scan's status for an opened snapshot; its `imageId` is the snapshot's handle. */
  status(handle: string): ScanStatus | undefined {
    const snapshot = this.opened.get(handle)
    return snapshot === undefined ? undefined : statusOf(snapshot)
  }

  /** Parses snapshot text (from a file the user picked) and opens it. */
  open(text: string): ScanStatus {
    try {
      return this.register(parseSnapshot(text))
    } catch (error) {
      if (error instanceof SnapshotError) {
        throw new SourceError({ code: 'INVALID_ARGUMENT', message: `This file cannot be opened: ${error.message}`, fix: 'Pick a .layerlens.json file exported by Layerlens.' })
      }
      throw error
    }
  }

  /** Reads an image archive file with no engine, and opens what it read like a snapshot. */
  async openArchive(path: string): Promise<ScanStatus> {
    const read = await readArchiveImage(path).catch((error: unknown) => {
      throw new SourceError(archiveUnreadable(path, error))
    })
    const { analysis, contents, layerFiles } = read
    return this.register({ createdAt: new Date().toISOString(), tool: { name: 'layerlens', version }, analysis, layerFiles, ...(contents && { contents }) })
  }

  async listSamples(): Promise<SampleSummary[]> {
    return (await this.loadSamples()).map(({ snapshot: _snapshot, ...summary }) => summary)
  }

  async openSample(id: string): Promise<ScanStatus> {
    const sample = (await this.loadSamples()).find((candidate) => candidate.id === id)
    if (sample === undefined) {
      throw new SourceError({ code: 'INVALID_ARGUMENT', message: `There is no bundled sample “${id}”.`, fix: 'Pick one from the Samples page.' })
    }
    return this.register(sample.snapshot)
  }

  files(handle: string, layerIndex: number, view: FileView): FileRow[] {
    const snapshot = this.opened.get(handle)!
    const layers = snapshot.layerFiles
    if (layers === undefined || layerIndex >= layers.length) {
      throw new SourceError({
        code: 'INVALID_ARGUMENT',
        message: layers === undefined ? 'This snapshot was saved without its file index.' : `The image has ${layers.length} layers; there is no layer ${layerIndex + 1}.`,
        fix: 'Export the snapshot again from a finished scan to include the files.'
      })
    }
    return fileRows(layers, layerIndex, view)
  }

  /** The snapshot text of an opened snapshot (by handle), or of a scanned image (by id). */
  async exportText(imageId: string, scans: ScanRegistry, source: () => ScanSource): Promise<string> {
    const createdAt = new Date().toISOString()
    const snapshot = this.opened.get(imageId)
    const input: SnapshotInput =
      snapshot === undefined
        ? await snapshotInputOf(scans, source(), imageId, createdAt)
        : { analysis: snapshot.analysis, toolVersion: version, createdAt, ...(snapshot.contents && { contents: snapshot.contents }), ...(snapshot.layerFiles && { layerFiles: snapshot.layerFiles }) }
    return serializeSnapshot(createSnapshot(input))
  }

  private register(snapshot: OpenedSnapshot): ScanStatus {
    this.opened.set(handleOf(snapshot), snapshot)
    return statusOf(snapshot)
  }

  private loadSamples(): Promise<Array<SampleSummary & { snapshot: OpenedSnapshot }>> {
    this.samples ??= readSamples(join(this.resourcesDir(), 'samples')).catch((error: unknown) => {
      this.samples = undefined
      throw error
    })
    return this.samples
  }
}

async function readSamples(dir: string): Promise<Array<SampleSummary & { snapshot: OpenedSnapshot }>> {
  const index = sampleIndexSchema.parse(JSON.parse(await readFile(join(dir, 'samples.json'), 'utf8')))
  return Promise.all(
    index.map(async (entry) => {
      const snapshot = parseSnapshot(await readFile(join(dir, entry.file), 'utf8'))
      const { image, findings } = snapshot.analysis
      return {
        id: entry.id,
        title: entry.title,
        description: entry.description,
        imageName: image.repoTags[0] ?? image.id,
        size: image.size,
        findingCounts: severityCounts(findings),
        snapshot
      }
    })
  )
}

function statusOf(snapshot: OpenedSnapshot): ScanStatus {
  const status: ScanStatus = {
    imageId: handleOf(snapshot),
    state: 'done',
    bytesRead: snapshot.analysis.image.size,
    totalBytes: snapshot.analysis.image.size,
    layersDone: snapshot.analysis.layers.length,
    layerCount: snapshot.analysis.layers.length,
    analysis: snapshot.analysis
  }
  if (snapshot.contents !== undefined) status.contents = snapshot.contents
  return status
}
