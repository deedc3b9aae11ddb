import { readFileSync, writeFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import Ajv from 'ajv'
import addFormats from 'ajv-formats'
import { beforeAll, describe, expect, it } from 'vitest'
import type { ContentsSummary, ImageAnalysis } from '../../../src-main/engine/model'
import {
  auditReportJsonSchema,
  buildSarifLog,
  formatJsonReport,
  formatMarkdownReport,
  formatSarifReport,
  type AnalyzedImage,
  type ReportImage,
} from '../../../src-main/engine/reports'
import { checkThresholds } from '../../../src-main/engine/settings'
import { parseSnapshot } from '../../../src-main/engine/snapshot'
import { GOLDEN_SNAPSHOT_PATH } from '../snapshot/golden'
import { analysisOf, contentsOf, reportContext } from './report-data'

const SCHEMA_PATH = fileURLToPath(new URL('../../../docs/json-schema/audit-report.v1.json', import.meta.url))
const SARIF_SCHEMA_PATH = fileURLToPath(new URL('../../fixtures/schemas/sarif-2.1.0.json', import.meta.url))

let before: ImageAnalysis
let after: ImageAnalysis
let afterContents: ContentsSummary
let images: ReportImage[]

beforeAll(() => {
  before = analysisOf('lesson-before_buildkit')
  after = analysisOf('lesson-after_buildkit')
  const golden = parseSnapshot(readFileSync(GOLDEN_SNAPSHOT_PATH, 'utf8'))
  afterContents = contentsOf(golden.analysis, golden.layerFiles!)
  images = [
    { ref: 'layerlens-fixtures/lesson-before:buildkit', status: 'analyzed', analysis: before, thresholds: checkThresholds(before, undefined, { maxImageSize: 500e6, minEfficiency: 0.9 }) },
    {
      ref: 'layerlens-fixtures/lesson-after:buildkit',
      status: 'analyzed',
      analysis: after,
      contents: afterContents,
      thresholds: checkThresholds(after, afterContents, { maxReclaimableBytes: 1e6, minEfficiency: 0.5 }),
    },
    { ref: 'nosuch:image', status: 'failed', error: { code: 'IMAGE_NOT_FOUND', message: 'No image nosuch:image', fix: 'Check the name with docker images.' } },
  ]
})

function validator(schema: object): (data: unknown) => string[] {
  const ajv = new Ajv({ allErrors: true, strict: false })
  addFormats(ajv)
  const validate = ajv.compile(schema)
  return (data) => (validate(data) ? [] : (validate.errors ?? []).map((error) => `${error.instancePath} ${error.message}`))
}

describe('JSON report', () => {
  it('publishes the schema generated from the report schema', () => {
    const generated = `${JSON.stringify(auditReportJsonSchema(), null, 2)}\n`
    if (process.env['LAYERLENS_UPDATE_SCHEMAS'] === '1') writeFileSync(SCHEMA_PATH, generated)
    expect(readFileSync(SCHEMA_PATH, 'utf8'), 'run LAYERLENS_UPDATE_SCHEMAS=1 npx vitest run test/unit/reports').toBe(generated)
  })

  it('writes reports the published schema accepts', () => {
    const report = JSON.parse(formatJsonReport(images, reportContext(), 1))
    expect(report.schemaVersion).toBe('1')
    expect(report.images.map((image: ReportImage) => image.status)).toEqual(['analyzed', 'analyzed', 'failed'])
    expect(validator(JSON.parse(readFileSync(SCHEMA_PATH, 'utf8')))(report)).toEqual([])
  })

  it('is refused by the schema when a finding loses its severity', () => {
    const report = JSON.parse(formatJsonReport(images, reportContext()))
    delete report.images[0].analysis.findings[0].severity
    expect(validator(JSON.parse(readFileSync(SCHEMA_PATH, 'utf8')))(report).join('\n')).toMatch(/severity/)
  })
})

describe('Markdown report', () => {
  it('gives a verdict, a table by severity and each finding folded with its fix', () => {
    const markdown = formatMarkdownReport(images, reportContext())
    const lines = markdown.split('\n')
    expect(lines).toContain('### `layerlens-fixtures/lesson-before:buildkit` (e1517f532ada)')
    const verdict = lines.find((line) => line.startsWith('**Verdict:**'))
    expect(verdict).toMatch(/^\*\*Verdict:\*\* ⛔ 1 high, 4 medium, 2 info · 1 threshold exceeded · 998 MB · about 835 MB to save$/)
    expect(lines).toContain('| Severity | Findings |')
    expect(markdown.match(/<details>/g)).toHaveLength(before.findings.length + after.findings.length)
    expect(markdown).toContain('```diff\n- FROM layerlens-fixtures/python:3.11\n+ FROM layerlens-fixtures/python:3.11-slim\n```')
    expect(markdown).toContain('(https://github.com/layerlens/layerlens/blob/main/resources/lesson/non-root-user.md)')
    expect(markdown).toContain('⚠️ Not audited: No image nosuch:image (IMAGE_NOT_FOUND)')
    expect(markdown).toMatch(/reclaimable · dive efficiency \d+\.\d%/)
  })

  it('keeps titles from breaking the HTML and fences from closing early', () => {
    const finding = { ...before.findings[0]!, title: 'a <script> | b', fix: { before: 'RUN echo ```', after: 'RUN true' } }
    const image: AnalyzedImage = { ref: 'x', status: 'analyzed', analysis: { ...before, findings: [finding] } }
    const markdown = formatMarkdownReport([image], reportContext())
    expect(markdown).toContain('a &lt;script&gt; | b')
    expect(markdown).toContain('````diff\n- RUN echo ```\n+ RUN true\n````')
  })
})

describe('SARIF report', () => {
  const dockerfileImages = (): ReportImage[] => [
    {
      ...(images[0] as AnalyzedImage),
      dockerfile: { uri: 'test/fixtures/apps/lesson/Dockerfile', stepLocations: Object.fromEntries(before.steps.filter((step) => !step.inBase).map((step, order) => [step.index, { line: order + 2, column: 1 }])) },
    },
    images[1]!,
  ]

  it('is valid SARIF 2.1.0', () => {
    const validate = validator(JSON.parse(readFileSync(SARIF_SCHEMA_PATH, 'utf8')))
    expect(validate(JSON.parse(formatSarifReport(images, reportContext())))).toEqual([])
    expect(validate(JSON.parse(formatSarifReport(dockerfileImages(), reportContext())))).toEqual([])
  })

  it('meets what GitHub code scanning needs of rules and results', () => {
    const run = buildSarifLog(images, reportContext()).runs[0]!
    for (const rule of run.tool.driver.rules) {
      expect(rule.shortDescription.text.length).toBeGreaterThan(0)
      expect(rule.fullDescription.text.length).toBeGreaterThan(0)
      expect(rule.help.text.length).toBeGreaterThan(0)
      expect(rule.helpUri).toMatch(/^https:\/\/github\.com\/layerlens\/layerlens\/blob\/main\/resources\/lesson\/[a-z-]+\.md$/)
    }
    expect(run.results.length).toBe(before.findings.length + after.findings.length + 2)
    for (const result of run.results) {
      expect(run.tool.driver.rules[result.ruleIndex]!.id).toBe(result.ruleId)
      expect(result.locations).toHaveLength(1)
      const { physicalLocation } = result.locations[0]!
      expect(physicalLocation.artifactLocation.uri).not.toMatch(/^[a-z]+:|^\//)
      expect(physicalLocation.region.startLine).toBeGreaterThanOrEqual(1)
    }
    const rootUser = run.tool.driver.rules.find((rule) => rule.id === 'root-user')!
    expect(rootUser.properties).toMatchObject({ tags: ['container', 'docker', 'security'], precision: 'high', 'security-severity': '8.0' })
    expect(run.results.filter((result) => result.ruleId.startsWith('threshold/')).map((result) => result.ruleId)).toEqual(['threshold/maxImageSize', 'threshold/maxReclaimableBytes'])
  })

  it('maps results to Dockerfile lines when the Dockerfile is known', () => {
    const results = buildSarifLog(dockerfileImages(), reportContext()).runs[0]!.results
    const pip = results.find((result) => result.ruleId === 'pip-cache' && result.properties['image'] === 'layerlens-fixtures/lesson-before:buildkit')!
    const pipStep = before.findings.find((finding) => finding.rule === 'pip-cache')!.evidence.steps![0]!
    const expectedLine = before.steps.filter((step) => !step.inBase).findIndex((step) => step.index === pipStep) + 2
    expect(pip.locations[0]!.physicalLocation).toEqual({ artifactLocation: { uri: 'test/fixtures/apps/lesson/Dockerfile' }, region: { startLine: expectedLine, startColumn: 1 } })
    const afterResult = results.find((result) => result.properties['image'] === 'layerlens-fixtures/lesson-after:buildkit')!
    expect(afterResult.locations[0]!.physicalLocation).toEqual({ artifactLocation: { uri: 'Dockerfile' }, region: { startLine: 1 } })
    expect(afterResult.locations[0]!.logicalLocations![0]!.name).toBe('layerlens-fixtures/lesson-after:buildkit')
  })

  it("prefers a finding's own Dockerfile location", () => {
    const finding = { ...before.findings[0]!, location: { line: 7, column: 3 } }
    const image: AnalyzedImage = { ref: 'x', status: 'analyzed', analysis: { ...before, findings: [finding] }, dockerfile: { uri: 'Dockerfile' } }
    const region = buildSarifLog([image], reportContext()).runs[0]!.results[0]!.locations[0]!.physicalLocation.region
    expect(region).toEqual({ startLine: 7, startColumn: 3 })
  })

  it('maps severities to levels', () => {
    const levels = buildSarifLog(images, reportContext()).runs[0]!.results.map((result) => [result.properties['severity'], result.level])
    const expected: Record<string, string> = { critical: 'error', high: 'error', medium: 'warning', low: 'note', info: 'note' }
    for (const [severity, level] of levels) if (severity !== undefined) expect(level).toBe(expected[severity as string])
  })
})
