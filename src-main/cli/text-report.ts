// The human-readable audit report: one block per image, findings grouped by severity.
import type { ApiError } from '../../src-preload/contract'
import { SEVERITIES, type Finding, type ImageAnalysis, type LessonPart, type LessonPartId } from '../engine/model'

function formatBytes(bytes: number): string {
  if (bytes < 1000) return `${bytes} B`
  const units = ['kB', 'MB', 'GB', 'TB']
  let value = bytes
  let unit = -1
  while (value >= 1000 && unit < units.length - 1) {
    value /= 1000
    unit++
  }
  return `${value >= 100 ? value.toFixed(0) : value.toFixed(1)} ${units[unit]}`
}

const shortId = (id: string): string => id.replace(/^sha256:/, '').slice(0, 12)

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
  const lines = [`  ${finding.severity.toUpperCase().padEnd(8)} ${finding.rule}: ${finding.title}${finding.confidence === 'hint' ? ' (hint from history)' : ''}`]
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
  const lessonTitles = new Map(lessonParts.map((part) => [part.id, part.title]))
  const { image, findings } = analysis
  const name = image.repoTags[0] ?? ref
  const lines = [
    `${name}  (${shortId(image.id)})`,
    `  Size ${formatBytes(image.size)}, ${analysis.layers.length} layers, ${analysis.steps.length} steps, ${image.os}/${image.architecture}`,
    `  Base: ${describeBase(analysis)}`,
    ''
  ]
  if (findings.length === 0) {
    lines.push('  No findings.')
    return lines.join('\n')
  }
  for (const severity of SEVERITIES) {
    const group = findings.filter((finding) => finding.severity === severity)
    if (group.length === 0) continue
    for (const finding of group) lines.push(...formatFinding(finding, lessonTitles), '')
  }
  const counts = SEVERITIES.map((severity) => [severity, findings.filter((finding) => finding.severity === severity).length] as const)
    .filter(([, count]) => count > 0)
    .map(([severity, count]) => `${count} ${severity}`)
  lines.push(`  ${findings.length} finding${findings.length === 1 ? '' : 's'}: ${counts.join(', ')}`)
  return lines.join('\n')
}

export function formatError(ref: string | undefined, error: ApiError): string {
  return [`layerlens: ${ref === undefined ? '' : `${ref}: `}${error.message}`, `  Fix: ${error.fix}`, `  (${error.code})`].join('\n')
}
