// Which base image an image was built FROM, and where its own steps begin.
// Strongest evidence first (DESIGN.md "Base image"):
//   1. another local image whose layers (and history) are a prefix of this one's;
//   2. fingerprints of the official python images and of plain Debian/Alpine roots;
//   3. the `org.opencontainers.image.base.name` label.
import type { BaseFamily, BaseImage, Step } from './model'
import type { RawHistoryItem } from './raw'
import { realTags } from './raw'

export interface LocalImage {
  id: string
  repoTags: string[]
  /** RootFS.Layers. */
  layers: string[]
  /** As `GET /images/{id}/history` returns it: newest first. */
  history?: RawHistoryItem[]
  size?: number
}

export const BASE_NAME_LABEL = 'org.opencontainers.image.base.name'

/** A Debian root below this is a slim one: bookworm is ≈117 MB unpacked, bookworm-slim ≈75 MB. */
const SLIM_DEBIAN_ROOT_LIMIT = 100_000_000

export interface BaseInput {
  imageId: string
  layers: readonly string[]
  /** Raw history, oldest first (compared verbatim with local images' histories). */
  historyOldestFirst: readonly RawHistoryItem[]
  steps: readonly Step[]
  labels: Record<string, string>
  localImages: readonly LocalImage[]
}

export function identifyBase(input: BaseInput): BaseImage {
  return baseFromLocalPrefix(input) ?? baseFromFingerprint(input.steps, input.steps.length, input) ?? baseFromLabel(input) ?? noBase()
}

const noBase = (): BaseImage => ({
  method: 'none',
  family: 'unknown',
  stepCount: 0,
  layerCount: 0,
  size: 0,
  evidence: ['No local image is a prefix of this one, no known base fingerprint matched and no base label is set.'],
})

export const displayName = (image: { id: string; repoTags: string[] }): string =>
  realTags(image.repoTags)[0] ?? shortId(image.id)

export const shortId = (id: string): string => id.replace(/^sha256:/, '').slice(0, 12)

const isPrefix = <T>(prefix: readonly T[], whole: readonly T[]): boolean =>
  prefix.length <= whole.length && prefix.every((item, i) => item === whole[i])

function baseFromLocalPrefix(input: BaseInput): BaseImage | null {
  const ourCommands = input.historyOldestFirst.map((entry) => entry.CreatedBy ?? '')
  const candidates = input.localImages
    .filter((image) => image.id !== input.imageId && image.layers.length > 0 && isPrefix(image.layers, input.layers))
    .map((image) => ({ image, commands: image.history ? [...image.history].reverse().map((entry) => entry.CreatedBy ?? '') : null }))
    .filter(({ image, commands }) => {
      if (commands === null) return image.layers.length < input.layers.length
      if (!isPrefix(commands, ourCommands)) return false
      return image.layers.length < input.layers.length || commands.length < ourCommands.length
    })
    .sort(
      (a, b) =>
        b.image.layers.length - a.image.layers.length ||
        (b.commands?.length ?? 0) - (a.commands?.length ?? 0) ||
        realTags(b.image.repoTags).length - realTags(a.image.repoTags).length,
    )
  const best = candidates[0]
  if (!best) return null

  const { image, commands } = best
  const name = displayName(image)
  const evidence = [`The local image ${name} has ${image.layers.length} layers, the first ${image.layers.length} of this image's ${input.layers.length}.`]
  let stepCount: number
  if (commands) {
    stepCount = commands.length
    evidence.push(`Its ${commands.length} history steps are the first steps of this image's history.`)
  } else {
    const lastBaseLayerStep = input.steps.findIndex((step) => step.layerIndex === image.layers.length - 1)
    stepCount = lastBaseLayerStep + 1
    const fingerprint = baseFromFingerprint(input.steps, input.steps.length, input)
    if (fingerprint && fingerprint.stepCount > stepCount && input.steps.slice(stepCount, fingerprint.stepCount).every((step) => step.emptyLayer)) {
      stepCount = fingerprint.stepCount
    }
    evidence.push('Its history was not available, so its steps end with the step that made its last layer.')
  }
  const fingerprint = baseFromFingerprint(input.steps, stepCount, input)
  let family: BaseFamily = fingerprint?.family ?? 'unknown'
  if (fingerprint && fingerprint.family !== 'unknown') {
    evidence.push(...fingerprint.evidence)
  } else {
    family = familyFromName(name)
    if (family !== 'unknown') evidence.push(`Its family is guessed from its name, ${name}.`)
  }
  return {
    method: 'local-prefix',
    name,
    family,
    stepCount,
    layerCount: image.layers.length,
    size: sizeOfSteps(input.steps, stepCount),
    evidence,
  }
}

const sizeOfSteps = (steps: readonly Step[], count: number): number =>
  steps.slice(0, count).reduce((sum, step) => sum + (step.emptyLayer ? 0 : step.size), 0)

const layerCountOfSteps = (steps: readonly Step[], count: number): number =>
  steps.slice(0, count).filter((step) => step.layerIndex !== undefined).length

