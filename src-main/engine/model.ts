// The image model: plain data shared by the engine, the front doors and the renderer.
// Everything here must be serialisable (it crosses IPC, HTTP and goes into JSON reports).

export type Severity = 'critical' | 'high' | 'medium' | 'low' | 'info'

export const SEVERITIES: readonly Severity[] = ['critical', 'high', 'medium', 'low', 'info']

/** Dockerfile instructions as history records them. */
export const DOCKERFILE_INSTRUCTIONS = [
  'FROM',
  'RUN',
  'COPY',
  'ADD',
  'ENV',
  'ARG',
  'CMD',
  'ENTRYPOINT',
  'WORKDIR',
  'USER',
  'EXPOSE',
  'LABEL',
  'VOLUME',
  'HEALTHCHECK',
  'SHELL',
  'STOPSIGNAL',
  'ONBUILD',
  'MAINTAINER'
] as const

/** `ROOTFS` is a root filesystem that did not come from a Dockerfile: `docker import`, debuerreotype. */
export const INSTRUCTIONS = [...DOCKERFILE_INSTRUCTIONS, 'ROOTFS', 'UNKNOWN'] as const

export type Instruction = (typeof INSTRUCTIONS)[number]

/** Which tool wrote a history entry, judged from the shape of its created_by text. */
export type BuilderKind = 'classic' | 'buildkit' | 'import' | 'debuerreotype' | 'unknown'

/** One history entry, oldest first, with the layer it produced (if any). */
export interface Step {
  index: number
  instruction: Instruction
  /** The instruction's arguments, normalised (no `/bin/sh -c #(nop)`, no `# buildkit`). */
  args: string
  /** The raw created_by text, with secret values masked. */
  createdBy: string
  created?: string
  comment?: string
  builder: BuilderKind
  /** Build args recorded for a BuildKit RUN (`RUN |2 A=1 B=2 …`), values masked when secret. */
  buildArgs?: Record<string, string>
  emptyLayer: boolean
  /** Index into ImageAnalysis.layers, when this step made a layer. */
  layerIndex?: number
  /** Bytes this step added, as the engine's history reports it. */
  size: number
  /** True when the step belongs to the base image, not to the user's own Dockerfile. */
  inBase: boolean
}

export interface Layer {
  index: number
  diffId: string
  size: number
  stepIndex?: number
}

export type BaseFamily =
  | 'python-full'
  | 'python-slim'
  | 'python-alpine'
  | 'debian'
  | 'debian-slim'
  | 'alpine'
  | 'unknown'

export interface BaseImage {
  /** How the base was identified, strongest first. */
  method: 'local-prefix' | 'fingerprint' | 'label' | 'none'
  /** A local image name (local-prefix) or the label's value. */
  name?: string
  family: BaseFamily
  /** Number of history steps that belong to the base (steps[0 .. stepCount-1]). */
  stepCount: number
  layerCount: number
  size: number
  evidence: string[]
}

export interface EnvVar {
  key: string
  value: string
  masked: boolean
}

export interface ConfigSummary {
  user: string
  cmd: string[] | null
  entrypoint: string[] | null
  workingDir: string
  env: EnvVar[]
  exposedPorts: string[]
  volumes: string[]
  labels: Record<string, string>
  healthcheck: string[] | null
  stopSignal?: string
  os: string
  architecture: string
}

export type LessonPartId =
  | 'base-image'
  | 'layer-caching'
  | 'pip-cache'
  | 'dockerignore'
  | 'non-root-user'
  | 'cmd-form'
  | 'expose'
  | 'workdir'
  | 'secrets'
  | 'healthcheck'
  | 'apt-cleanup'
  | 'package-cache'
  | 'multi-stage'
  | 'wasted-bytes'

export type RuleId =
  | 'root-user'
  | 'shell-form-cmd'
  | 'pip-cache'
  | 'copy-before-install'
  | 'secret-env'
  | 'secret-build-arg'
  | 'bloated-base'
  | 'no-healthcheck'
  | 'no-expose'
  | 'unpinned-base'
  | 'no-workdir'
  | 'apt-lists'
  | 'package-cache'
  | 'context-leak'
  | 'secret-file'
  | 'wasted-bytes'
  | 'build-tools'
  | 'setuid-files'

