// `layerlens audit`: read the images, apply the project's settings and the Dockerfile, report in the
// asked format, and pick the exit code. With a Dockerfile and no image, audit the Dockerfile alone.
import { writeFile } from 'node:fs/promises'
import { dirname, resolve } from 'node:path'
import { escapeControlCharacters, type Api } from '../../src-preload/contract'
import { compareImages, RULE_IDS, SEVERITIES, type Finding, type ImageComparison, type LessonPart } from '../engine'
import { checkBuildContext, type ContextReport } from '../engine/dockerfile'
import {
  analyzedImages,
  formatAnalysis,
  formatCompareMarkdown,
  formatCompareText,
  formatContextMarkdown,
  formatContextText,
  formatDockerfileAudit,
  formatDockerfileMarkdown,
  formatError,
  formatJsonReport,
  formatMarkdownReport,
  formatSarifReport,
  formatThresholds,
  type AnalyzedImage,
  type DockerfileAudit,
  type ReportContext,
  type ReportImage,
} from '../engine/reports'
import { applySettings, checkThresholds, DEFAULT_SETTINGS, SettingsError, type Settings, type Thresholds } from '../engine/settings'
import type { ScanRegistry } from '../scans'
import { readContextDockerignore, walkContext } from '../sources/context'
import { loadSettings } from '../sources/settings-file'
import { writeSnapshotFile } from '../sources/snapshot-file'
import { UsageError, type AuditCommand, type FailOn } from './arguments'
import { isEngineWide, readAuditImages, type AuditImage, type ReadAuditImage } from './audit-sources'
import { describeLink, linkDockerfile, loadDockerfile, type LoadedDockerfile } from './dockerfile-link'

export const EXIT = { clean: 0, findings: 1, usage: 2, unreadable: 3 } as const

export interface AuditEnvironment {
  service: Api
  scans: ScanRegistry
  version: string
  cwd: string
}

interface Audited {
  report: AnalyzedImage
  /** The Dockerfile mapping, for the text report. */
  link?: string
}

const failsOn = (findings: readonly Finding[], failOn: FailOn): boolean =>
  failOn !== 'none' && findings.some((finding) => SEVERITIES.indexOf(finding.severity) <= SEVERITIES.indexOf(failOn))

const isFailing = (image: AnalyzedImage, failOn: FailOn): boolean =>
  (image.thresholds ?? []).some((check) => check.breached) || failsOn(image.analysis.findings, failOn)

/** An unreadable image outranks findings: the audit is incomplete. A malformed name is a usage error. */
function exitCodeOf(images: readonly ReportImage[], judged: readonly AnalyzedImage[], failOn: FailOn): number {
  const failures = images.flatMap((image) => (image.status === 'failed' ? [image.error] : []))
  if (failures.some((error) => error.code === 'INVALID_ARGUMENT')) return EXIT.usage
  if (failures.length > 0) return EXIT.unreadable
  return judged.some((image) => isFailing(image, failOn)) ? EXIT.findings : EXIT.clean
}

async function settingsFor(command: AuditCommand, cwd: string): Promise<Settings> {
  try {
    const loaded = await loadSettings({ ...(command.config === undefined ? {} : { path: command.config }), ...(command.dockerfile === undefined ? {} : { dockerfile: command.dockerfile }), cwd, ruleIds: RULE_IDS })
    return loaded?.settings ?? DEFAULT_SETTINGS
  } catch (error) {
    if (error instanceof SettingsError) throw new UsageError(`invalid settings:\n${error.message}`, false)
    const { code, path } = error as NodeJS.ErrnoException
    throw new UsageError(`The settings file ${path ?? command.config ?? ''} cannot be read (${code ?? 'error'}).`, false)
  }
}

