// The Dockerfile operations of the service: check a Dockerfile (and its build context) on its own or
// attached to an image, write the proposed fixes on the user's confirm, and compare two scanned images.
import { createHash } from 'node:crypto'
import { readFile, stat } from 'node:fs/promises'
import { join } from 'node:path'
import type { AppliedFixes, DockerfileAttachment, DockerfileCheck, ScanStatus } from '../src-preload/contract'
import { fingerprintSteps } from './engine/base'
import { compareImages, type ImageComparison } from './engine/compare'
import { checkBuildContext, dockerfileFindings, generateFixes, mapDockerfileToSteps, parseDockerfile, type ParsedDockerfile } from './engine/dockerfile'
import type { LayerFiles } from './engine/files/types'
import type { ImageAnalysis } from './engine/model'
import { backupPathOf, BackupExistsError, FileChangedError, readContextDockerignore, walkContext, writeFixes, type WriteTarget } from './sources/context'
import { SourceError } from './sources/errors'

export const MAX_DOCKERFILE_BYTES = 1024 * 1024

interface Proposal {
  check: Omit<DockerfileCheck, 'writes'>
  parsed: ParsedDockerfile
  targets: WriteTarget[]
}

/**
 * Reads and checks everything; writes nothing. The same inputs always give the same proposal. An image,
 * when there is one, lends the fixes its Python version.
 */
async function propose(analysis: ImageAnalysis | null, dockerfilePath: string, contextDir: string | null): Promise<Proposal> {
  const text = await readDockerfile(dockerfilePath)
  const dockerignore = contextDir === null ? null : await readContext(contextDir, readContextDockerignore)
  const context = contextDir === null ? undefined : checkBuildContext(await readContext(contextDir, walkContext), dockerignore)
  const parsed = parseDockerfile(text)
  const findings = dockerfileFindings(parsed)
  const pythonVersion = analysis === null ? undefined : fingerprintSteps(analysis.steps, analysis.base.stepCount)?.pythonVersion
  const fixes = generateFixes(parsed, findings, {
    ...(pythonVersion !== undefined ? { pythonVersion } : {}),
    ...(context !== undefined ? { context, dockerignore } : {})
  })
  const targets: WriteTarget[] = [{ path: dockerfilePath, file: fixes.dockerfile }]
  if (fixes.dockerignore !== undefined && contextDir !== null) targets.push({ path: join(contextDir, '.dockerignore'), file: fixes.dockerignore })
  const check: Proposal['check'] = { dockerfilePath, contextDir, text, originalSha256: fingerprintOf(text, dockerignore), findings, fixes }
  if (context !== undefined) check.context = context
  return { check, parsed, targets: targets.filter((target) => target.file.hunks.length > 0) }
}

const withWrites = ({ check, targets }: Proposal): DockerfileCheck => ({
  ...check,
  writes: targets.map(({ path, file }) => (file.original === '' ? { path } : { path, backupPath: backupPathOf(path) }))
})

export async function checkDockerfile(dockerfilePath: string, contextDir: string | null): Promise<DockerfileCheck> {
  return withWrites(await propose(null, dockerfilePath, contextDir))
}

export async function attachDockerfile(analysis: ImageAnalysis, dockerfilePath: string, contextDir: string | null): Promise<DockerfileAttachment> {
  const proposal = await propose(analysis, dockerfilePath, contextDir)
  return { imageId: analysis.image.id, ...withWrites(proposal), mapping: mapDockerfileToSteps(proposal.parsed, analysis.steps) }
}