const runs = (steps: readonly Step[]): Step[] => steps.filter((step) => step.instruction === 'RUN')

const hasWords = (text: string, words: readonly string[]): boolean =>
  words.every((word) => new RegExp(`(^|[\\s'"])${word.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}($|[\\s'";])`).test(text))

const stepLabel = (step: Step): string => `Step ${step.index + 1} (${step.instruction})`

/** Markers of the buildpack-deps layers under the full python images. */
const BUILDPACK_MARKERS: ReadonlyArray<{ words: string[]; what: string }> = [
  { words: ['ca-certificates', 'curl', 'netbase'], what: 'buildpack-deps:curl (ca-certificates, curl, netbase…)' },
  { words: ['git', 'mercurial', 'openssh-client', 'subversion'], what: 'buildpack-deps:scm (git, mercurial, openssh-client, subversion…)' },
  { words: ['autoconf', 'automake', 'gcc', 'imagemagick'], what: 'buildpack-deps (autoconf, automake, gcc, imagemagick… compilers and -dev libraries)' },
]

export interface Fingerprint {
  family: BaseFamily
  stepCount: number
  evidence: string[]
  /** `3.11.2`, from `ENV PYTHON_VERSION=…`, for a python base. */
  pythonVersion?: string
}

/** Fingerprints the first `limit` steps: a python image, else a Debian or Alpine root. */
export function fingerprintSteps(steps: readonly Step[], limit: number): Fingerprint | null {
  const window = steps.slice(0, limit)
  return fingerprintPython(window) ?? fingerprintRoot(window, steps)
}

function fingerprintPython(window: readonly Step[]): Fingerprint | null {
  let cmdIndex = -1
  let version: string | undefined
  for (const step of window) {
    const versionMatch = step.instruction === 'ENV' ? /(?:^|\s)PYTHON_VERSION[=\s]"?([0-9][^\s"]*)/.exec(step.args) : null
    if (versionMatch) version = versionMatch[1]
    if (version !== undefined && step.instruction === 'CMD' && step.args === '["python3"]') cmdIndex = step.index
  }
  if (cmdIndex < 0 || version === undefined) return null
  const pythonSteps = window.slice(0, cmdIndex + 1)
  const evidence = [`ENV PYTHON_VERSION=${version} and CMD ["python3"] at step ${cmdIndex + 1}: the shape of the official python images.`]
  const shared = ['GPG_KEY=', 'LANG=C.UTF-8'].filter((marker) => pythonSteps.some((step) => step.instruction === 'ENV' && step.args.includes(marker)))
  if (shared.length > 0) evidence.push(`It also sets ${shared.map((marker) => marker.replace(/=$/, '')).join(' and ')}, as they all do.`)

  const build = (family: BaseFamily, more: string[]): Fingerprint => ({
    family,
    stepCount: cmdIndex + 1,
    evidence: [...evidence, ...more],
    pythonVersion: version,
  })
  const apk = pythonSteps.find((step) => step.instruction === 'RUN' && /\bapk add\b/.test(step.args))
  if (apk || /alpine-minirootfs/.test(pythonSteps[0]?.args ?? '')) {
    return build('python-alpine', [`${apk ? stepLabel(apk) : 'The root'} is Alpine (apk / alpine-minirootfs): the alpine variant.`])
  }
  const buildpack = BUILDPACK_MARKERS.flatMap(({ words, what }) => {
    const step = runs(pythonSteps).find((run) => hasWords(run.args, words))
    return step ? [`${stepLabel(step)} installs ${what}.`] : []
  })
  if (buildpack.length >= 2) return build('python-full', [...buildpack, 'Those buildpack-deps layers make it the full (non-slim) variant.'])
  const slimRuntime = runs(pythonSteps).find((run) => hasWords(run.args, ['ca-certificates', 'netbase', 'tzdata']))
  const slimBuild = runs(pythonSteps).find((run) => run.args.includes('savedAptMark') && run.args.includes('apt-get purge -y --auto-remove'))
  if (slimRuntime || slimBuild) {
    const more: string[] = []
    if (slimRuntime) more.push(`${stepLabel(slimRuntime)} installs only ca-certificates, netbase and tzdata.`)
    if (slimBuild) more.push(`${stepLabel(slimBuild)} saves the apt marks and purges its build dependencies.`)
    return build('python-slim', [...more, 'That is the slim variant.'])
  }
  return build('unknown', ['Its variant (full, slim or alpine) could not be told from its steps.'])
}

