// The analysis of an image known only from its config (an image archive file, no engine): the inspect
// and history the engine would report, derived from the config, then the same analysis as always.
import { analyzeImage } from './analyze'
import type { LocalImage } from './base'
import type { ImageAnalysis } from './model'
import type { RawHistoryItem, RawImageConfig, RawImageInspect } from './raw'
import { orEmptyArray } from './raw'

export interface ImageConfigInput {
  /** `sha256:<config digest>`, as the engine names the image. */
  id: string
  repoTags: readonly string[]
  /** The config JSON as stored in the archive (it also carries `created`). */
  config: RawImageConfig & { created?: string | null }
  /** Content bytes of each layer, in rootfs.diff_ids order: what the engine reports as the layer's size. */
  layerSizes: readonly number[]
  localImages?: readonly LocalImage[]
}

const unixSeconds = (time: string | null | undefined): number | undefined => {
  const parsed = time ? Date.parse(time) : Number.NaN
  return Number.isNaN(parsed) ? undefined : Math.floor(parsed / 1000)
}

/**
 * The history API's view of config.history: newest first, each entry that made a layer sized by that
 * layer, the newest one carrying the image id and tags (the engine calls the others `<missing>`).
 */
function historyOf(input: ImageConfigInput): RawHistoryItem[] {
  let layer = 0
  const oldestFirst = orEmptyArray(input.config.history).map((entry): RawHistoryItem => {
    const size = entry.empty_layer === true ? 0 : (input.layerSizes[layer++] ?? 0)
    const item: RawHistoryItem = { Id: '<missing>', CreatedBy: entry.created_by ?? '', Size: size, Comment: entry.comment ?? '', Tags: null }
    const created = unixSeconds(entry.created)
    if (created !== undefined) item.Created = created
    return item
  })
  const newest = oldestFirst[oldestFirst.length - 1]
  if (newest !== undefined) Object.assign(newest, { Id: input.id, Tags: [...input.repoTags] })
  return oldestFirst.reverse()
}

export function analyzeImageConfig(input: ImageConfigInput): ImageAnalysis {
  const { config } = input
  const inspect: RawImageInspect = {
    Id: input.id,
    RepoTags: [...input.repoTags],
    RepoDigests: [],
    Created: config.created ?? null,
    Size: input.layerSizes.reduce((sum, size) => sum + size, 0),
    Config: config.config ?? null,
    Os: config.os ?? null,
    Architecture: config.architecture ?? null,
    RootFS: { Type: config.rootfs?.type ?? 'layers', Layers: orEmptyArray(config.rootfs?.diff_ids) },
  }
  return analyzeImage({ inspect, history: historyOf(input), localImages: input.localImages ?? [], config })
}
