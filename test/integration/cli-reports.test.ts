// `layerlens audit` reports, settings, Dockerfile link, archives, snapshots and compare: the built command
// line against the real daemon and the lesson's fixture images.
import { execFileSync } from 'node:child_process'
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, relative } from 'node:path'
import Ajv from 'ajv'
import addFormats from 'ajv-formats'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { AuditReport, SarifLog } from '../../src-main/engine/reports'
import { FIXTURES, projectRoot, requireBuiltCli, requireFixtureImages, runCli } from './support'

const LESSON_APP = 'test/fixtures/apps/lesson-fastapi'
const DOCKERFILE_BEFORE = `${LESSON_APP}/Dockerfile.before`

let scratch: string

beforeAll(async () => {
  requireBuiltCli()
  await requireFixtureImages()
  scratch = mkdtempSync(join(tmpdir(), 'layerlens-cli-'))
})

afterAll(() => rmSync(scratch, { recursive: true, force: true }))

function validator(schemaPath: string): (data: unknown) => string[] {
  const ajv = new Ajv({ allErrors: true, strict: false })
  addFormats(ajv)
  const validate = ajv.compile(JSON.parse(readFileSync(join(projectRoot, schemaPath), 'utf8')) as object)
  return (data) => (validate(data) ? [] : (validate.errors ?? []).map((error) => `${error.instancePath} ${error.message}`))
}

const auditReportErrors = (data: unknown): string[] => validator('docs/json-schema/audit-report.v1.json')(data)

function analyzed(report: AuditReport, index = 0) {
  const image = report.images[index]
  if (image?.status !== 'analyzed') throw new Error(`image ${index} was not analysed: ${JSON.stringify(image)}`)
  return image
}

/** Rule and severity of each finding, sorted: what two ways of reading the same image must agree on. */
const findingKeys = (report: AuditReport, index = 0): string[] =>
  analyzed(report, index)
    .analysis.findings.map((finding) => `${finding.rule}:${finding.severity}`)
    .sort()

describe('layerlens audit --format json', () => {
  let engineReport: AuditReport
  const snapshotPath = (): string => join(scratch, 'before.layerlens.json')

  it('writes a report valid against the published schema, and a snapshot of the image', async () => {
    const run = await runCli(['audit', FIXTURES.beforeBuildkit, '--format', 'json', '--save-snapshot', snapshotPath()])
    expect(run.stderr).toBe('')
    expect(run.exitCode).toBe(1)
    engineReport = JSON.parse(run.stdout) as AuditReport
    expect(auditReportErrors(engineReport)).toEqual([])
    expect(engineReport.exitCode).toBe(1)
    expect(analyzed(engineReport).contents?.fileCount).toBeGreaterThan(0)
    expect(findingKeys(engineReport)).toContain('secret-file:high')
    expect(JSON.parse(readFileSync(snapshotPath(), 'utf8'))).toMatchObject({ format: 'layerlens-snapshot', version: 1 })
  })

  it('opens the saved snapshot with no engine and gives identical findings', async () => {
    const run = await runCli(['audit', '--snapshot', snapshotPath(), '--json'], { env: { ...process.env, DOCKER_HOST: 'unix:///nonexistent/docker.sock' } })
    expect(run.stderr).toBe('')
    expect(run.exitCode).toBe(1)
    const report = JSON.parse(run.stdout) as AuditReport
    expect(auditReportErrors(report)).toEqual([])
    expect(analyzed(report).analysis.findings).toEqual(analyzed(engineReport).analysis.findings)
    expect(analyzed(report).contents).toEqual(analyzed(engineReport).contents)
  })

  it('audits a `docker save -o` archive with no engine and finds the same', async () => {
    const archive = join(scratch, 'before.tar')
    execFileSync('/usr/bin/docker', ['save', '-o', archive, FIXTURES.beforeBuildkit])
    const run = await runCli(['audit', '--archive', archive, '--json'], { env: { ...process.env, DOCKER_HOST: 'unix:///nonexistent/docker.sock' } })
    expect(run.stderr).toBe('')
    expect(run.exitCode).toBe(1)
    const report = JSON.parse(run.stdout) as AuditReport
    expect(auditReportErrors(report)).toEqual([])
    expect(findingKeys(report)).toEqual(findingKeys(engineReport))
    const fromArchive = analyzed(report).analysis
    const fromEngine = analyzed(engineReport).analysis
    expect(fromArchive.image.id).toBe(fromEngine.image.id)
    expect(fromArchive.image.repoTags).toEqual([FIXTURES.beforeBuildkit])
    expect(fromArchive.steps.map((step) => [step.instruction, step.args, step.layerIndex])).toEqual(fromEngine.steps.map((step) => [step.instruction, step.args, step.layerIndex]))
    expect(fromArchive.base.family).toBe(fromEngine.base.family)
    expect(analyzed(report).contents).toEqual(analyzed(engineReport).contents)
  })

  it('exits 3 on an archive or a snapshot it cannot read', async () => {
    const garbage = join(scratch, 'garbage.layerlens.json')
    writeFileSync(garbage, '{"format":"something-else"}')
    const archiveRun = await runCli(['audit', '--archive', join(scratch, 'missing.tar')])
    expect(archiveRun.exitCode).toBe(3)
    expect(archiveRun.stderr).toContain('(ARCHIVE_UNREADABLE)')
    const snapshotRun = await runCli(['audit', '--snapshot', garbage])
    expect(snapshotRun.exitCode).toBe(3)
    expect(snapshotRun.stderr).toContain('not a Layerlens snapshot')
    expect(snapshotRun.stderr).toContain('(SNAPSHOT_UNREADABLE)')
  })
})