function fingerprintRoot(window: readonly Step[], allSteps: readonly Step[]): Fingerprint | null {
  const root = window[0]
  if (!root) return null
  const next = window[1]
  const withCmd = (cmd: string): number => (next?.instruction === 'CMD' && next.args === cmd ? 2 : 1)

  if (root.instruction === 'ROOTFS' && root.builder === 'debuerreotype') {
    return debianRoot(root, withCmd('["bash"]'), [`Step 1 is a debuerreotype Debian root: ${root.args}`])
  }
  if (root.instruction === 'ADD' && /alpine-minirootfs/.test(root.args)) {
    return { family: 'alpine', stepCount: withCmd('["/bin/sh"]'), evidence: [`Step 1 adds an Alpine mini root filesystem: ${root.args}`] }
  }
  if (root.instruction === 'ADD' && /^file:[0-9a-f]+ in \/$/.test(root.args)) {
    if (next?.instruction === 'CMD' && next.args === '["bash"]') {
      return debianRoot(root, 2, ['Step 1 adds a root filesystem and step 2 sets CMD ["bash"], as the official debian images do.'])
    }
    if (next?.instruction === 'CMD' && next.args === '["/bin/sh"]') {
      return { family: 'alpine', stepCount: 2, evidence: ['Step 1 adds a root filesystem and step 2 sets CMD ["/bin/sh"], as the official alpine images do.'] }
    }
    return { family: 'unknown', stepCount: 1, evidence: ['Step 1 adds a root filesystem of unknown origin.'] }
  }
  if (root.instruction === 'ROOTFS') {
    const evidence = [`Step 1 is a root filesystem made with docker import (${root.args}).`]
    const apt = allSteps.find((step) => step.instruction === 'RUN' && /\b(apt-get|apt|dpkg)\b/.test(step.args))
    if (apt) return debianRoot(root, 1, [...evidence, `${stepLabel(apt)} uses apt, so it is a Debian-family root.`])
    const apk = allSteps.find((step) => step.instruction === 'RUN' && /\bapk\b/.test(step.args))
    if (apk) return { family: 'alpine', stepCount: 1, evidence: [...evidence, `${stepLabel(apk)} uses apk, so it is an Alpine root.`] }
    return { family: 'unknown', stepCount: 1, evidence }
  }
  return null
}

function debianRoot(root: Step, stepCount: number, evidence: string[]): Fingerprint {
  if (root.size > 0 && root.size < SLIM_DEBIAN_ROOT_LIMIT) {
    return { family: 'debian-slim', stepCount, evidence: [...evidence, `Its root layer is ${formatMegabytes(root.size)}, the size of a slim Debian root.`] }
  }
  return { family: 'debian', stepCount, evidence }
}

export const formatMegabytes = (bytes: number): string => `${(bytes / 1_000_000).toFixed(bytes < 10_000_000 ? 1 : 0)} MB`

function baseFromFingerprint(steps: readonly Step[], limit: number, input: BaseInput): BaseImage | null {
  const fingerprint = fingerprintSteps(steps, limit)
  if (!fingerprint) return null
  const base: BaseImage = {
    method: 'fingerprint',
    family: fingerprint.family,
    stepCount: fingerprint.stepCount,
    layerCount: layerCountOfSteps(steps, fingerprint.stepCount),
    size: sizeOfSteps(steps, fingerprint.stepCount),
    evidence: fingerprint.evidence,
  }
  const label = input.labels[BASE_NAME_LABEL]
  if (label) {
    base.name = label
    base.evidence = [...base.evidence, `The ${BASE_NAME_LABEL} label names it ${label}.`]
  }
  return base
}

function baseFromLabel(input: BaseInput): BaseImage | null {
  const name = input.labels[BASE_NAME_LABEL]
  if (!name) return null
  return {
    method: 'label',
    name,
    family: familyFromName(name),
    stepCount: 0,
    layerCount: 0,
    size: 0,
    evidence: [`The ${BASE_NAME_LABEL} label names the base ${name}; which steps belong to it is unknown.`],
  }
}

/** `python:3.12-slim`, `docker.io/library/debian:bookworm` → family, by name alone. */
export function familyFromName(name: string): BaseFamily {
  const { repository, tag } = splitImageName(name)
  const last = repository.split('/').pop() ?? ''
  if (last === 'python') {
    if (tag.includes('alpine')) return 'python-alpine'
    if (tag.includes('slim')) return 'python-slim'
    return 'python-full'
  }
  if (last === 'debian') return tag.includes('slim') ? 'debian-slim' : 'debian'
  if (last === 'alpine') return 'alpine'
  return 'unknown'
}

export function splitImageName(name: string): { repository: string; tag: string } {
  const withoutDigest = name.split('@')[0] ?? name
  const colon = withoutDigest.lastIndexOf(':')
  if (colon > withoutDigest.lastIndexOf('/')) return { repository: withoutDigest.slice(0, colon), tag: withoutDigest.slice(colon + 1) }
  return { repository: withoutDigest, tag: 'latest' }
}

/** The slim sibling of a full tag: `python:3.11` → `python:3.11-slim`, `python:3.12-bookworm` → `python:3.12-slim-bookworm`. */
export function slimVariantOf(name: string): string {
  const { repository, tag } = splitImageName(name)
  if (tag === 'latest') return `${repository}:slim`
  const distro = /^(.*?)-(bookworm|bullseye|buster|trixie)$/.exec(tag)
  return distro ? `${repository}:${distro[1]}-slim-${distro[2]}` : `${repository}:${tag}-slim`
}
