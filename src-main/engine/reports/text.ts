// The human-readable audit report: one block per image, findings grouped by severity.
import { SEVERITIES, type Finding, type ImageAnalysis, type LessonPart, type LessonPartId } from '../model'
import type { ThresholdCheck } from '../settings/thresholds'
import { describeCounts, formatBytes, shortId } from './format'
import type { DockerfileAudit, FailedImage } from './types'

function describeBase(analysis: ImageAnalysis): string {
  const { base } = analysis
  if (base.method === 'none') return 'not identified'
  const name = base.name ?? base.family
  const how = base.method === 'local-prefix' ? 'local image with the same first layers' : base.method === 'fingerprint' ? 'history fingerprint' : 'image label'
  return `${name} (${base.family}, by ${how}; ${base.layerCount} layers, ${formatBytes(base.size)})`
}

const REPORT_WIDTH = 100
const DETAIL_INDENT = '           '

function indent(text: string, prefix: string): string[] {
  return text.split('\n').map((line) => `${prefix}${line}`)
}

/** Prose wrapped at word boundaries; Dockerfile lines are never wrapped. */
function wrap(text: string, prefix: string): string[] {
  const width = REPORT_WIDTH - prefix.length
  const lines: string[] = []
  for (const paragraph of text.split('\n')) {
    let line = ''
    for (const word of paragraph.split(/\s+/).filter(Boolean)) {
      if (line !== '' && line.length + 1 + word.length > width) {
        lines.push(`${prefix}${line}`)
        line = word
      } else {
        line = line === '' ? word : `${line} ${word}`
      }
    }
    lines.push(`${prefix}${line}`)
  }
  return lines
}

function formatFinding(finding: Finding, lessonTitles: ReadonlyMap<LessonPartId, string>): string[] {
  const where = finding.location === undefined ? '' : ` (line ${finding.location.line}:${finding.location.column})`
  const lines = [`  ${finding.severity.toUpperCase().padEnd(8)} ${finding.rule}: ${finding.title}${finding.confidence === 'hint' ? ' (hint from history)' : ''}${where}`]
  lines.push(...wrap(finding.detail, DETAIL_INDENT))
  if (finding.savingsBytes !== undefined && finding.savingsBytes > 0) lines.push(`${DETAIL_INDENT}Could save about ${formatBytes(finding.savingsBytes)}.`)
  lines.push(`${DETAIL_INDENT}Now:`)
  lines.push(...indent(finding.fix.before, `${DETAIL_INDENT}  - `))
  lines.push(`${DETAIL_INDENT}Fix:`)
  lines.push(...indent(finding.fix.after, `${DETAIL_INDENT}  + `))
  lines.push(`${DETAIL_INDENT}Lesson: ${lessonTitles.get(finding.lessonPart) ?? finding.lessonPart}`)
  return lines
}

export function formatAnalysis(ref: string, analysis: ImageAnalysis, lessonParts: readonly LessonPart[]): string {
  const { image, findings } = analysis
  const name = image.repoTags[0] ?? ref
  const heading = [
    `${name}  (${shortId(image.id)})`,
    `  Size ${formatBytes(image.size)}, ${analysis.layers.length} layers, ${analysis.steps.length} steps, ${image.os}/${image.architecture}`,
    `  Base: ${describeBase(analysis)}`,
  ]
  return formatFindings(heading, findings, lessonParts)
}

/** A Dockerfile audited on its own: its findings, each with its line and column. */
export const formatDockerfileAudit = (audit: DockerfileAudit, lessonParts: readonly LessonPart[]): string =>
  formatFindings([`Dockerfile ${audit.uri}`], audit.findings, lessonParts)

function formatFindings(heading: readonly string[], findings: readonly Finding[], lessonParts: readonly LessonPart[]): string {
  const lessonTitles = new Map(lessonParts.map((part) => [part.id, part.title]))
  const lines = [...heading, '']
  if (findings.length === 0) {
    lines.push('  No findings.')
    return lines.join('\n')
  }
  for (const severity of SEVERITIES) {
    const group = findings.filter((finding) => finding.severity === severity)
    if (group.length === 0) continue
    for (const finding of group) lines.push(...formatFinding(finding, lessonTitles), '')
  }
  lines.push(`  ${findings.length} finding${findings.length === 1 ? '' : 's'}: ${describeCounts(findings)}`)
  return lines.join('\n')
}

/** One line per configured threshold, breached ones marked. */
export function formatThresholds(checks: readonly ThresholdCheck[]): string {
  return checks.map((check) => `  ${check.breached ? 'EXCEEDED' : 'ok      '} ${check.message}`).join('\n')
}

export function formatError(ref: string | undefined, error: FailedImage['error']): string {
  return [`layerlens: ${ref === undefined ? '' : `${ref}: `}${error.message}`, `  Fix: ${error.fix}`, `  (${error.code})`].join('\n')
}
