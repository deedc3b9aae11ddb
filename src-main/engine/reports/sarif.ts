// SARIF 2.1.0 for code scanning (GitHub and others). Every result carries a physical location, as GitHub
// requires: the finding's Dockerfile line when the Dockerfile is known and mapped, else line 1 of the
// Dockerfile, with a logical location naming the image (none for a Dockerfile audited on its own). Rule help comes from the lesson parts.
import type { Finding, LessonPart, LessonPartId, Severity, SourceLocation } from '../model'
import { THRESHOLDS, type ThresholdCheck, type ThresholdName } from '../settings/thresholds'
import { imageName } from './format'
import { analyzedImages, lessonUri, type AnalyzedImage, type DockerfileAudit, type ReportContext, type ReportImage } from './types'

export const SARIF_SCHEMA_URI = 'https://json.schemastore.org/sarif-2.1.0.json'
export const TOOL_INFORMATION_URI = 'https://github.com/layerlens/layerlens'
/** Where results go when no Dockerfile was given: the usual place, at the repository root. */
export const DEFAULT_DOCKERFILE_URI = 'Dockerfile'

type SarifLevel = 'error' | 'warning' | 'note'

const LEVEL: Record<Severity, SarifLevel> = { critical: 'error', high: 'error', medium: 'warning', low: 'note', info: 'note' }

/** GitHub's bands: over 9.0 critical, 7.0–8.9 high, 4.0–6.9 medium, 0.1–3.9 low. */
const SECURITY_SEVERITY: Record<Severity, string> = { critical: '9.5', high: '8.0', medium: '5.5', low: '3.0', info: '0.1' }

/** Lesson parts about security rather than size or build speed; their rules are tagged `security`. */
const SECURITY_LESSONS: ReadonlySet<LessonPartId> = new Set<LessonPartId>(['secrets', 'non-root-user'])

/** The lesson part a threshold's help points at. */
const THRESHOLD_LESSON: Record<ThresholdName, LessonPartId> = {
  maxImageSize: 'base-image',
  maxReclaimableBytes: 'wasted-bytes',
  maxReclaimableRatio: 'wasted-bytes',
  minEfficiency: 'wasted-bytes',
}

interface Message {
  text: string
  markdown?: string
}

export interface SarifReportingDescriptor {
  id: string
  name: string
  shortDescription: Message
  fullDescription: Message
  help: Message
  helpUri: string
  defaultConfiguration: { level: SarifLevel }
  properties: { tags: string[]; precision: 'high' | 'medium'; 'security-severity'?: string }
}

export interface SarifResult {
  ruleId: string
  ruleIndex: number
  level: SarifLevel
  message: Message
  locations: Array<{
    physicalLocation: { artifactLocation: { uri: string }; region: { startLine: number; startColumn?: number } }
    /** The image; absent for a Dockerfile audited on its own. */
    logicalLocations?: Array<{ name: string; fullyQualifiedName: string; kind: 'resource' }>
  }>
  properties: Record<string, unknown>
}

export interface SarifLog {
  $schema: string
  version: '2.1.0'
  runs: Array<{
    tool: { driver: { name: 'Layerlens'; semanticVersion: string; informationUri: string; rules: SarifReportingDescriptor[] } }
    results: SarifResult[]
  }>
}

const pascalCase = (id: string): string => id.replace(/(^|[-/])([a-z])/g, (_match, _separator: string, letter: string) => letter.toUpperCase())

const THRESHOLD_RULE_PREFIX = 'threshold/'

function lessonHelp(lesson: LessonPart): { text: string; markdown: string } {
  const text = [lesson.summary, ...lesson.body, `Before:\n${lesson.before}`, `After:\n${lesson.after}`].join('\n\n')
  const markdown = [
    `**${lesson.title}**`,
    lesson.summary,
    ...lesson.body,
    'Before:',
    '```dockerfile\n' + lesson.before + '\n```',
    'After:',
    '```dockerfile\n' + lesson.after + '\n```',
  ].join('\n\n')
  return { text, markdown }
}

class RuleTable {
  readonly rules: SarifReportingDescriptor[] = []
  private readonly indexById = new Map<string, number>()

  constructor(private readonly lessons: ReadonlyMap<LessonPartId, LessonPart>) {}

  indexOf(id: string, describe: () => SarifReportingDescriptor): number {
    let index = this.indexById.get(id)
    if (index === undefined) {
      index = this.rules.push(describe()) - 1
      this.indexById.set(id, index)
    }
    return index
  }

  describe(id: string, lessonPart: LessonPartId, fallback: { title: string; severity: Severity; confirmed: boolean }): SarifReportingDescriptor {
    const lesson = this.lessons.get(lessonPart)
    const security = SECURITY_LESSONS.has(lessonPart)
    const help = lesson === undefined ? { text: fallback.title, markdown: fallback.title } : lessonHelp(lesson)
    return {
      id,
      name: pascalCase(id),
      shortDescription: { text: fallback.title },
      fullDescription: { text: lesson?.summary ?? fallback.title },
      help,
      helpUri: lessonUri(lessonPart),
      defaultConfiguration: { level: LEVEL[fallback.severity] },
      properties: {
        tags: security ? ['container', 'docker', 'security'] : ['container', 'docker', 'maintainability'],
        precision: fallback.confirmed ? 'high' : 'medium',
        ...(security ? { 'security-severity': SECURITY_SEVERITY[fallback.severity] } : {}),
      },
    }
  }
}

const regionOf = (where: SourceLocation | undefined) => (where === undefined ? { startLine: 1 } : { startLine: where.line, startColumn: where.column })