describe('layerlens audit --dockerfile', () => {
  it('maps SARIF results to Dockerfile lines, valid against the SARIF 2.1.0 schema', async () => {
    const output = join(scratch, 'before.sarif')
    const run = await runCli(['audit', FIXTURES.beforeBuildkit, '--format', 'sarif', '--dockerfile', DOCKERFILE_BEFORE, '--output', output])
    expect(run.exitCode).toBe(1)
    expect(run.stdout).toBe('')
    const sarif = JSON.parse(readFileSync(output, 'utf8')) as SarifLog
    expect(validator('test/fixtures/schemas/sarif-2.1.0.json')(sarif)).toEqual([])
    const lineOf = (rule: string): number | undefined =>
      sarif.runs[0]!.results.find((result) => result.ruleId === rule)?.locations[0]?.physicalLocation.region.startLine
    const uris = new Set(sarif.runs[0]!.results.map((result) => result.locations[0]!.physicalLocation.artifactLocation.uri))
    expect(uris).toEqual(new Set([DOCKERFILE_BEFORE]))
    // FROM layerlens-fixtures/python:3.11 / WORKDIR /app / COPY . . / RUN pip install … / CMD uvicorn …
    expect(lineOf('bloated-base')).toBe(1)
    expect(lineOf('copy-before-install')).toBe(3)
    expect(lineOf('context-leak')).toBe(3)
    expect(lineOf('pip-cache')).toBe(4)
    expect(lineOf('shell-form-cmd')).toBe(5)
    expect(sarif.runs[0]!.tool.driver.rules.find((rule) => rule.id === 'pip-cache')?.helpUri).toMatch(/resources\/lesson\/pip-cache\.md$/)
  })

  it('adds the build-context check to the text report and the JSON report', async () => {
    const text = await runCli(['audit', FIXTURES.beforeBuildkit, '--no-files', '--dockerfile', DOCKERFILE_BEFORE])
    expect(text.exitCode).toBe(1)
    expect(text.stdout).toContain(`Dockerfile: ${DOCKERFILE_BEFORE}, `)
    expect(text.stdout).toContain('Build context\n  Sent (there is no .dockerignore): ')
    expect(text.stdout).toMatch(/Add to \.dockerignore:\n\s+\S/)

    const json = await runCli(['audit', FIXTURES.beforeBuildkit, '--no-files', '--json', '--dockerfile', DOCKERFILE_BEFORE, '--context', LESSON_APP])
    const report = JSON.parse(json.stdout) as AuditReport
    expect(auditReportErrors(report)).toEqual([])
    const image = analyzed(report)
    expect(image.buildContext?.dockerignore.present).toBe(false)
    expect(image.buildContext?.proposed.map((entry) => entry.pattern)).toContain('tests/')
    expect(image.dockerfile?.uri).toBe(DOCKERFILE_BEFORE)
    expect(image.analysis.findings.find((finding) => finding.rule === 'shell-form-cmd')?.location).toMatchObject({ line: 5, column: 1 })
  })
  describe('with no image', () => {
    // No engine is needed for a Dockerfile alone: an unreachable one proves it is never asked.
    const noEngine = { env: { ...process.env, DOCKER_HOST: 'unix:///nonexistent/layerlens-no-engine.sock' } }
    const DOCKERFILE_RULES = ['bloated-base', 'copy-before-install', 'pip-cache', 'root-user', 'shell-form-cmd']

    it('audits the Dockerfile alone: its findings with their lines, and the build context, in every format', async () => {
      const text = await runCli(['audit', '--dockerfile', DOCKERFILE_BEFORE], noEngine)
      expect(text.stderr).toBe('')
      expect(text.exitCode).toBe(1)
      expect(text.stdout).toContain(`Dockerfile ${DOCKERFILE_BEFORE}`)
      expect(text.stdout).toContain('shell-form-cmd: CMD is in shell form (line 5:1)')
      expect(text.stdout).toContain('Build context\n  Sent (there is no .dockerignore): ')

      const json = await runCli(['audit', '--dockerfile', DOCKERFILE_BEFORE, '--context', LESSON_APP, '--json'], noEngine)
      expect(json.exitCode).toBe(1)
      const report = JSON.parse(json.stdout) as AuditReport
      expect(auditReportErrors(report)).toEqual([])
      expect(report.images).toEqual([])
      expect(report.exitCode).toBe(1)
      expect(report.dockerfile?.findings.map((finding) => finding.rule).sort()).toEqual(DOCKERFILE_RULES)
      expect(report.dockerfile?.buildContext?.proposed.map((entry) => entry.pattern)).toContain('tests/')

      const markdown = await runCli(['audit', '--dockerfile', DOCKERFILE_BEFORE, '--format', 'markdown'], noEngine)
      expect(markdown.exitCode).toBe(1)
      expect(markdown.stdout).toContain(`### \`${DOCKERFILE_BEFORE}\``)
      expect(markdown.stdout).toContain(`**Fix** (\`${DOCKERFILE_BEFORE}\` line 5)`)
    })

    it('puts SARIF results on the Dockerfile lines, valid against the SARIF 2.1.0 schema', async () => {
      const run = await runCli(['audit', '--dockerfile', DOCKERFILE_BEFORE, '--format', 'sarif'], noEngine)
      expect(run.exitCode).toBe(1)
      const sarif = JSON.parse(run.stdout) as SarifLog
      expect(validator('test/fixtures/schemas/sarif-2.1.0.json')(sarif)).toEqual([])
      const results = sarif.runs[0]!.results
      expect(results.map((result) => result.ruleId).sort()).toEqual(DOCKERFILE_RULES)
      expect(new Set(results.map((result) => result.locations[0]!.physicalLocation.artifactLocation.uri))).toEqual(new Set([DOCKERFILE_BEFORE]))
      const regionOf = (rule: string) => results.find((result) => result.ruleId === rule)?.locations[0]?.physicalLocation.region
      expect(regionOf('pip-cache')).toEqual({ startLine: 4, startColumn: 5 })
      expect(regionOf('shell-form-cmd')).toEqual({ startLine: 5, startColumn: 1 })
    })

    it('exits by --fail-on like an image: 0 when no finding reaches the level', async () => {
      const run = await runCli(['audit', '--dockerfile', DOCKERFILE_BEFORE, '--fail-on', 'critical'], noEngine)
      expect(run.exitCode).toBe(0)
    })

    it('says that image thresholds are not checked without an image, rather than passing them silently', async () => {
      const run = await runCli(['audit', '--dockerfile', DOCKERFILE_BEFORE, '--fail-on', 'critical', '--fail-on', 'maxImageSize=100MB'], noEngine)
      expect(run.exitCode).toBe(0)
      expect(run.stderr).toBe('layerlens: not checked without an image: maxImageSize (thresholds measure an image; give one to audit with the Dockerfile).\n')
    })
  })
})

