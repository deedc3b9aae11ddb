// Works out which config and which layer blobs make up the wanted image, from the small JSON files of
// an image archive: docker-archive (manifest.json; Docker ≤ 24 and podman) or OCI layout (index.json;
// Docker ≥ 25, the containerd store, podman's oci-archive), including nested multi-platform indexes.

import type { z } from 'zod'
import { dockerManifestSchema, firstProblem, imageConfigSchema, ociIndexSchema, ociManifestSchema } from './documents'

export interface Platform {
  os: string
  architecture: string
  variant?: string
}

export interface ImageConfigJson {
  architecture?: string
  os?: string
  variant?: string
  config?: Record<string, unknown>
  history?: Array<{ created?: string; created_by?: string; comment?: string; empty_layer?: boolean }>
  rootfs: { type: string; diff_ids: string[] }
}

export interface ResolvedImage {
  format: 'docker-archive' | 'oci-layout'
  configPath: string
  config: ImageConfigJson
  /** Archive paths of the layer blobs, in the same order as config.rootfs.diff_ids. */
  layerPaths: string[]
  repoTags: string[]
  platform?: Platform
}

export interface LayoutRequest {
  /** An image name to pick when the archive holds several (`name:tag`, with or without registry). */
  imageRef?: string
  /** The platform to pick from a multi-platform index; without it, `defaultPlatform` or the only one present. */
  platform?: Platform
  defaultPlatform: Platform
}

export class ArchiveLayoutError extends Error {
  override name = 'ArchiveLayoutError'
}

/** JSON documents read so far, by archive path. */
export interface ArchiveDocuments {
  /** The parsed document, or undefined while it has not been read (yet). */
  json(path: string): unknown
  /** Whether a member with this path was seen so far. */
  has(path: string): boolean
  /** True once the whole archive was read: a member not seen by then is absent. */
  complete: boolean
}

export type Resolution = { image: ResolvedImage } | { waitingFor: string }

/** What a resolution waits for before either top-level document has begun: no one path. */
export const EITHER_TOP_LEVEL_DOCUMENT = 'manifest.json or index.json'

const OCI_INDEX_TYPES = new Set([
  'application/vnd.oci.image.index.v1+json',
  'application/vnd.docker.distribution.manifest.list.v2+json'
])

/**
 * manifest.json is what `docker load` reads, so it is preferred; the OCI index is used when it is the only
 * one, or when a platform was asked for. Until the archive is complete, an absent file may still come.
 */
export function resolveImage(documents: ArchiveDocuments, request: LayoutRequest): Resolution {
  const hasIndex = documents.has('index.json')
  const hasManifest = documents.has('manifest.json')
  if (request.platform !== undefined ? hasIndex : hasManifest) {
    return request.platform !== undefined ? resolveOciLayout(documents, request) : resolveDockerArchive(documents, request)
  }
  if (!documents.complete) return { waitingFor: EITHER_TOP_LEVEL_DOCUMENT }
  if (hasIndex) return resolveOciLayout(documents, request)
  if (hasManifest) return resolveDockerArchive(documents, request)
  throw new ArchiveLayoutError('This is not an image archive: it has neither manifest.json nor index.json')
}

interface DockerManifestEntry {
  Config: string
  RepoTags?: string[] | null
  Layers: string[]
}

function resolveDockerArchive(documents: ArchiveDocuments, request: LayoutRequest): Resolution {
  const manifest = documents.json('manifest.json')
  if (manifest === undefined) return { waitingFor: 'manifest.json' }
  const entries: DockerManifestEntry[] = checkDocument(dockerManifestSchema, manifest, 'manifest.json', 'a docker-archive manifest')
  const entry =
    request.imageRef === undefined
      ? entries[0]!
      : entries.find((candidate) => (candidate.RepoTags ?? []).some((tag) => sameImageName(tag, request.imageRef!)))
  if (entry === undefined) {
    const names = entries.flatMap((candidate) => candidate.RepoTags ?? [])
    throw new ArchiveLayoutError(`The archive has no image named ${request.imageRef}; it holds ${names.join(', ') || 'untagged images'}`)
  }
  const configPath = archivePath(entry.Config)
  const config = documents.json(configPath)
  if (config === undefined) return { waitingFor: configPath }
  const checked = checkConfig(config, configPath)
  const wanted = request.platform
  if (wanted !== undefined && !platformMatches({ os: checked.os ?? '', architecture: checked.architecture ?? '' }, wanted)) {
    throw new ArchiveLayoutError(
      `The archive holds a ${checked.os}/${checked.architecture} image, not ${formatPlatform(wanted)}`
    )
  }
  return {
    image: {
      format: 'docker-archive',
      configPath,
      config: checked,
      layerPaths: entry.Layers.map(archivePath),
      repoTags: entry.RepoTags ?? []
    }
  }
}

