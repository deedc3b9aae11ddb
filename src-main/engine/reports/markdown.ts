// The Markdown report, made for a pull-request comment: a one-line verdict, a table by severity, and
// each finding folded in a <details> block with its evidence and the fix as a diff.
import { SEVERITIES, type Finding, type LessonPart, type Severity } from '../model'
import { formatBytes, formatPercent, imageName, plural, severityCounts, shortId } from './format'
import { analyzedImages, lessonUri, type AnalyzedImage, type DockerfileAudit, type DockerfileReference, type ReportContext, type ReportImage } from './types'

const SEVERITY_MARK: Record<Severity, string> = { critical: '🟥', high: '🔴', medium: '🟠', low: '🟡', info: 'ℹ️' }

const capitalise = (text: string): string => text.charAt(0).toUpperCase() + text.slice(1)

const escapeHtml = (text: string): string => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;')

/** Inline Markdown: characters that would start formatting or break a table cell are escaped. */
const escapeInline = (text: string): string => escapeHtml(text).replace(/([\\`*_[\]|#])/g, '\\$1').replace(/\n/g, ' ')

/** A fenced block whose fence is longer than any run of backticks inside it. */
function fenced(language: string, text: string): string {
  const longestRun = Math.max(0, ...[...text.matchAll(/`+/g)].map((match) => match[0].length))
  const fence = '`'.repeat(Math.max(3, longestRun + 1))
  return `${fence}${language}\n${text}\n${fence}`
}

function fixDiff(finding: Finding): string {
  const lines = [...finding.fix.before.split('\n').map((line) => `- ${line}`), ...finding.fix.after.split('\n').map((line) => `+ ${line}`)]
  return fenced('diff', lines.join('\n'))
}

/** `🔴 3 high, 2 medium · 1.0 GB · about 870 MB to save` — the line a reviewer reads first. */
export function verdictLine(image: AnalyzedImage): string {
  const { analysis, thresholds = [] } = image
  const worst = SEVERITIES.find((severity) => analysis.findings.some((finding) => finding.severity === severity))
  const breached = thresholds.filter((check) => check.breached)
  const mark = breached.length > 0 ? '⛔' : worst === undefined ? '✅' : SEVERITY_MARK[worst]
  const counts = severityCounts(analysis.findings)
    .filter(({ count }) => count > 0)
    .map(({ severity, count }) => `${count} ${severity}`)
  const parts = [counts.length === 0 ? 'no findings' : counts.join(', ')]
  if (breached.length > 0) parts.push(`${plural(breached.length, 'threshold')} exceeded`)
  parts.push(formatBytes(analysis.image.size))
  const savings = analysis.findings.reduce((sum, finding) => sum + (finding.savingsBytes ?? 0), 0)
  if (savings > 0) parts.push(`about ${formatBytes(savings)} to save`)
  return `${mark} ${parts.join(' · ')}`
}

function severityTable(findings: readonly Finding[]): string[] {
  return [
    '| Severity | Findings |',
    '| --- | ---: |',
    ...severityCounts(findings).map(({ severity, count }) => `| ${SEVERITY_MARK[severity]} ${capitalise(severity)} | ${count} |`),
  ]
}

function findingDetails(finding: Finding, lessons: ReadonlyMap<string, LessonPart>, dockerfile: DockerfileReference | undefined): string[] {
  const lesson = lessons.get(finding.lessonPart)
  const step = finding.evidence.steps?.[0]
  const where = finding.location ?? (step === undefined ? undefined : dockerfile?.stepLocations?.[step])
  const hint = finding.confidence === 'hint' ? ' (hint from history)' : ''
  const lines = [
    '<details>',
    `<summary>${SEVERITY_MARK[finding.severity]} <b>${capitalise(finding.severity)}</b> · <code>${escapeHtml(finding.rule)}</code> · ${escapeHtml(finding.title)}${hint}</summary>`,
    '',
    escapeHtml(finding.detail),
    '',
  ]
  if (finding.evidence.notes.length > 0) lines.push(...finding.evidence.notes.map((note) => `- ${escapeInline(note)}`), '')
  const paths = finding.evidence.paths ?? []
  if (paths.length > 0) lines.push(`Paths: ${paths.slice(0, 10).map((path) => `\`${path}\``).join(', ')}${paths.length > 10 ? `, and ${paths.length - 10} more` : ''}`, '')
  if (finding.savingsBytes !== undefined && finding.savingsBytes > 0) lines.push(`**Savings:** about ${formatBytes(finding.savingsBytes)}`, '')
  const fixHeading = where !== undefined && dockerfile !== undefined ? `**Fix** (\`${dockerfile.uri}\` line ${where.line})` : '**Fix**'
  lines.push(fixHeading, '', fixDiff(finding), '')
  lines.push(`Lesson: [${escapeInline(lesson?.title ?? finding.lessonPart)}](${lessonUri(finding.lessonPart)})`, '', '</details>')
  return lines
}

function imageSection(image: AnalyzedImage, lessons: ReadonlyMap<string, LessonPart>): string[] {
  const { analysis, contents, thresholds = [] } = image
  const lines = [`### \`${imageName(image.ref, analysis)}\` (${shortId(analysis.image.id)})`, '', `**Verdict:** ${verdictLine(image)}`, '']
  const facts = [`${formatBytes(analysis.image.size)}`, plural(analysis.layers.length, 'layer'), `base: ${analysis.base.name ?? analysis.base.family}`]
  if (contents !== undefined) {
    facts.push(`${formatBytes(contents.reclaimableBytes)} reclaimable`, `dive efficiency ${formatPercent(contents.dive.efficiency)}`)
  }
  lines.push(facts.join(' · '), '')
  lines.push(...severityTable(analysis.findings), '')
  if (thresholds.length > 0) {
    lines.push(...thresholds.map((check) => `- ${check.breached ? '⛔' : '✅'} ${escapeInline(check.message)}`), '')
  }
  for (const finding of analysis.findings) lines.push(...findingDetails(finding, lessons, image.dockerfile), '')
  return lines
}

export function formatMarkdownReport(images: readonly ReportImage[], context: ReportContext): string {
  const lessons = new Map(context.lessonParts.map((part) => [part.id as string, part]))
  const lines = ['## Layerlens audit', '']
  for (const image of images) {
    if (image.status === 'failed') lines.push(`### \`${image.ref}\``, '', `⚠️ Not audited: ${escapeInline(image.error.message)} (${image.error.code})`, '', `Fix: ${escapeInline(image.error.fix)}`, '')
    else lines.push(...imageSection(image, lessons))
  }
  const audited = analyzedImages(images).length
  lines.push(`<sub>${plural(audited, 'image')} audited by Layerlens ${escapeHtml(context.tool.version)} at ${context.generatedAt}.</sub>`)
  return `${lines.join('\n')}\n`
}

/** A Dockerfile audited on its own: its findings, each with its line. */
export function formatDockerfileMarkdown(audit: DockerfileAudit, context: ReportContext): string {
  const lessons = new Map(context.lessonParts.map((part) => [part.id as string, part]))
  const lines = ['## Layerlens audit', '', `### \`${audit.uri}\``, '']
  if (audit.findings.length === 0) lines.push('✅ no findings', '')
  else lines.push(...severityTable(audit.findings), '')
  for (const finding of audit.findings) lines.push(...findingDetails(finding, lessons, { uri: audit.uri }), '')
  lines.push(`<sub>Dockerfile audited by Layerlens ${escapeHtml(context.tool.version)} at ${context.generatedAt}.</sub>`)
  return `${lines.join('\n')}\n`
}
