// An image archive file (`docker save -o`, an OCI layout tar, podman's archives) analysed with no
// engine: metadata from the archive's config, findings from its layers.
import type { ApiError } from '../../src-preload/contract'
import { analyzeContents } from '../engine/contents'
import type { LayerFiles } from '../engine/files/types'
import { analyzeImageConfig } from '../engine/image-config'
import type { ContentsSummary, ImageAnalysis } from '../engine/model'
import type { RawImageConfig } from '../engine/raw'
import { readImageArchiveFile, type ArchiveImage } from './archive/archive-reader'
import { reasonOf } from './errors'

export interface ReadImage {
  analysis: ImageAnalysis
  contents?: ContentsSummary
  /** Each layer's files, in layer order. */
  layerFiles: LayerFiles[]
}

/** Every archive format names the config by its digest, which is the image id. */
function imageIdOf(archive: ArchiveImage): string {
  const digest = /([0-9a-f]{64})(?:\.json)?$/.exec(archive.configPath)?.[1]
  if (digest === undefined) throw new Error(`the archive's image config (${archive.configPath}) is not named by its digest`)
  return `sha256:${digest}`
}

export async function readArchiveImage(path: string): Promise<ReadImage> {
  const archive = await readImageArchiveFile(path)
  const layerFiles = [...archive.layers].sort((a, b) => a.index - b.index).map((layer) => layer.files)
  const metadata = analyzeImageConfig({
    id: imageIdOf(archive),
    repoTags: archive.repoTags,
    config: archive.config as RawImageConfig,
    layerSizes: layerFiles.map((files) => files.contentBytes),
  })
  const { analysis, contents } = analyzeContents(metadata, layerFiles)
  return contents === undefined ? { analysis, layerFiles } : { analysis, contents, layerFiles }
}

export function archiveUnreadable(path: string, error: unknown): ApiError {
  return {
    code: 'ARCHIVE_UNREADABLE',
    message: `The image archive ${path} could not be read: ${reasonOf(error)}`,
    fix: 'Give a file written by `docker save -o FILE IMAGE` (or podman save, or an OCI layout tar), and check it is complete.'
  }
}