interface Descriptor {
  mediaType?: string
  digest: string
  platform?: Platform
  annotations?: Record<string, string>
}

interface OciManifest {
  config: Descriptor
  layers: Descriptor[]
}

function resolveOciLayout(documents: ArchiveDocuments, request: LayoutRequest): Resolution {
  const indexJson = documents.json('index.json')
  if (indexJson === undefined) return { waitingFor: 'index.json' }
  let descriptors: Descriptor[] = checkDocument(ociIndexSchema, indexJson, 'index.json', 'an OCI index').manifests ?? []
  if (request.imageRef !== undefined) {
    descriptors = descriptors.filter((descriptor) => imageNamesOf(descriptor).some((name) => sameImageName(name, request.imageRef!)))
    if (descriptors.length === 0) throw new ArchiveLayoutError(`The archive has no image named ${request.imageRef}`)
  }
  const candidates: Array<{ descriptor: Descriptor; names: string[] }> = []
  const waiting = collectManifests(documents, descriptors, [], candidates)
  if (waiting !== undefined) return { waitingFor: waiting }
  const present = documents.complete
    ? candidates.filter(({ descriptor }) => documents.has(blobPath(descriptor.digest)))
    : candidates
  const chosen = choosePlatform(present, request)
  const manifestPath = blobPath(chosen.descriptor.digest)
  const manifestJson = documents.json(manifestPath)
  if (manifestJson === undefined) return { waitingFor: manifestPath }
  const manifest: OciManifest = checkDocument(ociManifestSchema, manifestJson, manifestPath, 'an OCI image manifest')
  const configPath = blobPath(manifest.config.digest)
  const config = documents.json(configPath)
  if (config === undefined) return { waitingFor: configPath }
  const checked = checkConfig(config, configPath)
  const platform: Platform = chosen.descriptor.platform ?? {
    os: checked.os ?? 'unknown',
    architecture: checked.architecture ?? 'unknown',
    ...(checked.variant === undefined ? {} : { variant: checked.variant })
  }
  return {
    image: {
      format: 'oci-layout',
      configPath,
      config: checked,
      layerPaths: manifest.layers.map((layer) => blobPath(layer.digest)),
      repoTags: chosen.names,
      platform
    }
  }
}

/**
 * Flattens nested indexes into image manifests; returns the path still awaited, if any. Each index is
 * read once: one that lists itself, or an ancestor, adds nothing the first reading did not.
 */
function collectManifests(
  documents: ArchiveDocuments,
  descriptors: Descriptor[],
  inheritedNames: string[],
  into: Array<{ descriptor: Descriptor; names: string[] }>,
  expanded = new Set<string>()
): string | undefined {
  for (const descriptor of descriptors) {
    const names = imageNamesOf(descriptor).length > 0 ? imageNamesOf(descriptor) : inheritedNames
    if (descriptor.annotations?.['vnd.docker.reference.type'] === 'attestation-manifest') continue
    if (descriptor.platform?.os === 'unknown') continue
    if (descriptor.mediaType !== undefined && OCI_INDEX_TYPES.has(descriptor.mediaType)) {
      const path = blobPath(descriptor.digest)
      if (!documents.has(path)) {
        // A multi-platform image saved on one platform lacks the other platforms' blobs.
        if (documents.complete) continue
        return path
      }
      const nested = documents.json(path)
      if (nested === undefined) return path
      if (expanded.has(path)) continue
      expanded.add(path)
      const nestedDescriptors = checkDocument(ociIndexSchema, nested, path, 'an OCI index').manifests ?? []
      const waiting = collectManifests(documents, nestedDescriptors, names, into, expanded)
      if (waiting !== undefined) return waiting
    } else {
      into.push({ descriptor, names })
    }
  }
  return undefined
}