async function buildContextOf(command: AuditCommand, cwd: string): Promise<ContextReport | undefined> {
  const folder = command.context ?? (command.dockerfile === undefined ? undefined : dirname(resolve(cwd, command.dockerfile)))
  if (folder === undefined) return undefined
  const absolute = resolve(cwd, folder)
  try {
    return checkBuildContext(await walkContext(absolute), await readContextDockerignore(absolute))
  } catch (error) {
    throw new UsageError(`--context ${folder} cannot be read (${(error as NodeJS.ErrnoException).code ?? 'error'}).`, false)
  }
}

function judge(image: ReadAuditImage, settings: Settings, thresholds: Thresholds, dockerfile: LoadedDockerfile | undefined, buildContext: ContextReport | undefined): Audited {
  const linked = dockerfile === undefined ? undefined : linkDockerfile(image.analysis, dockerfile)
  const joined = linked?.analysis ?? image.analysis
  const analysis = { ...joined, findings: applySettings(joined.findings, settings) }
  const report: AnalyzedImage = { ref: image.ref, status: 'analyzed', analysis }
  if (image.contents !== undefined) report.contents = image.contents
  const checks = checkThresholds(analysis, image.contents, thresholds)
  if (checks.length > 0) report.thresholds = checks
  if (linked !== undefined) report.dockerfile = linked.dockerfile
  if (buildContext !== undefined) report.buildContext = buildContext
  return linked === undefined ? { report } : { report, link: describeLink(image.analysis, linked) }
}

function textReport(audited: readonly Audited[], lessonParts: readonly LessonPart[], buildContext: ContextReport | undefined): string {
  const blocks = audited.map(({ report, link }) => {
    const parts = [formatAnalysis(report.ref, report.analysis, lessonParts)]
    if (link !== undefined) parts.push(link)
    if (report.thresholds !== undefined) parts.push(`  Thresholds:\n${formatThresholds(report.thresholds)}`)
    return parts.join('\n')
  })
  if (buildContext !== undefined) blocks.push(formatContextText(buildContext))
  return blocks.length === 0 ? '' : `${blocks.join('\n\n')}\n`
}

function render(command: AuditCommand, images: ReportImage[], audited: readonly Audited[], comparison: ImageComparison | undefined, context: ReportContext, exitCode: number, buildContext: ContextReport | undefined): string {
  switch (command.format) {
    case 'json':
      return formatJsonReport(images, context, exitCode, comparison)
    case 'sarif':
      return formatSarifReport(images, context)
    case 'markdown':
      if (comparison !== undefined) return formatCompareMarkdown(comparison)
      return [formatMarkdownReport(images, context), ...(buildContext === undefined ? [] : [formatContextMarkdown(buildContext)])].join('\n')
    case 'text':
      return comparison === undefined ? textReport(audited, context.lessonParts, buildContext) : formatCompareText(comparison)
  }
}

async function saveSnapshot(path: string, image: AuditImage | undefined, version: string): Promise<void> {
  if (image?.status !== 'analyzed') return
  const input = { analysis: image.analysis, toolVersion: version, createdAt: new Date().toISOString() }
  await writeSnapshotFile(path, {
    ...input,
    ...(image.contents === undefined ? {} : { contents: image.contents }),
    ...(image.layerFiles === undefined ? {} : { layerFiles: image.layerFiles }),
  })
}

async function reportContextOf(environment: AuditEnvironment): Promise<ReportContext> {
  const lessons = await environment.service.lessonParts()
  return { tool: { name: 'layerlens', version: environment.version }, generatedAt: new Date().toISOString(), lessonParts: lessons.ok ? lessons.value : [] }
}

async function writeReport(command: AuditCommand, cwd: string, output: string): Promise<void> {
  if (command.output === undefined) process.stdout.write(escapeControlCharacters(output))
  else if (output !== '') await writeFile(resolve(cwd, command.output), escapeControlCharacters(output))
}