/** Writes the proposal the user saw, only if the files still hold what it was made from. */
export async function applyFixes(analysis: ImageAnalysis | null, dockerfilePath: string, contextDir: string | null, expectedOriginalSha256: string): Promise<AppliedFixes> {
  const proposal = await propose(analysis, dockerfilePath, contextDir)
  if (proposal.check.originalSha256 !== expectedOriginalSha256) throw changedSinceProposal(dockerfilePath)
  if (proposal.targets.length === 0) return { written: [] }
  try {
    const written = await writeFixes(proposal.targets)
    return { written: written.map((file) => ({ ...file, text: proposal.targets.find((target) => target.path === file.path)!.file.patched })) }
  } catch (error) {
    if (error instanceof FileChangedError) throw changedSinceProposal(error.path)
    if (error instanceof BackupExistsError) {
      throw new SourceError({
        code: 'INVALID_ARGUMENT',
        message: `A backup from an earlier fix is in the way: ${error.backupPath}. Nothing was written.`,
        fix: 'Move or delete that backup (it holds the Dockerfile as it was before the earlier fix), then write the changes again.'
      })
    }
    throw error
  }
}

/** Scans both images (joining scans already running or done), then compares them file by file. */
export async function compareScanned(scan: (ref: string) => Promise<ScanStatus>, layerFilesOf: (imageId: string) => Promise<LayerFiles[]>, refA: string, refB: string): Promise<ImageComparison> {
  const [before, after] = await Promise.all([refA, refB].map(scan)) as [ScanStatus, ScanStatus]
  for (const status of [before, after]) {
    if (status.state !== 'done') {
      throw new SourceError(
        status.error ?? {
          code: 'INTERNAL',
          message: `The layers of ${status.analysis.image.id} could not be read completely (the scan ${status.state === 'cancelled' ? 'was cancelled' : 'failed'}).`,
          fix: 'Open the image, let its scan finish, then compare again.'
        }
      )
    }
  }
  return compareImages(
    { ref: refA, analysis: before.analysis, layerFiles: await layerFilesOf(before.imageId) },
    { ref: refB, analysis: after.analysis, layerFiles: await layerFilesOf(after.imageId) }
  )
}

/** Both inputs of a proposal, so a .dockerignore edited in between is caught as well. */
const fingerprintOf = (dockerfile: string, dockerignore: string | null): string =>
  createHash('sha256').update(dockerfile).update('\0').update(dockerignore ?? '\0absent').digest('hex')

function changedSinceProposal(path: string): SourceError {
  return new SourceError({
    code: 'INVALID_ARGUMENT',
    message: `${path} changed since the fix was proposed. Nothing was written.`,
    fix: 'Attach the Dockerfile again to see a fix made from its current text, then write that.'
  })
}

async function readDockerfile(path: string): Promise<string> {
  const stats = await stat(path).catch((error: NodeJS.ErrnoException) => {
    throw unreadable(path, error.code === 'ENOENT' ? 'there is no file there' : `it cannot be read (${error.code ?? error.message})`)
  })
  if (!stats.isFile()) throw unreadable(path, 'it is not a file')
  if (stats.size > MAX_DOCKERFILE_BYTES) throw unreadable(path, `it is larger than ${MAX_DOCKERFILE_BYTES / 1024 / 1024} MB, which no Dockerfile is`)
  const text = await readFile(path, 'utf8')
  if (Buffer.byteLength(text) > MAX_DOCKERFILE_BYTES) throw unreadable(path, 'it grew past 1 MB while being read')
  return text
}

async function readContext<T>(folder: string, read: (folder: string) => Promise<T>): Promise<T> {
  const stats = await stat(folder).catch(() => undefined)
  if (stats === undefined || !stats.isDirectory()) {
    throw new SourceError({
      code: 'INVALID_ARGUMENT',
      message: `The build-context folder ${folder} does not exist or is not a folder.`,
      fix: 'Give the folder you pass to `docker build` (usually the one holding the Dockerfile), or leave the field empty.'
    })
  }
  return read(folder)
}

const unreadable = (path: string, why: string): SourceError =>
  new SourceError({
    code: 'INVALID_ARGUMENT',
    message: `The Dockerfile ${path} cannot be used: ${why}.`,
    fix: 'Give the full path of the Dockerfile the image was built from, e.g. /home/you/app/Dockerfile.'
  })
