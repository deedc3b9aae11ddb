// A snapshot: one image's analysis, its contents summary and its file index in a single JSON file
// (`.layerlens.json`), so an analysis can be shared and opened with no engine. No file contents, and
// every free text passes through the secret masking once more on the way out.
import { z } from 'zod'
import type { LayerFiles } from '../files/types'
import type { ContentsSummary, ImageAnalysis } from '../model'
import { maskText } from '../secrets'
import { decodeLayerFiles, encodeLayerFiles, snapshotLayerFilesSchema, type SnapshotLayerFiles } from './file-index'
import { contentsSummarySchema, imageAnalysisSchema } from './model-schema'

export const SNAPSHOT_FORMAT = 'layerlens-snapshot'
export const SNAPSHOT_VERSION = 1
export const SNAPSHOT_FILE_SUFFIX = '.layerlens.json'

export interface Snapshot {
  format: typeof SNAPSHOT_FORMAT
  version: typeof SNAPSHOT_VERSION
  createdAt: string
  tool: { name: 'layerlens'; version: string }
  analysis: ImageAnalysis
  contents?: ContentsSummary
  /** One per image layer, in layer order. */
  files?: SnapshotLayerFiles[]
}

/** What a snapshot gives back when opened: the analysis and, when it was scanned, the layers' files. */
export interface OpenedSnapshot {
  createdAt: string
  tool: Snapshot['tool']
  analysis: ImageAnalysis
  contents?: ContentsSummary
  layerFiles?: LayerFiles[]
}

export interface SnapshotInput {
  analysis: ImageAnalysis
  contents?: ContentsSummary
  /** Each layer's files, in layer order (index i belongs to analysis.layers[i]). */
  layerFiles?: readonly LayerFiles[]
  toolVersion: string
  createdAt: string
}

export class SnapshotError extends Error {
  override name = 'SnapshotError'
}

/** Every string in a value, masked; keys stay (they are names, not values). */
function maskStrings<T>(value: T): T {
  if (typeof value === 'string') return maskText(value).text as T
  if (Array.isArray(value)) return value.map(maskStrings) as T
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([key, inner]) => [key, maskStrings(inner)])) as T
  }
  return value
}

export function createSnapshot(input: SnapshotInput): Snapshot {
  const { analysis, layerFiles } = input
  if (layerFiles !== undefined && layerFiles.length !== analysis.layers.length) {
    throw new SnapshotError(`the file index has ${layerFiles.length} layers, the image ${analysis.layers.length}`)
  }
  const snapshot: Snapshot = {
    format: SNAPSHOT_FORMAT,
    version: SNAPSHOT_VERSION,
    createdAt: input.createdAt,
    tool: { name: 'layerlens', version: input.toolVersion },
    analysis: maskStrings(analysis),
  }
  if (input.contents !== undefined) snapshot.contents = maskStrings(input.contents)
  if (layerFiles !== undefined) snapshot.files = layerFiles.map((files, index) => encodeLayerFiles(analysis.layers[index]!.diffId, files))
  return snapshot
}

export const serializeSnapshot = (snapshot: Snapshot): string => `${JSON.stringify(snapshot)}\n`

const envelopeSchema = z.object({ format: z.unknown(), version: z.unknown() })

const snapshotSchema = z.object({
  format: z.literal(SNAPSHOT_FORMAT),
  version: z.literal(SNAPSHOT_VERSION),
  createdAt: z.string(),
  tool: z.object({ name: z.literal('layerlens'), version: z.string() }),
  analysis: imageAnalysisSchema,
  contents: contentsSummarySchema.optional(),
  files: z.array(snapshotLayerFilesSchema).optional(),
})

const MAX_LISTED_PROBLEMS = 5

/** Opens a snapshot's text. Throws SnapshotError saying plainly what is wrong: not a snapshot, too new, damaged. */
export function parseSnapshot(text: string): OpenedSnapshot {
  let data: unknown
  try {
    data = JSON.parse(text)
  } catch {
    throw new SnapshotError('not a Layerlens snapshot: the file is not JSON')
  }
  const envelope = envelopeSchema.safeParse(data)
  if (!envelope.success || envelope.data.format !== SNAPSHOT_FORMAT) {
    throw new SnapshotError(`not a Layerlens snapshot: "format" should be "${SNAPSHOT_FORMAT}"`)
  }
  const { version } = envelope.data
  if (typeof version !== 'number' || !Number.isInteger(version) || version < 1) {
    throw new SnapshotError(`not a Layerlens snapshot: "version" should be a whole number, found ${JSON.stringify(version)}`)
  }
  if (version > SNAPSHOT_VERSION) {
    throw new SnapshotError(
      `this snapshot was written by a newer Layerlens (snapshot version ${version}; this one reads version ${SNAPSHOT_VERSION}). Update Layerlens to open it.`,
    )
  }
  const parsed = snapshotSchema.safeParse(data)
  if (!parsed.success) {
    const problems = parsed.error.issues.slice(0, MAX_LISTED_PROBLEMS).map((issue) => `${issue.path.join('.') || '(top)'}: ${issue.message}`)
    const more = parsed.error.issues.length - problems.length
    throw new SnapshotError(`the snapshot is damaged: ${problems.join('; ')}${more > 0 ? `; and ${more} more` : ''}`)
  }
  const snapshot = parsed.data
  const opened: OpenedSnapshot = { createdAt: snapshot.createdAt, tool: snapshot.tool, analysis: snapshot.analysis }
  if (snapshot.contents !== undefined) opened.contents = snapshot.contents
  if (snapshot.files !== undefined) opened.layerFiles = decodeFileIndex(snapshot.files, snapshot.analysis)
  return opened
}

function decodeFileIndex(files: readonly SnapshotLayerFiles[], analysis: ImageAnalysis): LayerFiles[] {
  if (files.length !== analysis.layers.length) {
    throw new SnapshotError(`the snapshot is damaged: its file index has ${files.length} layers, the image ${analysis.layers.length}`)
  }
  return files.map((layer, index) => {
    if (layer.diffId !== analysis.layers[index]!.diffId) {
      throw new SnapshotError(`the snapshot is damaged: file index layer ${index} is ${layer.diffId}, the image's is ${analysis.layers[index]!.diffId}`)
    }
    return decodeLayerFiles(layer)
  })
}