function locationsFor(image: AnalyzedImage, where: SourceLocation | undefined): SarifResult['locations'] {
  const name = imageName(image.ref, image.analysis)
  const region = regionOf(where)
  return [
    {
      physicalLocation: { artifactLocation: { uri: image.dockerfile?.uri ?? DEFAULT_DOCKERFILE_URI }, region },
      logicalLocations: [{ name, fullyQualifiedName: `${name}@${image.analysis.image.id}`, kind: 'resource' }],
    },
  ]
}

/** The finding's own Dockerfile place, else that of the first evidence step the Dockerfile mapping knows. */
function locate(finding: Finding, image: AnalyzedImage): SourceLocation | undefined {
  if (finding.location !== undefined) return finding.location
  const stepLocations = image.dockerfile?.stepLocations
  if (stepLocations === undefined) return undefined
  return (finding.evidence.steps ?? []).map((step) => stepLocations[step]).find((location) => location !== undefined)
}

/** The highest severity any finding of a rule has in this report: the rule's level and security severity. */
function worstByRule(findings: readonly Finding[]): Map<string, { severity: Severity; confirmed: boolean; title: string }> {
  const worst = new Map<string, { severity: Severity; confirmed: boolean; title: string }>()
  const order: readonly Severity[] = ['info', 'low', 'medium', 'high', 'critical']
  for (const finding of findings) {
    const seen = worst.get(finding.rule)
    const confirmed = (seen?.confirmed ?? false) || finding.confidence === 'confirmed'
    const severity = seen === undefined || order.indexOf(finding.severity) > order.indexOf(seen.severity) ? finding.severity : seen.severity
    worst.set(finding.rule, { severity, confirmed, title: seen?.title ?? finding.title })
  }
  return worst
}

function findingResult(finding: Finding, image: AnalyzedImage, ruleIndex: number): SarifResult {
  const name = imageName(image.ref, image.analysis)
  const properties: Record<string, unknown> = {
    image: name,
    imageId: image.analysis.image.id,
    severity: finding.severity,
    confidence: finding.confidence,
    fix: finding.fix,
  }
  if (finding.savingsBytes !== undefined) properties['savingsBytes'] = finding.savingsBytes
  if (finding.evidence.paths !== undefined) properties['paths'] = finding.evidence.paths
  return {
    ruleId: finding.rule,
    ruleIndex,
    level: LEVEL[finding.severity],
    message: { text: `${name}: ${finding.title}. ${finding.detail}` },
    locations: locationsFor(image, locate(finding, image)),
    properties,
  }
}

function thresholdResult(check: ThresholdCheck, image: AnalyzedImage, ruleIndex: number): SarifResult {
  const name = imageName(image.ref, image.analysis)
  return {
    ruleId: `${THRESHOLD_RULE_PREFIX}${check.threshold}`,
    ruleIndex,
    level: 'error',
    message: { text: `${name}: ${check.message}.` },
    locations: locationsFor(image, undefined),
    properties: { image: name, imageId: image.analysis.image.id, limit: check.limit, actual: check.actual },
  }
}

function dockerfileFindingResult(finding: Finding, uri: string, ruleIndex: number): SarifResult {
  return {
    ruleId: finding.rule,
    ruleIndex,
    level: LEVEL[finding.severity],
    message: { text: `${finding.title}. ${finding.detail}` },
    locations: [{ physicalLocation: { artifactLocation: { uri }, region: regionOf(finding.location) } }],
    properties: { severity: finding.severity, confidence: finding.confidence, fix: finding.fix },
  }
}

/** The images' results, or with `dockerfile` (and no images) those of a Dockerfile audited on its own. */
export function buildSarifLog(images: readonly ReportImage[], context: ReportContext, dockerfile?: DockerfileAudit): SarifLog {
  const analyzed = analyzedImages(images)
  const table = new RuleTable(new Map(context.lessonParts.map((part) => [part.id, part])))
  const worst = worstByRule([...analyzed.flatMap((image) => image.analysis.findings), ...(dockerfile?.findings ?? [])])
  const results: SarifResult[] = []
  for (const finding of dockerfile?.findings ?? []) {
    const index = table.indexOf(finding.rule, () => table.describe(finding.rule, finding.lessonPart, worst.get(finding.rule)!))
    results.push(dockerfileFindingResult(finding, dockerfile!.uri, index))
  }
  for (const image of analyzed) {
    for (const finding of image.analysis.findings) {
      const index = table.indexOf(finding.rule, () => table.describe(finding.rule, finding.lessonPart, worst.get(finding.rule)!))
      results.push(findingResult(finding, image, index))
    }
    for (const check of (image.thresholds ?? []).filter((candidate) => candidate.breached)) {
      const id = `${THRESHOLD_RULE_PREFIX}${check.threshold}`
      const title = `The image's ${THRESHOLDS[check.threshold].describe} is past the project's limit (${check.threshold})`
      const index = table.indexOf(id, () => table.describe(id, THRESHOLD_LESSON[check.threshold], { title, severity: 'high', confirmed: true }))
      results.push(thresholdResult(check, image, index))
    }
  }
  return {
    $schema: SARIF_SCHEMA_URI,
    version: '2.1.0',
    runs: [
      {
        tool: { driver: { name: 'Layerlens', semanticVersion: context.tool.version, informationUri: TOOL_INFORMATION_URI, rules: table.rules } },
        results,
      },
    ],
  }
}

export const formatSarifReport = (images: readonly ReportImage[], context: ReportContext, dockerfile?: DockerfileAudit): string =>
  `${JSON.stringify(buildSarifLog(images, context, dockerfile), null, 2)}\n`