function choosePlatform(
  candidates: Array<{ descriptor: Descriptor; names: string[] }>,
  request: LayoutRequest
): { descriptor: Descriptor; names: string[] } {
  if (candidates.length === 0) throw new ArchiveLayoutError('The archive index lists no image manifest')
  const wanted = request.platform ?? request.defaultPlatform
  const match = candidates.find(({ descriptor }) => descriptor.platform !== undefined && platformMatches(descriptor.platform, wanted))
  if (match !== undefined) return match
  const withoutPlatform = candidates.filter(({ descriptor }) => descriptor.platform === undefined)
  if (request.platform === undefined && (candidates.length === 1 || withoutPlatform.length === 1)) {
    return withoutPlatform[0] ?? candidates[0]!
  }
  const available = candidates.map(({ descriptor }) => (descriptor.platform ? formatPlatform(descriptor.platform) : 'unspecified'))
  throw new ArchiveLayoutError(
    `The archive has no image for ${formatPlatform(wanted)}; it holds ${available.join(', ')}. Choose one of those platforms.`
  )
}

function platformMatches(offered: Platform, wanted: Platform): boolean {
  if (offered.os !== wanted.os || offered.architecture !== wanted.architecture) return false
  return wanted.variant === undefined || offered.variant === undefined || offered.variant === wanted.variant
}

export function formatPlatform(platform: Platform): string {
  return [platform.os, platform.architecture, platform.variant].filter((part) => part !== undefined && part !== '').join('/')
}

/** `linux/arm64/v8` → Platform. */
export function parsePlatform(text: string): Platform {
  const [os, architecture, variant] = text.split('/')
  if (os === undefined || os === '' || architecture === undefined || architecture === '') {
    throw new ArchiveLayoutError(`"${text}" is not a platform; write it as os/architecture, e.g. linux/amd64`)
  }
  return variant === undefined ? { os, architecture } : { os, architecture, variant }
}

function imageNamesOf(descriptor: Descriptor): string[] {
  const annotations = descriptor.annotations ?? {}
  const names: string[] = []
  const full = annotations['io.containerd.image.name']
  if (full !== undefined) names.push(full)
  const reference = annotations['org.opencontainers.image.ref.name']
  // Podman and skopeo put the whole name here; Docker puts only the tag.
  if (reference !== undefined && full === undefined && /[/:]/.test(reference)) names.push(reference)
  return names
}

/** `python:3.11`, `docker.io/library/python:3.11` and `localhost/python:3.11` name the same local image. */
export function sameImageName(a: string, b: string): boolean {
  return canonicalImageName(a) === canonicalImageName(b)
}

function canonicalImageName(name: string): string {
  let canonical = name.replace(/^(docker\.io|index\.docker\.io|localhost)\//, '').replace(/^library\//, '')
  const lastSegment = canonical.slice(canonical.lastIndexOf('/') + 1)
  if (!lastSegment.includes(':') && !canonical.includes('@')) canonical += ':latest'
  return canonical
}

export function blobPath(digest: string): string {
  const [algorithm, hex] = digest.split(':')
  return `blobs/${algorithm}/${hex}`
}

/** Archive member names as the reader stores them: no `./`, no leading `/`. */
export function archivePath(name: string): string {
  return name
    .split('/')
    .filter((segment) => segment !== '' && segment !== '.')
    .join('/')
}

function checkConfig(config: unknown, path: string): ImageConfigJson {
  return checkDocument(imageConfigSchema, config, path, 'an image config') as ImageConfigJson
}

function checkDocument<T>(schema: z.ZodType<T>, document: unknown, path: string, what: string): T {
  const result = schema.safeParse(document)
  if (!result.success) throw new ArchiveLayoutError(`${path} is not ${what}: ${firstProblem(result.error)}`)
  return result.data
}
