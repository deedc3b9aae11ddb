// The shapes of an image archive's JSON documents. Whoever built or saved the image wrote them, so each is
// checked before use: a field of the wrong type is a clear error, never a crash further down.
// Unknown fields are kept; a field the engine may leave out or null may be absent or null.
import { z } from 'zod'

const text = z.string().nullish()
const texts = z.array(z.string()).nullish()

export const dockerManifestSchema = z
  .array(z.looseObject({ Config: z.string(), RepoTags: texts, Layers: z.array(z.string()) }))
  .min(1, 'it lists no image')

const platformSchema = z.looseObject({ os: z.string(), architecture: z.string(), variant: z.string().optional() })

const descriptorSchema = z.looseObject({
  mediaType: z.string().optional(),
  digest: z.string(),
  platform: platformSchema.optional(),
  annotations: z.record(z.string(), z.string()).optional()
})

export const ociIndexSchema = z.looseObject({ manifests: z.array(descriptorSchema).nullish() })

export const ociManifestSchema = z.looseObject({ config: descriptorSchema, layers: z.array(descriptorSchema) })

const containerConfigSchema = z.looseObject({
  User: text,
  Cmd: texts,
  Entrypoint: z.union([z.array(z.string()), z.string()]).nullish(),
  Env: texts,
  ExposedPorts: z.record(z.string(), z.unknown()).nullish(),
  Volumes: z.record(z.string(), z.unknown()).nullish(),
  Labels: z.record(z.string(), z.string()).nullish(),
  Healthcheck: z
    .looseObject({
      Test: texts,
      Interval: z.number().optional(),
      Timeout: z.number().optional(),
      StartPeriod: z.number().optional(),
      Retries: z.number().optional()
    })
    .nullish(),
  WorkingDir: text,
  StopSignal: text,
  Shell: texts
})

export const imageConfigSchema = z.looseObject({
  architecture: text,
  os: text,
  variant: z.string().optional(),
  config: containerConfigSchema.nullish(),
  history: z
    .array(z.looseObject({ created: text, created_by: text, comment: text, author: text, empty_layer: z.boolean().nullish() }))
    .nullish(),
  rootfs: z.looseObject({ type: text, diff_ids: z.array(z.string()) })
})

/** Where a document first departs from its shape, for an error message: `[0].Layers: expected array, received string`. */
export function firstProblem(error: z.ZodError): string {
  const issue = error.issues[0]
  if (issue === undefined) return 'it has an unexpected shape'
  const where = issue.path.map((key) => (typeof key === 'number' ? `[${key}]` : `.${String(key)}`)).join('').replace(/^\./, '')
  return where === '' ? issue.message : `${where}: ${issue.message}`
}
