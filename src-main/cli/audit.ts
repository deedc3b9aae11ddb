// `layerlens audit`: analyse each image through the same gate the app uses, report, and pick the exit code.
import { setTimeout as sleep } from 'node:timers/promises'
import type { Api, ApiError, Result, ScanStatus } from '../../src-preload/contract'
import { dispatch } from '../dispatch'
import { SEVERITIES, type ContentsSummary, type ImageAnalysis, type LessonPart } from '../engine/model'
import type { FailOn } from './arguments'
import { formatAnalysis, formatError } from './text-report'

export const EXIT = { clean: 0, findings: 1, usage: 2, unreadable: 3 } as const

export interface AuditOptions {
  refs: string[]
  json: boolean
  failOn: FailOn
  version: string
  /** Read the layers for the file-level findings (the default); false for config and history only. */
  files: boolean
}

export type ImageAuditResult =
  | { ref: string; ok: true; failing: boolean; analysis: ImageAnalysis; contents?: ContentsSummary }
  | { ref: string; ok: false; error: ApiError }

export interface AuditReport {
  tool: 'layerlens'
  version: string
  failOn: FailOn
  exitCode: number
  images: ImageAuditResult[]
}

const isFailing = (analysis: ImageAnalysis, failOn: FailOn): boolean =>
  failOn !== 'none' && analysis.findings.some((finding) => SEVERITIES.indexOf(finding.severity) <= SEVERITIES.indexOf(failOn))

/** Errors about the engine rather than one image: the next image would meet them too. */
const engineWide = (error: ApiError): boolean => error.code !== 'IMAGE_NOT_FOUND' && error.code !== 'INVALID_ARGUMENT' && error.code !== 'EXPORT_INCOMPLETE'

/** An unreadable image outranks findings: the audit is incomplete. A malformed name is a usage error. */
function exitCodeOf(images: readonly ImageAuditResult[]): number {
  if (images.some((image) => !image.ok && image.error.code === 'INVALID_ARGUMENT')) return EXIT.usage
  if (images.some((image) => !image.ok)) return EXIT.unreadable
  return images.some((image) => image.ok && image.failing) ? EXIT.findings : EXIT.clean
}

/** How often the audit asks a running scan how far it got. */
const SCAN_POLL_MS = 100

/** Reads the image's layers through the same scan the app uses, and waits for it to end. */
async function scanToEnd(service: Api, ref: string): Promise<Result<ScanStatus>> {
  let result = (await dispatch(service, 'startScan', [ref])) as Result<ScanStatus>
  while (result.ok && result.value.state === 'running') {
    await sleep(SCAN_POLL_MS)
    result = (await dispatch(service, 'scanStatus', [result.value.imageId])) as Result<ScanStatus>
  }
  if (result.ok && result.value.state !== 'done') {
    return { ok: false, error: result.value.error ?? { code: 'INTERNAL', message: `The scan of ${ref} stopped.`, fix: 'Run the audit again.' } }
  }
  return result
}

async function auditImage(service: Api, ref: string, options: AuditOptions): Promise<ImageAuditResult> {
  if (!options.files) {
    const result = (await dispatch(service, 'analyzeImage', [ref])) as Result<ImageAnalysis>
    return result.ok ? { ref, ok: true, failing: isFailing(result.value, options.failOn), analysis: result.value } : { ref, ok: false, error: result.error }
  }
  const result = await scanToEnd(service, ref)
  if (!result.ok) return { ref, ok: false, error: result.error }
  const { analysis, contents } = result.value
  const audited: ImageAuditResult = { ref, ok: true, failing: isFailing(analysis, options.failOn), analysis }
  if (contents !== undefined) audited.contents = contents
  return audited
}

export async function runAudit(service: Api, options: AuditOptions): Promise<number> {
  const images: ImageAuditResult[] = []
  // One at a time: the images usually share a base, and an unreachable engine should be reported once.
  for (const ref of options.refs) {
    const result = await auditImage(service, ref, options)
    images.push(result)
    if (!result.ok && engineWide(result.error)) break
  }
  const exitCode = exitCodeOf(images)

  if (options.json) {
    const report: AuditReport = { tool: 'layerlens', version: options.version, failOn: options.failOn, exitCode, images }
    process.stdout.write(`${JSON.stringify(report, null, 2)}\n`)
  } else {
    const lessons = await service.lessonParts()
    const lessonParts: LessonPart[] = lessons.ok ? lessons.value : []
    const blocks = images.filter((image) => image.ok).map((image) => formatAnalysis(image.ref, image.analysis, lessonParts))
    if (blocks.length > 0) process.stdout.write(`${blocks.join('\n\n')}\n`)
  }
  for (const image of images) {
    if (!image.ok) process.stderr.write(`${formatError(engineWide(image.error) ? undefined : image.ref, image.error)}\n`)
  }
  return exitCode
}
