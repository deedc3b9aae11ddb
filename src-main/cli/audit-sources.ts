// Reading the images an audit names: from the engine through the service's scan, from an image archive
// file, or from a snapshot file. Each comes back analysed or failed with a reason and a fix.
import { setTimeout as sleep } from 'node:timers/promises'
import type { Api, Result, ScanStatus } from '../../src-preload/contract'
import { dispatch } from '../dispatch'
import type { LayerFiles } from '../engine/files/types'
import type { ContentsSummary, ImageAnalysis } from '../engine/model'
import type { FailedImage } from '../engine/reports'
import type { ScanRegistry } from '../scans'
import { engineScanSource } from '../service'
import { archiveUnreadable, readArchiveImage } from '../sources/archive-audit'
import { reasonOf } from '../sources/errors'
import { readSnapshotFile } from '../sources/snapshot-file'
import type { ImageSource } from './arguments'

export interface ReadAuditImage {
  ref: string
  status: 'analyzed'
  analysis: ImageAnalysis
  contents?: ContentsSummary
  /** Each layer's files, when they were read and asked for. */
  layerFiles?: LayerFiles[]
}

export type AuditImage = ReadAuditImage | FailedImage

export interface ReadOptions {
  service: Api
  scans: ScanRegistry
  /** Read the layers (engine images only: archives always hold them, snapshots hold what they hold). */
  files: boolean
  /** Keep every layer's files, for a snapshot or a comparison. */
  keepLayerFiles: boolean
}

/** How often the audit asks a running scan how far it got. */
const SCAN_POLL_MS = 100

/** Errors about the engine rather than one image: the next image would meet them too. */
export const isEngineWide = (error: FailedImage['error']): boolean =>
  !['IMAGE_NOT_FOUND', 'INVALID_ARGUMENT', 'EXPORT_INCOMPLETE', 'ARCHIVE_UNREADABLE', 'SNAPSHOT_UNREADABLE'].includes(error.code)

const failed = (ref: string, error: FailedImage['error']): FailedImage => ({ ref, status: 'failed', error })

/** Reads the image's layers through the same scan the app uses, and waits for it to end. */
async function scanToEnd(service: Api, ref: string): Promise<Result<ScanStatus>> {
  let result = (await dispatch(service, 'startScan', [ref])) as Result<ScanStatus>
  while (result.ok && result.value.state === 'running') {
    await sleep(SCAN_POLL_MS)
    result = (await dispatch(service, 'scanStatus', [result.value.imageId])) as Result<ScanStatus>
  }
  if (result.ok && result.value.state !== 'done') {
    return { ok: false, error: result.value.error ?? { code: 'INTERNAL', message: `The scan of ${ref} stopped.`, fix: 'Run the audit again.' } }
  }
  return result
}

async function readEngineImage(ref: string, options: ReadOptions): Promise<AuditImage> {
  if (!options.files) {
    const result = (await dispatch(options.service, 'analyzeImage', [ref])) as Result<ImageAnalysis>
    return result.ok ? { ref, status: 'analyzed', analysis: result.value } : failed(ref, result.error)
  }
  const result = await scanToEnd(options.service, ref)
  if (!result.ok) return failed(ref, result.error)
  const { analysis, contents, imageId } = result.value
  const image: ReadAuditImage = { ref, status: 'analyzed', analysis }
  if (contents !== undefined) image.contents = contents
  if (options.keepLayerFiles) image.layerFiles = await options.scans.layerFiles(engineScanSource(), imageId)
  return image
}

async function readArchive(path: string, options: ReadOptions): Promise<AuditImage> {
  try {
    const { analysis, contents, layerFiles } = await readArchiveImage(path)
    const image: ReadAuditImage = { ref: path, status: 'analyzed', analysis }
    if (contents !== undefined) image.contents = contents
    if (options.keepLayerFiles) image.layerFiles = layerFiles
    return image
  } catch (error) {
    return failed(path, archiveUnreadable(path, error))
  }
}

async function readSnapshot(path: string): Promise<AuditImage> {
  try {
    const snapshot = await readSnapshotFile(path)
    const image: ReadAuditImage = { ref: path, status: 'analyzed', analysis: snapshot.analysis }
    if (snapshot.contents !== undefined) image.contents = snapshot.contents
    if (snapshot.layerFiles !== undefined) image.layerFiles = snapshot.layerFiles
    return image
  } catch (error) {
    return failed(path, {
      code: 'SNAPSHOT_UNREADABLE',
      message: `The snapshot ${path} could not be opened: ${reasonOf(error)}`,
      fix: 'Give a .layerlens.json file written by `layerlens audit --save-snapshot` or saved from the app.',
    })
  }
}

/** One at a time: the images usually share a base, and an unreachable engine is reported once (its other images are skipped). */
export async function readAuditImages(sources: readonly ImageSource[], options: ReadOptions): Promise<AuditImage[]> {
  const images: AuditImage[] = []
  let engineDown = false
  for (const source of sources) {
    if (source.kind === 'engine' && engineDown) continue
    const image =
      source.kind === 'engine' ? await readEngineImage(source.ref, options) : source.kind === 'archive' ? await readArchive(source.ref, options) : await readSnapshot(source.ref)
    images.push(image)
    engineDown ||= image.status === 'failed' && source.kind === 'engine' && isEngineWide(image.error)
  }
  return images
}
