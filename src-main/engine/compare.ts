// Before and after: two images side by side. Sizes per step (steps matched by instruction), findings
// resolved, new and unchanged, files added and removed by folder, base images, and a one-line verdict.
import { stackLayers } from './files/filesystem-view'
import type { LayerFiles } from './files/types'
import type { BaseFamily, Finding, ImageAnalysis, Instruction, RuleId, Severity, Step } from './model'
import { formatBytes, imageName, plural } from './reports/format'

export interface CompareSide {
  ref: string
  analysis: ImageAnalysis
  /** Each layer's files, in layer order; without them there is no file comparison. */
  layerFiles?: readonly LayerFiles[]
}

export interface ComparedImage {
  name: string
  id: string
  size: number
  base: { name?: string; family: BaseFamily; size: number }
}

export interface ComparedStep {
  stepIndex: number
  instruction: Instruction
  args: string
  size: number
}

export interface StepRow {
  /** `same`: identical instruction and arguments; `changed`: same instruction, other arguments. */
  match: 'same' | 'changed' | 'removed' | 'added'
  before?: ComparedStep
  after?: ComparedStep
  /** Bytes after minus bytes before. */
  delta: number
}

export interface FindingSummary {
  rule: RuleId
  severity: Severity
  title: string
}

export interface FolderChange {
  folder: string
  files: number
  bytes: number
}

export interface FileChanges {
  added: FolderChange[]
  removed: FolderChange[]
  addedTotal: { files: number; bytes: number }
  removedTotal: { files: number; bytes: number }
}

export interface ImageComparison {
  before: ComparedImage
  after: ComparedImage
  /** after.size − before.size. */
  sizeDelta: number
  /** sizeDelta / before.size (0 when before is empty). */
  sizeRatio: number
  /** The base image's bytes first, then the images' own steps that made a layer, matched by instruction. */
  base: { before: number; after: number; delta: number }
  steps: StepRow[]
  findings: { resolved: FindingSummary[]; new: FindingSummary[]; unchanged: FindingSummary[] }
  /** Present when both images' layer files are known. */
  files?: FileChanges
  /** e.g. "−843 MB (−84%), 5 findings fixed, 0 new". */
  verdict: string
}

/** How many folder levels files are grouped by: `/usr/local/lib`, `/root/.cache/pip`. */
const FOLDER_DEPTH = 3
const LISTED_FOLDERS = 10

function comparedImage(side: CompareSide): ComparedImage {
  const { image, base } = side.analysis
  const compared: ComparedImage = { name: imageName(side.ref, side.analysis), id: image.id, size: image.size, base: { family: base.family, size: base.size } }
  if (base.name !== undefined) compared.base.name = base.name
  return compared
}

const comparedStep = (step: Step): ComparedStep => ({ stepIndex: step.index, instruction: step.instruction, args: step.args, size: step.size })

const words = (step: Step): Set<string> => new Set(step.args.split(/\s+/).filter(Boolean))

/** Share of words two arguments have in common (Jaccard), from 0 to 1. */
function similarity(before: Step, after: Step): number {
  const a = words(before)
  const b = words(after)
  const shared = [...a].filter((word) => b.has(word)).length
  const union = a.size + b.size - shared
  return union === 0 ? 1 : shared / union
}

/** Steps of the same instruction whose arguments share at least this much are the same step, changed. */
const SIMILAR = 0.5

/**
 * The images' own layer-making steps matched by instruction: identical steps first, then the most
 * similar ones of the same instruction, wherever they moved (moving a step is what a fix often does).
 * Rows follow the after image's order; a step only the before image has follows its predecessor.
 */
function matchSteps(before: readonly Step[], after: readonly Step[]): StepRow[] {
  const candidates = before.flatMap((b, i) =>
    after.flatMap((a, j) => (a.instruction === b.instruction ? [{ i, j, score: similarity(b, a) }] : [])).filter((pair) => pair.score >= SIMILAR),
  )
  candidates.sort((x, y) => y.score - x.score || Math.abs(x.i - x.j) - Math.abs(y.i - y.j))
  const partnerOfAfter = new Map<number, number>()
  const matchedBefore = new Set<number>()
  for (const { i, j } of candidates) {
    if (matchedBefore.has(i) || partnerOfAfter.has(j)) continue
    matchedBefore.add(i)
    partnerOfAfter.set(j, i)
  }
  const rows: StepRow[] = after.map((a, j) => {
    const i = partnerOfAfter.get(j)
    if (i === undefined) return { match: 'added', after: comparedStep(a), delta: a.size }
    const b = before[i]!
    return { match: similarity(b, a) === 1 ? 'same' : 'changed', before: comparedStep(b), after: comparedStep(a), delta: a.size - b.size }
  })
  before.forEach((b, i) => {
    if (matchedBefore.has(i)) return
    const predecessor = before[i - 1]
    const at = predecessor === undefined ? -1 : rows.findIndex((row) => row.before?.stepIndex === predecessor.index)
    rows.splice(at + 1, 0, { match: 'removed', before: comparedStep(b), delta: -b.size })
  })
  return rows
}

