// The image model as zod schemas: for checking analyses read back from files, and for publishing the
// JSON report's schema. The type checks at the bottom fail to compile when model.ts and these drift apart.
import { z } from 'zod'
import { LESSON_PART_IDS } from '../lesson'
import type {
  BaseImage,
  ConfigSummary,
  ContentsSummary,
  EnvVar,
  Evidence,
  Finding,
  ImageAnalysis,
  ImageIdentity,
  Layer,
  LayerContents,
  SourceLocation,
  Step,
  WasteStatement,
} from '../model'
import { INSTRUCTIONS, SEVERITIES } from '../model'

const count = z.number().int().nonnegative()
const stringList = z.array(z.string())

export const severitySchema = z.enum(SEVERITIES)

const instructionSchema = z.enum(INSTRUCTIONS)

const stepSchema = z.object({
  index: count,
  instruction: instructionSchema,
  args: z.string(),
  createdBy: z.string(),
  created: z.string().optional(),
  comment: z.string().optional(),
  builder: z.enum(['classic', 'buildkit', 'import', 'debuerreotype', 'unknown']),
  buildArgs: z.record(z.string(), z.string()).optional(),
  emptyLayer: z.boolean(),
  layerIndex: count.optional(),
  size: count,
  inBase: z.boolean(),
})

const layerSchema = z.object({ index: count, diffId: z.string(), size: count, stepIndex: count.optional() })

const baseImageSchema = z.object({
  method: z.enum(['local-prefix', 'fingerprint', 'label', 'none']),
  name: z.string().optional(),
  family: z.enum(['python-full', 'python-slim', 'python-alpine', 'debian', 'debian-slim', 'alpine', 'unknown']),
  stepCount: count,
  layerCount: count,
  size: count,
  evidence: stringList,
})

const envVarSchema = z.object({ key: z.string(), value: z.string(), masked: z.boolean() })

const configSummarySchema = z.object({
  user: z.string(),
  cmd: stringList.nullable(),
  entrypoint: stringList.nullable(),
  workingDir: z.string(),
  env: z.array(envVarSchema),
  exposedPorts: stringList,
  volumes: stringList,
  labels: z.record(z.string(), z.string()),
  healthcheck: stringList.nullable(),
  stopSignal: z.string().optional(),
  os: z.string(),
  architecture: z.string(),
})

const evidenceSchema = z.object({
  steps: z.array(count).optional(),
  paths: stringList.optional(),
  bytes: count.optional(),
  config: stringList.optional(),
  notes: stringList,
})

const line = z.number().int().positive()

const sourceLocationSchema = z.object({ line, column: line, endLine: line.optional(), endColumn: line.optional() })

export const findingSchema = z.object({
  // Rule ids grow with the engine; a snapshot from a newer rule set still opens.
  rule: z.string() as z.ZodType<Finding['rule']>,
  severity: severitySchema,
  title: z.string(),
  detail: z.string(),
  evidence: evidenceSchema,
  confidence: z.enum(['confirmed', 'hint']),
  savingsBytes: count.optional(),
  lessonPart: z.enum(LESSON_PART_IDS as [Finding['lessonPart'], ...Finding['lessonPart'][]]),
  fix: z.object({ before: z.string(), after: z.string() }),
  location: sourceLocationSchema.optional(),
})

const imageIdentitySchema = z.object({
  id: z.string(),
  repoTags: stringList,
  repoDigests: stringList,
  size: count,
  created: z.string(),
  os: z.string(),
  architecture: z.string(),
})

export const imageAnalysisSchema = z.object({
  image: imageIdentitySchema,
  steps: z.array(stepSchema),
  layers: z.array(layerSchema),
  base: baseImageSchema,
  config: configSummarySchema,
  findings: z.array(findingSchema),
  notes: stringList.optional(),
})

const wasteStatementSchema = z.object({
  path: z.string(),
  reason: z.enum(['overwritten', 'deleted', 'hidden-by-opaque']),
  removedByStep: count,
  bytes: count,
  shippedBy: z.array(z.object({ stepIndex: count, bytes: count })),
  sentence: z.string(),
})

const layerContentsSchema = z.object({ layerIndex: count, fileCount: count, shippedBytes: count, reclaimableBytes: count })

export const contentsSummarySchema = z.object({
  fileCount: count,
  shippedBytes: count,
  finalBytes: count,
  reclaimableBytes: count,
  layers: z.array(layerContentsSchema),
  waste: z.array(wasteStatementSchema),
  dive: z.object({ efficiency: z.number().min(0).max(1), wastedBytes: count }),
})

/** True only when the schema's output and the model type have the same keys and accept each other. */
type SameShape<Schema extends z.ZodType, Model> = [z.output<Schema>] extends [Model]
  ? [Model] extends [z.output<Schema>]
    ? [Exclude<keyof Model, keyof z.output<Schema>> | Exclude<keyof z.output<Schema>, keyof Model>] extends [never]
      ? true
      : false
    : false
  : false

const shapesMatch: [
  SameShape<typeof stepSchema, Step>,
  SameShape<typeof layerSchema, Layer>,
  SameShape<typeof baseImageSchema, BaseImage>,
  SameShape<typeof envVarSchema, EnvVar>,
  SameShape<typeof configSummarySchema, ConfigSummary>,
  SameShape<typeof evidenceSchema, Evidence>,
  SameShape<typeof sourceLocationSchema, SourceLocation>,
  SameShape<typeof findingSchema, Finding>,
  SameShape<typeof imageIdentitySchema, ImageIdentity>,
  SameShape<typeof imageAnalysisSchema, ImageAnalysis>,
  SameShape<typeof wasteStatementSchema, WasteStatement>,
  SameShape<typeof layerContentsSchema, LayerContents>,
  SameShape<typeof contentsSummarySchema, ContentsSummary>,
] = [true, true, true, true, true, true, true, true, true, true, true, true, true]
void shapesMatch