describe('layerlens audit settings and thresholds', () => {
  it('exits 2 on an invalid .layerlens.yml found next to the Dockerfile, naming the file, line and key', async () => {
    const project = mkdtempSync(join(scratch, 'project-'))
    copyFileSync(join(projectRoot, DOCKERFILE_BEFORE), join(project, 'Dockerfile'))
    writeFileSync(join(project, '.layerlens.yml'), 'rules:\n  no-expose: off\n  root-user:\n    severity: severe\n')
    const run = await runCli(['audit', FIXTURES.afterBuildkit, '--dockerfile', join(project, 'Dockerfile')])
    expect(run.exitCode).toBe(2)
    expect(run.stdout).toBe('')
    expect(run.stderr).toContain(`${relative(projectRoot, join(project, '.layerlens.yml'))}:4: rules.root-user.severity: expected one of critical, high, medium, low, info`)
  })

  it('applies a --config file: switched-off rules are gone', async () => {
    const config = join(scratch, 'quiet.layerlens.yml')
    writeFileSync(config, 'rules:\n  no-healthcheck: off\n  setuid-files: off\n')
    expect((await runCli(['audit', FIXTURES.afterBuildkit, '--fail-on', 'info'])).exitCode).toBe(1)
    const run = await runCli(['audit', FIXTURES.afterBuildkit, '--fail-on', 'info', '--config', config])
    expect(run.exitCode).toBe(0)
    expect(run.stdout).toContain('No findings.')
  })

  it('exits 1 when a --fail-on threshold is exceeded, and 0 when it is not', async () => {
    const run = await runCli(['audit', FIXTURES.afterBuildkit, '--fail-on', 'maxImageSize=100MB', '--fail-on', 'lowestEfficiency=0.5'])
    expect(run.exitCode).toBe(1)
    expect(run.stdout).toMatch(/EXCEEDED maxImageSize: image size \d+ MB exceeds the limit of 100 MB/)
    expect(run.stdout).toMatch(/ok {7}minEfficiency: dive's efficiency score [\d.]+% is within the limit of 50\.0%/)
    expect((await runCli(['audit', FIXTURES.afterBuildkit, '--fail-on', 'maxImageSize=1GB'])).exitCode).toBe(0)
  })
})

describe('layerlens audit --format markdown', () => {
  it('writes a pull-request comment with the verdict', async () => {
    const run = await runCli(['audit', FIXTURES.afterBuildkit, '--format', 'markdown'])
    expect(run.exitCode).toBe(0)
    expect(run.stdout).toMatch(/^## Layerlens audit\n/)
    expect(run.stdout).toContain(`### \`${FIXTURES.afterBuildkit}\``)
    expect(run.stdout).toContain('**Verdict:** ℹ️ 2 info')
    expect(run.stdout).toContain('<details>')
  })
})

describe('layerlens audit --compare', () => {
  it('prints the before/after comparison with its one-line verdict', async () => {
    const run = await runCli(['audit', '--compare', FIXTURES.beforeBuildkit, FIXTURES.afterBuildkit])
    expect(run.stderr).toBe('')
    expect(run.exitCode).toBe(0)
    expect(run.stdout).toMatch(/Verdict: −\d+ MB \(−8\d%\), 8 findings fixed, 0 new\n/)
    expect(run.stdout).toContain(`before  ${FIXTURES.python} (`)
    expect(run.stdout).toContain(`after   ${FIXTURES.pythonSlim} (`)
    expect(run.stdout).toMatch(/changed RUN pip install -r requirements\.txt {2}→ {2}RUN pip install --no-cache-dir -r requirements\.txt/)
    expect(run.stdout).toMatch(/Files removed: \d+ \(\d+ MB\)\n\s+\d+ MB\s+\d+ files {2}\/usr\/lib/)
  })

  it('gives the comparison as JSON valid against the schema, from a snapshot and an engine image', async () => {
    const snapshot = join(scratch, 'after.layerlens.json')
    expect((await runCli(['audit', FIXTURES.afterBuildkit, '--save-snapshot', snapshot])).exitCode).toBe(0)
    const run = await runCli(['audit', '--compare', '--snapshot', snapshot, FIXTURES.afterBuildkit, '--json'])
    expect(run.exitCode).toBe(0)
    const report = JSON.parse(run.stdout) as AuditReport
    expect(auditReportErrors(report)).toEqual([])
    expect(report.comparison?.verdict).toBe('±0 B (±0%), 0 findings fixed, 0 new')
    expect(report.comparison?.files).toMatchObject({ addedTotal: { files: 0 }, removedTotal: { files: 0 } })
    expect(report.comparison?.steps.every((row) => row.match === 'same')).toBe(true)
  })
})
