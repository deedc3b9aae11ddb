// Argument schemas for every operation of the contract. The main process and the
// `serve` server check each call against these before anything reaches the engine.
import { z } from 'zod'
import { isAbsoluteLocalPath, MAX_SNAPSHOT_CHARS, type Api, type Operation } from './contract'

/** A Docker image reference, id or id prefix. Its grammar has no `..` and no empty path segment. */
const imageRef = z
  .string()
  .min(1)
  .max(256)
  .regex(/^[A-Za-z0-9][A-Za-z0-9._:/@-]*$/, 'not an image reference')
  .refine((ref) => !ref.split('/').some((segment) => segment === '' || segment === '.' || segment === '..'), 'not an image reference')

/** A full image id as the engine reports it (`sha256:` and 64 hex digits). */
const imageId = z.string().regex(/^sha256:[0-9a-f]{64}$/, 'not an image id')

/** A local path as the user typed it: absolute (POSIX or Windows), no NUL byte. */
const absolutePath = z
  .string()
  .min(1)
  .max(4096)
  .refine((path) => !path.includes('\0'), 'a path cannot hold a NUL byte')
  .refine(isAbsoluteLocalPath, 'the path must be absolute')

/** An id from listConnections: a fixed word, `context:` and a docker context name, or `podman:` and a socket path. */
const connectionId = z
  .string()
  .min(1)
  .max(512)
  .regex(/^[A-Za-z0-9][A-Za-z0-9._:+/-]*$/, 'not a connection id')

const sha256Hex = z.string().regex(/^[0-9a-f]{64}$/, 'not a SHA-256')

export const argumentSchemas = {
  engineInfo: z.tuple([]),
  listImages: z.tuple([]),
  listConnections: z.tuple([]),
  selectConnection: z.tuple([connectionId]),
  watchEngine: z.tuple([z.number().int().min(0).max(Number.MAX_SAFE_INTEGER)]),
  analyzeImage: z.tuple([imageRef]),
  lessonParts: z.tuple([]),
  startScan: z.tuple([imageRef]),
  scanStatus: z.tuple([imageId]),
  cancelScan: z.tuple([imageId]),
  layerFiles: z.tuple([imageId, z.number().int().min(0).max(10_000), z.enum(['layer', 'cumulative'])]),
  attachDockerfile: z.tuple([imageRef, absolutePath, absolutePath.nullable()]),
  checkDockerfile: z.tuple([absolutePath, absolutePath.nullable()]),
  applyFixes: z.tuple([imageRef.nullable(), absolutePath, absolutePath.nullable(), sha256Hex]),
  compareImages: z.tuple([imageRef, imageRef]),
  listSamples: z.tuple([]),
  openSample: z.tuple([z.string().regex(/^[a-z0-9-]{1,64}$/, 'not a sample id')]),
  openSnapshot: z.tuple([z.string().min(1).max(MAX_SNAPSHOT_CHARS, 'the snapshot is larger than 50 MB')]),
  openArchive: z.tuple([absolutePath]),
  exportSnapshot: z.tuple([imageId]),
  imageReport: z.tuple([imageId, z.enum(['html', 'markdown'])])
} satisfies { [Op in Operation]: z.ZodType<Parameters<Api[Op]>> }

export type Arguments<Op extends Operation> = Parameters<Api[Op]>