function renderDockerfileAudit(command: AuditCommand, audit: DockerfileAudit, context: ReportContext, exitCode: number): string {
  switch (command.format) {
    case 'json':
      return formatJsonReport([], context, exitCode, undefined, audit)
    case 'sarif':
      return formatSarifReport([], context, audit)
    case 'markdown':
      return [formatDockerfileMarkdown(audit, context), ...(audit.buildContext === undefined ? [] : [formatContextMarkdown(audit.buildContext)])].join('\n')
    case 'text':
      return `${[formatDockerfileAudit(audit, context.lessonParts), ...(audit.buildContext === undefined ? [] : [formatContextText(audit.buildContext)])].join('\n\n')}\n`
  }
}

/** No image: the Dockerfile's own findings and its build context, judged by --fail-on like an image's. */
async function auditDockerfileAlone(command: AuditCommand, environment: AuditEnvironment, settings: Settings, dockerfile: LoadedDockerfile, buildContext: ContextReport | undefined): Promise<number> {
  const audit: DockerfileAudit = { uri: dockerfile.uri, findings: applySettings(dockerfile.findings, settings) }
  if (buildContext !== undefined) audit.buildContext = buildContext
  const exitCode = failsOn(audit.findings, command.failOn) ? EXIT.findings : EXIT.clean
  await writeReport(command, environment.cwd, renderDockerfileAudit(command, audit, await reportContextOf(environment), exitCode))
  const unmeasured = Object.keys(command.thresholds)
  if (unmeasured.length > 0) {
    process.stderr.write(`layerlens: not checked without an image: ${unmeasured.join(', ')} (thresholds measure an image; give one to audit with the Dockerfile).\n`)
  }
  return exitCode
}

export async function runAudit(command: AuditCommand, environment: AuditEnvironment): Promise<number> {
  if (command.compare && command.format === 'sarif') throw new UsageError('--compare reports as text, markdown or json; SARIF is for the findings of one audit.')
  const { cwd, service } = environment
  const settings = await settingsFor(command, cwd)
  const thresholds = { ...settings.thresholds, ...command.thresholds }
  const dockerfile = command.dockerfile === undefined ? undefined : await loadDockerfile(command.dockerfile, cwd)
  const buildContext = await buildContextOf(command, cwd)
  if (command.sources.length === 0 && dockerfile !== undefined) return auditDockerfileAlone(command, environment, settings, dockerfile, buildContext)

  const read = await readAuditImages(command.sources, { service, scans: environment.scans, files: command.files, keepLayerFiles: command.compare || command.saveSnapshot !== undefined })
  if (command.saveSnapshot !== undefined) await saveSnapshot(resolve(cwd, command.saveSnapshot), read[0], environment.version)

  const judged = read.map((image) => (image.status === 'failed' ? image : judge(image, settings, thresholds, dockerfile, buildContext)))
  const audited = judged.filter((entry): entry is Audited => 'report' in entry)
  const images: ReportImage[] = judged.map((entry) => ('report' in entry ? entry.report : entry))
  const analyzed = analyzedImages(images)

  let comparison: ImageComparison | undefined
  const [before, after] = read
  if (command.compare && before?.status === 'analyzed' && after?.status === 'analyzed') {
    comparison = compareImages(
      { ref: before.ref, analysis: analyzed[0]!.analysis, ...(before.layerFiles === undefined ? {} : { layerFiles: before.layerFiles }) },
      { ref: after.ref, analysis: analyzed[1]!.analysis, ...(after.layerFiles === undefined ? {} : { layerFiles: after.layerFiles }) },
    )
  }
  // A comparison passes or fails on the image it leads to.
  const exitCode = exitCodeOf(images, comparison === undefined ? analyzed : analyzed.slice(1), command.failOn)

  const context = await reportContextOf(environment)
  await writeReport(command, cwd, render(command, images, audited, comparison, context, exitCode, buildContext))

  for (const image of images) {
    if (image.status === 'failed') process.stderr.write(`${escapeControlCharacters(formatError(isEngineWide(image.error) ? undefined : image.ref, image.error))}\n`)
  }
  return exitCode
}
