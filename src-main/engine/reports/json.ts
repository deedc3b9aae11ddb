// The JSON report: a versioned envelope around the analyses, described by a published JSON Schema
// (docs/json-schema/audit-report.v1.json, generated from `auditReportSchema`). Fields may be added
// within a schema version; removing or changing one means a new version.
import { z } from 'zod'
import { THRESHOLD_NAMES } from '../settings/thresholds'
import { contentsSummarySchema, imageAnalysisSchema } from '../snapshot/model-schema'
import type { ReportContext, ReportImage } from './types'

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

const analyzedImage = z.object({
  ref: z.string().describe('The image as it was asked for: a name, an id, or an archive path.'),
  status: z.literal('analyzed'),
  analysis: imageAnalysisSchema,
  contents: contentsSummarySchema.optional().describe('Present when the layers were read.'),
  thresholds: z.array(thresholdCheck).optional(),
  dockerfile: z
    .object({ uri: z.string(), stepLocations: z.record(z.string().regex(/^\d+$/), sourceLocation.loose()).optional() })
    .optional(),
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
  })
  .describe('A Layerlens audit report (`layerlens audit --format json`).')

export interface AuditReport {
  schemaVersion: typeof AUDIT_REPORT_SCHEMA_VERSION
  tool: ReportContext['tool']
  generatedAt: string
  exitCode?: number
  images: ReportImage[]
}

/** The published JSON Schema (draft-07), generated from the zod schema so the two cannot drift. */
export function auditReportJsonSchema(): Record<string, unknown> {
  const schema = z.toJSONSchema(auditReportSchema, { target: 'draft-7', io: 'input' })
  return { ...schema, $id: AUDIT_REPORT_SCHEMA_ID, title: 'Layerlens audit report, schema version 1' }
}

export function buildJsonReport(images: readonly ReportImage[], context: ReportContext, exitCode?: number): AuditReport {
  const report: AuditReport = {
    schemaVersion: AUDIT_REPORT_SCHEMA_VERSION,
    tool: context.tool,
    generatedAt: context.generatedAt,
    images: [...images],
  }
  if (exitCode !== undefined) report.exitCode = exitCode
  return report
}

export const formatJsonReport = (images: readonly ReportImage[], context: ReportContext, exitCode?: number): string =>
  `${JSON.stringify(buildJsonReport(images, context, exitCode), null, 2)}\n`
