// `--dockerfile`: the Dockerfile's own findings joined to the image's, and each history step mapped to
// the line that wrote it.
import { readFile } from 'node:fs/promises'
import { relative, resolve, sep } from 'node:path'
import { dockerfileFindings, mapDockerfileToSteps, parseDockerfile, type ParsedDockerfile } from '../engine/dockerfile'
import type { Finding, ImageAnalysis, SourceLocation } from '../engine/model'
import type { DockerfileReference } from '../engine/reports'
import { UsageError } from './arguments'

export interface LoadedDockerfile {
  /** As SARIF names it: relative to the working directory (the repository root in CI), forward slashes. */
  uri: string
  parsed: ParsedDockerfile
  findings: Finding[]
}

export async function loadDockerfile(path: string, cwd: string): Promise<LoadedDockerfile> {
  const absolute = resolve(cwd, path)
  let text: string
  try {
    text = await readFile(absolute, 'utf8')
  } catch (error) {
    throw new UsageError(`--dockerfile ${path} cannot be read (${(error as NodeJS.ErrnoException).code ?? 'error'}).`, false)
  }
  const parsed = parseDockerfile(text)
  return { uri: relative(cwd, absolute).split(sep).join('/'), parsed, findings: dockerfileFindings(parsed) }
}

export interface LinkedImage {
  analysis: ImageAnalysis
  dockerfile: DockerfileReference
  /** The image's own steps no Dockerfile line could be found for, with the reason. */
  unmapped: Array<{ stepIndex: number; step: string; reason: string }>
}

/**
 * The image's findings with the Dockerfile's: a Dockerfile finding whose rule the image already reports
 * lends it its line and column (the image's evidence, with bytes, is the stronger); the others are added.
 */
function joinFindings(imageFindings: readonly Finding[], fromDockerfile: readonly Finding[]): Finding[] {
  const joined = [...imageFindings]
  const located = new Set<number>()
  for (const finding of fromDockerfile) {
    const same = joined.findIndex((candidate, index) => candidate.rule === finding.rule && candidate.location === undefined && !located.has(index))
    if (same >= 0 && finding.location !== undefined) {
      joined[same] = { ...joined[same]!, location: finding.location }
      located.add(same)
    } else if (same < 0 && !joined.some((candidate) => candidate.rule === finding.rule)) {
      joined.push(finding)
    }
  }
  return joined
}

export function linkDockerfile(analysis: ImageAnalysis, dockerfile: LoadedDockerfile): LinkedImage {
  const mapping = mapDockerfileToSteps(dockerfile.parsed, analysis.steps)
  const stepLocations: Record<number, SourceLocation> = {}
  const unmapped: LinkedImage['unmapped'] = []
  for (const link of mapping.steps) {
    const step = analysis.steps[link.stepIndex]!
    if (link.location !== undefined) stepLocations[link.stepIndex] = link.location
    else if (!step.inBase) unmapped.push({ stepIndex: link.stepIndex, step: `${step.instruction} ${step.args}`, reason: link.reason ?? 'No line of the Dockerfile matches it.' })
  }
  return {
    analysis: { ...analysis, findings: joinFindings(analysis.findings, dockerfile.findings) },
    dockerfile: { uri: dockerfile.uri, stepLocations },
    unmapped,
  }
}

const STEP_TEXT_WIDTH = 70

/** For the text report: which of the image's own steps the Dockerfile accounts for, and which it does not. */
export function describeLink(image: ImageAnalysis, linked: LinkedImage): string {
  const own = image.steps.filter((step) => !step.inBase).length
  const lines = [`  Dockerfile: ${linked.dockerfile.uri}, ${own - linked.unmapped.length} of ${own} own steps mapped to its lines`]
  for (const step of linked.unmapped) {
    const text = step.step.length > STEP_TEXT_WIDTH ? `${step.step.slice(0, STEP_TEXT_WIDTH - 1)}…` : step.step
    lines.push(`    step ${step.stepIndex + 1} (${text}) not mapped: ${step.reason}`)
  }
  return lines.join('\n')
}
