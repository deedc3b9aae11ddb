// The contents analysis: the metadata analysis plus the layers read so far in, the analysis with its
// file-level findings out. Layers may still be missing (a scan in progress): rules that need only one
// layer run on what is there; stacking, waste and everything about the final filesystem wait for all.
import { findDistributionMarkers } from './files/system-markers'
import type { LayerFiles } from './files/types'
import { LayerStack, type StackedImage } from './files/waste'
import type { FilesystemView } from './files/filesystem-view'
import type { BaseImage, ContentsSummary, Finding, ImageAnalysis, RuleId, WasteStatement } from './model'
import { FILE_RULES, sortBySeverity, type FileRuleContext } from './rules'
import { wasteStatements } from './waste-statements'

export interface ContentsResult {
  /** The analysis with file findings merged in, hints confirmed or cleared, and the base refined by its files. */
  analysis: ImageAnalysis
  /** Once every layer is read. */
  contents?: ContentsSummary
}

/** History hints that a layer's files settle either way once that layer is read. */
const HINTS_THE_FILES_SETTLE: ReadonlySet<RuleId> = new Set(['pip-cache'])

/**
 * `metadata` is the analysis from config and history alone; `layers` holds each layer's files by index,
 * undefined while unread. Pure, and cheap enough to run again whenever another layer arrives.
 */
/** `stack` may hold the lowest of these same layers already (a scan stacks them as they arrive); the rest are stacked here. */
export function analyzeContents(metadata: ImageAnalysis, layers: ReadonlyArray<LayerFiles | undefined>, stack = new LayerStack()): ContentsResult {
  const complete = layers.length === metadata.layers.length && layers.every((files) => files !== undefined)
  const stacked = complete ? stackRest(stack, layers as LayerFiles[]) : undefined
  const base = stacked === undefined ? metadata.base : refineBase(metadata.base, stacked.view)
  const analysis = { ...metadata, base }
  const statements = stacked === undefined ? [] : wasteStatements(analysis, stacked.waste)
  const context: FileRuleContext = { analysis, layers, firstUserLayer: base.layerCount }
  if (stacked !== undefined) context.final = { ...stacked, statements }
  const fromFiles = FILE_RULES.flatMap((rule) => rule.check(context))
  const readSteps = new Set(metadata.layers.flatMap((layer) => (layers[layer.index] !== undefined && layer.stepIndex !== undefined ? [layer.stepIndex] : [])))
  const result: ContentsResult = { analysis: { ...analysis, findings: mergeFindings(metadata.findings, fromFiles, readSteps) } }
  if (stacked !== undefined) result.contents = summarize(layers as LayerFiles[], stacked, statements)
  return result
}

function stackRest(stack: LayerStack, layers: readonly LayerFiles[]): StackedImage {
  for (let index = stack.height; index < layers.length; index++) stack.push(layers[index]!)
  return stack.measure()
}

const findingKey = (finding: Finding): string => `${finding.rule}\u0000${finding.evidence.steps?.[0] ?? ''}`

/**
 * A file finding takes the place of the metadata finding with the same rule and first step (it confirms it,
 * with bytes). A history hint the files settle, whose steps were all read without evidence, is cleared.
 */
export function mergeFindings(metadata: readonly Finding[], fromFiles: readonly Finding[], readSteps: ReadonlySet<number>): Finding[] {
  const replacements = new Map<string, Finding[]>()
  for (const finding of fromFiles) replacements.set(findingKey(finding), [...(replacements.get(findingKey(finding)) ?? []), finding])
  const merged: Finding[] = []
  for (const finding of metadata) {
    const replacing = replacements.get(findingKey(finding))
    if (replacing !== undefined) {
      merged.push(...replacing)
      replacements.delete(findingKey(finding))
      continue
    }
    const settled = finding.confidence === 'hint' && HINTS_THE_FILES_SETTLE.has(finding.rule) && (finding.evidence.steps ?? []).every((step) => readSteps.has(step))
    if (!settled) merged.push(finding)
  }
  for (const rest of replacements.values()) merged.push(...rest)
  return sortBySeverity(merged)
}

/** The base's family, checked against the distribution markers its layers left (DESIGN.md "Base image"). */
export function refineBase(base: BaseImage, view: FilesystemView): BaseImage {
  const markers = findDistributionMarkers(view, Math.max(base.layerCount - 1, 0))
  const slimSaid = '/etc/dpkg/dpkg.cfg.d/docker is there: the dpkg excludes of a slim Debian.'
  if (markers.alpine && (base.family === 'unknown' || base.family === 'alpine')) {
    return { ...base, family: 'alpine', evidence: [...base.evidence, '/etc/alpine-release is there: an Alpine root.'] }
  }
  if (markers.slimDebian && (base.family === 'unknown' || base.family === 'debian' || base.family === 'debian-slim')) {
    return { ...base, family: 'debian-slim', evidence: [...base.evidence, slimSaid] }
  }
  if (markers.slimDebian && base.family === 'python-slim') return { ...base, evidence: [...base.evidence, slimSaid] }
  if (markers.debian && !markers.slimDebian && (base.family === 'unknown' || base.family === 'debian-slim')) {
    const said = '/etc/debian_version is there without the slim dpkg excludes: a full Debian root.'
    return { ...base, family: 'debian', evidence: [...base.evidence, said] }
  }
  return base
}

function summarize(layers: readonly LayerFiles[], stacked: StackedImage, statements: WasteStatement[]): ContentsSummary {
  const { view, waste, dive } = stacked
  return {
    fileCount: view.size,
    shippedBytes: waste.shippedBytes,
    finalBytes: waste.finalBytes,
    reclaimableBytes: waste.reclaimableBytes,
    layers: waste.byLayer.map((layer) => ({
      layerIndex: layer.layer,
      fileCount: layers[layer.layer]!.entries.filter((entry) => entry.whiteout === undefined).length,
      shippedBytes: layer.shippedBytes,
      reclaimableBytes: layer.reclaimableBytes
    })),
    waste: statements,
    dive: { efficiency: dive.score, wastedBytes: dive.wastedBytes }
  }
}
