// The JSON report: a versioned envelope around the analyses, described by a published JSON Schema
// (docs/json-schema/audit-report.v1.json, generated from `auditReportSchema`). Fields may be added
// within a schema version; removing or changing one means a new version.
import { z } from 'zod'
import type { ImageComparison } from '../compare'
import { THRESHOLD_NAMES } from '../settings/thresholds'
import { contentsSummarySchema, findingSchema, imageAnalysisSchema } from '../snapshot/model-schema'
import type { DockerfileAudit, ReportContext, ReportImage } from './types'

export const AUDIT_REPORT_SCHEMA_VERSION = '1'
export const AUDIT_REPORT_SCHEMA_ID = 'https://github.com/layerlens/layerlens/blob/main/docs/json-schema/audit-report.v1.json'

const sourceLocation = z.object({ line: z.number().int().positive(), column: z.number().int().positive() })

const thresholdCheck = z.object({
  threshold: z.enum(THRESHOLD_NAMES as [string, ...string[]]),
  limit: z.number().nonnegative(),
  actual: z.number().nonnegative().optional().describe('Absent when it needs the layer contents and they were not read.'),
  breached: z.boolean(),
  message: z.string(),
})

const tally = z.object({ files: z.number().int().nonnegative(), bytes: z.number().nonnegative() })

const buildContext = z
  .object({
    dockerignore: z.object({ present: z.boolean(), patterns: z.array(z.string()) }),
    sent: tally,
    withoutDockerignore: tally,
    biggestFolders: z.array(tally.extend({ path: z.string() })),
    secrets: z.array(z.object({ path: z.string(), kind: z.string(), bytes: z.number().nonnegative() })),
    proposed: z.array(tally.extend({ pattern: z.string(), examples: z.array(z.string()) })),
  })
  .describe('What a build would send from the context folder (`--context`), with the current .dockerignore and with none.')

const comparedImage = z.object({
  name: z.string(),
  id: z.string(),
  size: z.number().nonnegative(),
  base: z.object({ name: z.string().optional(), family: z.string(), size: z.number().nonnegative() }),
})

const comparedStep = z.object({ stepIndex: z.number().int().nonnegative(), instruction: z.string(), args: z.string(), size: z.number().nonnegative() })

const findingSummary = z.object({ rule: z.string(), severity: z.string(), title: z.string() })

const folderChange = tally.extend({ folder: z.string() })

const comparison = z
  .object({
    before: comparedImage,
    after: comparedImage,
    sizeDelta: z.number(),
    sizeRatio: z.number(),
    base: z.object({ before: z.number(), after: z.number(), delta: z.number() }),
    steps: z.array(
      z.object({ match: z.enum(['same', 'changed', 'removed', 'added']), before: comparedStep.optional(), after: comparedStep.optional(), delta: z.number() }),
    ),
    findings: z.object({ resolved: z.array(findingSummary), new: z.array(findingSummary), unchanged: z.array(findingSummary) }),
    files: z.object({ added: z.array(folderChange), removed: z.array(folderChange), addedTotal: tally, removedTotal: tally }).optional(),
    verdict: z.string(),
  })
  .describe('`layerlens audit --compare BEFORE AFTER`: the two images are `images[0]` and `images[1]`.')

const analyzedImage = z.object({
  ref: z.string().describe('The image as it was asked for: a name, an id, or an archive path.'),
  status: z.literal('analyzed'),
  analysis: imageAnalysisSchema,
  contents: contentsSummarySchema.optional().describe('Present when the layers were read.'),
  thresholds: z.array(thresholdCheck).optional(),
  dockerfile: z
    .object({ uri: z.string(), stepLocations: z.record(z.string().regex(/^\d+$/), sourceLocation.loose()).optional() })
    .optional(),
  buildContext: buildContext.optional(),
})

const failedImage = z.object({
  ref: z.string(),
  status: z.literal('failed'),
  error: z.object({ code: z.string(), message: z.string(), fix: z.string() }),
})

export const auditReportSchema = z
  .object({
    schemaVersion: z.literal(AUDIT_REPORT_SCHEMA_VERSION),
    tool: z.object({ name: z.literal('layerlens'), version: z.string() }),
    generatedAt: z.string(),
    exitCode: z.number().int().optional().describe('The exit code `layerlens audit` returned with this report.'),
    images: z.array(z.discriminatedUnion('status', [analyzedImage, failedImage])),
    comparison: comparison.optional(),
    dockerfile: z
      .object({ uri: z.string(), findings: z.array(findingSchema), buildContext: buildContext.optional() })
      .optional()
      .describe('`layerlens audit --dockerfile PATH` with no image: the Dockerfile audited on its own (`images` is empty).'),
  })
  .describe('A Layerlens audit report (`layerlens audit --format json`).')

export interface AuditReport {
  schemaVersion: typeof AUDIT_REPORT_SCHEMA_VERSION
  tool: ReportContext['tool']
  generatedAt: string
  exitCode?: number
  images: ReportImage[]
  comparison?: ImageComparison
  dockerfile?: DockerfileAudit
}

/** The published JSON Schema (draft-07), generated from the zod schema so the two cannot drift. */
export function auditReportJsonSchema(): Record<string, unknown> {
  const schema = z.toJSONSchema(auditReportSchema, { target: 'draft-7', io: 'input' })
  return { ...schema, $id: AUDIT_REPORT_SCHEMA_ID, title: 'Layerlens audit report, schema version 1' }
}

export function buildJsonReport(images: readonly ReportImage[], context: ReportContext, exitCode?: number, comparison?: ImageComparison, dockerfile?: DockerfileAudit): AuditReport {
  const report: AuditReport = {
    schemaVersion: AUDIT_REPORT_SCHEMA_VERSION,
    tool: context.tool,
    generatedAt: context.generatedAt,
    images: [...images],
  }
  if (exitCode !== undefined) report.exitCode = exitCode
  if (comparison !== undefined) report.comparison = comparison
  if (dockerfile !== undefined) report.dockerfile = dockerfile
  return report
}

export const formatJsonReport = (images: readonly ReportImage[], context: ReportContext, exitCode?: number, comparison?: ImageComparison, dockerfile?: DockerfileAudit): string =>
  `${JSON.stringify(buildJsonReport(images, context, exitCode, comparison, dockerfile), null, 2)}\n`
