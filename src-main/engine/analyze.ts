// The engine's front: raw engine metadata in, the image model out.
import { fingerprintSteps, identifyBase, type LocalImage } from './base'
import { secretValuesInConfig, summarizeConfig } from './config'
import type { ImageAnalysis, ImageIdentity, ImageSummary } from './model'
import type { RawHistoryItem, RawImageConfig, RawImageInspect, RawImageListItem } from './raw'
import { orEmptyArray, realTags } from './raw'
import { runRules } from './rules'
import { buildSteps, parseHistory, secretValuesInHistory } from './steps'

export interface AnalyzeInput {
  inspect: RawImageInspect
  /** `GET /images/{id}/history`, newest first. */
  history: readonly RawHistoryItem[]
  /** Other local images, for naming the base. The analysed image itself may be among them. */
  localImages: readonly LocalImage[]
  /** The image config from a save stream, when read: its empty_layer flags make the alignment exact. */
  config?: RawImageConfig
}

export function analyzeImage(input: AnalyzeInput): ImageAnalysis {
  const { inspect } = input
  const layerDiffIds = orEmptyArray(inspect.RootFS?.Layers)
  const entries = parseHistory(input.history)
  const knownSecrets = [...secretValuesInConfig(inspect.Config), ...secretValuesInHistory(entries)]
  const config = summarizeConfig(inspect, knownSecrets)
  const built = buildSteps(entries, layerDiffIds, knownSecrets, input.config)

  const base = identifyBase({
    imageId: inspect.Id,
    layers: layerDiffIds,
    historyOldestFirst: entries.map((entry) => entry.raw),
    steps: built.steps,
    labels: config.labels,
    localImages: input.localImages,
  })
  const steps = built.steps.map((step) => ({ ...step, inBase: step.index < base.stepCount }))
  const basePythonVersion = fingerprintSteps(steps, base.stepCount)?.pythonVersion
  const findings = runRules({
    steps,
    userSteps: steps.filter((step) => !step.inBase),
    config,
    base,
    ...(basePythonVersion ? { basePythonVersion } : {}),
    maskedByStep: built.maskedByStep,
    localImages: input.localImages,
  })
  const analysis: ImageAnalysis = {
    image: identityOf(inspect),
    steps,
    layers: built.layers,
    base,
    config,
    findings,
  }
  if (built.alignment.notes.length > 0) analysis.notes = built.alignment.notes
  return analysis
}

function identityOf(inspect: RawImageInspect): ImageIdentity {
  return {
    id: inspect.Id,
    repoTags: realTags(inspect.RepoTags),
    repoDigests: orEmptyArray(inspect.RepoDigests),
    size: inspect.Size ?? 0,
    created: inspect.Created ?? '',
    os: inspect.Os ?? '',
    architecture: inspect.Architecture ?? '',
  }
}

/** One row of the image list, from `GET /images/json` and the image's inspect. */
export function summarizeImage(item: RawImageListItem, inspect: RawImageInspect): ImageSummary {
  const repoTags = realTags(item.RepoTags ?? inspect.RepoTags)
  const created = item.Created ? new Date(item.Created * 1000).toISOString() : (inspect.Created ?? '')
  return {
    id: item.Id,
    repoTags,
    dangling: repoTags.length === 0,
    // Inspect's Size, as the image view shows it: the containerd store's list Size adds the unpacked snapshots to the content.
    size: inspect.Size ?? item.Size ?? 0,
    created,
    layerCount: orEmptyArray(inspect.RootFS?.Layers).length,
  }
}

/** What base identification needs to know about another local image. */
export function localImageOf(inspect: RawImageInspect, history?: readonly RawHistoryItem[]): LocalImage {
  const image: LocalImage = {
    id: inspect.Id,
    repoTags: realTags(inspect.RepoTags),
    layers: orEmptyArray(inspect.RootFS?.Layers),
  }
  if (history) image.history = [...history]
  if (typeof inspect.Size === 'number') image.size = inspect.Size
  return image
}
