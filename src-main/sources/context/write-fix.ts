// Writes a generated fix to disk, only when asked, keeping each original beside it as
// `<name>.orig`. An existing backup is never replaced silently, and a file that changed
// since the fix was generated is not overwritten.
import { access, copyFile, readFile, rename, writeFile } from 'node:fs/promises'
import { basename, dirname, join } from 'node:path'
import type { PatchedFile } from '../../engine/dockerfile'

export class BackupExistsError extends Error {
  constructor(readonly backupPath: string) {
    super(`${backupPath} already exists; remove it or pass overwriteBackup to replace it`)
    this.name = 'BackupExistsError'
  }
}

export class FileChangedError extends Error {
  constructor(readonly path: string) {
    super(`${path} changed since the fix was generated; generate it again`)
    this.name = 'FileChangedError'
  }
}

export interface WriteTarget {
  /** Where the file lives, e.g. `/work/app/Dockerfile` or `/work/app/.dockerignore`. */
  path: string
  file: PatchedFile
}

export interface WrittenFile {
  path: string
  /** Absent when the file did not exist before. */
  backupPath?: string
}

export const backupPathOf = (path: string): string => `${path}.orig`

/**
 * Writes every target after checking them all, so a fix lands whole or not at all:
 * nothing is written when a backup already exists (unless overwriteBackup) or when a
 * file no longer holds the text the fix was made from.
 */
export async function writeFixes(targets: readonly WriteTarget[], options: { overwriteBackup?: boolean } = {}): Promise<WrittenFile[]> {
  for (const { path, file } of targets) {
    if ((await readIfPresent(path)) !== file.original) throw new FileChangedError(path)
    if (file.original !== '' && !options.overwriteBackup && (await isPresent(backupPathOf(path)))) throw new BackupExistsError(backupPathOf(path))
  }
  const written: WrittenFile[] = []
  for (const { path, file } of targets) {
    const result: WrittenFile = { path }
    if (file.original !== '') {
      result.backupPath = backupPathOf(path)
      await copyFile(path, result.backupPath)
    }
    const temporary = join(dirname(path), `.${basename(path)}.layerlens-${process.pid}`)
    await writeFile(temporary, file.patched)
    await rename(temporary, path)
    written.push(result)
  }
  return written
}

async function readIfPresent(path: string): Promise<string> {
  try {
    return await readFile(path, 'utf8')
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return ''
    throw error
  }
}

async function isPresent(path: string): Promise<boolean> {
  try {
    await access(path)
    return true
  } catch {
    return false
  }
}