const summary = (finding: Finding): FindingSummary => ({ rule: finding.rule, severity: finding.severity, title: finding.title })

/** Findings paired by rule, in order: the extra ones before are resolved, the extra ones after are new. */
function compareFindings(before: readonly Finding[], after: readonly Finding[]): ImageComparison['findings'] {
  const remaining = [...after]
  const resolved: FindingSummary[] = []
  const unchanged: FindingSummary[] = []
  for (const finding of before) {
    const partner = remaining.findIndex((candidate) => candidate.rule === finding.rule)
    if (partner < 0) resolved.push(summary(finding))
    else unchanged.push(summary(remaining.splice(partner, 1)[0]!))
  }
  return { resolved, new: remaining.map(summary), unchanged }
}

/** Regular files of the final filesystem, path → bytes. */
function finalFiles(layers: readonly LayerFiles[]): Map<string, number> {
  const files = new Map<string, number>()
  for (const node of stackLayers(layers).nodeList()) {
    if (node.entry?.type === 'file') files.set(node.path, node.entry.size)
  }
  return files
}

const folderOf = (path: string): string => {
  const folders = path.split('/').slice(1, -1)
  return folders.length === 0 ? '/' : `/${folders.slice(0, FOLDER_DEPTH).join('/')}`
}

/** The paths of `from` that `other` lacks, grouped by folder, biggest first. */
function byFolder(from: ReadonlyMap<string, number>, other: ReadonlyMap<string, number>): { folders: FolderChange[]; total: { files: number; bytes: number } } {
  const folders = new Map<string, FolderChange>()
  const total = { files: 0, bytes: 0 }
  for (const [path, bytes] of from) {
    if (other.has(path)) continue
    const folder = folderOf(path)
    const change = folders.get(folder) ?? { folder, files: 0, bytes: 0 }
    change.files += 1
    change.bytes += bytes
    folders.set(folder, change)
    total.files += 1
    total.bytes += bytes
  }
  const sorted = [...folders.values()].sort((a, b) => b.bytes - a.bytes || b.files - a.files || a.folder.localeCompare(b.folder))
  return { folders: sorted.slice(0, LISTED_FOLDERS), total }
}

function compareFiles(before: readonly LayerFiles[], after: readonly LayerFiles[]): FileChanges {
  const beforeFiles = finalFiles(before)
  const afterFiles = finalFiles(after)
  const added = byFolder(afterFiles, beforeFiles)
  const removed = byFolder(beforeFiles, afterFiles)
  return { added: added.folders, removed: removed.folders, addedTotal: added.total, removedTotal: removed.total }
}

/** `−843 MB (−84%)`, with a true minus sign. */
function signedSize(delta: number, ratio: number): string {
  const sign = delta < 0 ? '−' : delta > 0 ? '+' : '±'
  return `${sign}${formatBytes(Math.abs(delta))} (${sign}${Math.abs(Math.round(ratio * 100))}%)`
}

export function verdictOf(comparison: Pick<ImageComparison, 'sizeDelta' | 'sizeRatio' | 'findings'>): string {
  const fixed = `${plural(comparison.findings.resolved.length, 'finding')} fixed`
  return `${signedSize(comparison.sizeDelta, comparison.sizeRatio)}, ${fixed}, ${comparison.findings.new.length} new`
}

const ownLayerSteps = (analysis: ImageAnalysis): Step[] => analysis.steps.filter((step) => !step.inBase && step.layerIndex !== undefined)

export function compareImages(before: CompareSide, after: CompareSide): ImageComparison {
  const sizeDelta = after.analysis.image.size - before.analysis.image.size
  const sizeRatio = before.analysis.image.size === 0 ? 0 : sizeDelta / before.analysis.image.size
  const findings = compareFindings(before.analysis.findings, after.analysis.findings)
  const comparison: ImageComparison = {
    before: comparedImage(before),
    after: comparedImage(after),
    sizeDelta,
    sizeRatio,
    base: { before: before.analysis.base.size, after: after.analysis.base.size, delta: after.analysis.base.size - before.analysis.base.size },
    steps: matchSteps(ownLayerSteps(before.analysis), ownLayerSteps(after.analysis)),
    findings,
    verdict: verdictOf({ sizeDelta, sizeRatio, findings }),
  }
  if (before.layerFiles !== undefined && after.layerFiles !== undefined) comparison.files = compareFiles(before.layerFiles, after.layerFiles)
  return comparison
}