export interface Evidence {
  /** Step indexes the finding points at. */
  steps?: number[]
  paths?: string[]
  bytes?: number
  /** Config keys the finding points at, e.g. `Env.SECRET_KEY`, `User`, `Cmd`. */
  config?: string[]
  /** One line per fact, in plain words. */
  notes: string[]
}

/** A place in a Dockerfile, 1-based, as editors count. */
export interface SourceLocation {
  line: number
  column: number
  endLine?: number
  endColumn?: number
}

export interface Finding {
  rule: RuleId
  severity: Severity
  title: string
  /** What is wrong and why it matters, for this image. */
  detail: string
  evidence: Evidence
  /** `confirmed` when the evidence proves it; `hint` when only history suggests it. */
  confidence: 'confirmed' | 'hint'
  /** Bytes the fix is expected to save, when that can be estimated. */
  savingsBytes?: number
  lessonPart: LessonPartId
  /** Dockerfile lines for this image: what it has now and what it should have. */
  fix: { before: string; after: string }
  /** Where in the Dockerfile, for findings read from a Dockerfile. */
  location?: SourceLocation
}

export interface ImageIdentity {
  id: string
  repoTags: string[]
  repoDigests: string[]
  size: number
  created: string
  os: string
  architecture: string
}

export interface ImageAnalysis {
  image: ImageIdentity
  steps: Step[]
  layers: Layer[]
  base: BaseImage
  config: ConfigSummary
  findings: Finding[]
  /** Facts about the analysis itself, e.g. history steps that could not be matched to layers. */
  notes?: string[]
}

export interface ImageSummary {
  id: string
  repoTags: string[]
  dangling: boolean
  size: number
  created: string
  layerCount: number
}

export interface LessonPart {
  id: LessonPartId
  title: string
  /** One sentence: why this matters. */
  summary: string
  /** Plain paragraphs. */
  body: string[]
  before: string
  after: string
  /** A page to read on, opened in the user's browser: only https links of LESSON_LINK_HOSTS are ever opened. */
  learnMore?: string
}

// ---- Layer contents (read from the image export) ----

export type FileType = 'file' | 'dir' | 'symlink' | 'hardlink' | 'other'

export type FileChange = 'added' | 'modified' | 'removed' | 'unchanged'

/** One row of the file explorer. */
export interface FileRow {
  path: string
  type: FileType
  /** Content bytes; for a removed path, the bytes of lower layers it took away. */
  size: number
  mode: number
  uid: number
  gid: number
  linkTarget?: string
  /** Relative to the layer below the one being viewed. */
  change: FileChange
  /** The layer that last wrote this path (for a removed path: the layer that removed it); -1 for a directory no layer wrote, implied by the paths inside it. */
  layerIndex: number
}

/** Bytes a step shipped that the final filesystem no longer holds, and who removed them. */
export interface WasteStatement {
  /** The path that was deleted, overwritten or hidden. */
  path: string
  reason: 'overwritten' | 'deleted' | 'hidden-by-opaque'
  /** The step that removed it. */
  removedByStep: number
  bytes: number
  /** Where those bytes still ship. */
  shippedBy: Array<{ stepIndex: number; bytes: number }>
  /** A plain sentence, e.g. "RUN rm -rf /root/.cache in step 9 freed nothing: 48 MB still ship in step 7." */
  sentence: string
}

export interface LayerContents {
  layerIndex: number
  fileCount: number
  /** Content bytes this layer ships. */
  shippedBytes: number
  /** Of those, bytes the final filesystem does not contain. */
  reclaimableBytes: number
}

export interface ContentsSummary {
  /** Paths in the final filesystem. */
  fileCount: number
  shippedBytes: number
  finalBytes: number
  reclaimableBytes: number
  layers: LayerContents[]
  /** Largest first. */
  waste: WasteStatement[]
  /** dive's numbers, computed dive's way, for comparison. */
  dive: { efficiency: number; wastedBytes: number }
}
