// Reads a build-context folder as Docker's context senders walk it: every entry, folders
// before their contents, names in lexical order, symlinks not followed.
import { lstat, readdir, readFile } from 'node:fs/promises'
import { join } from 'node:path'
import type { ContextEntry } from '../../engine/dockerfile'

export async function walkContext(folder: string): Promise<ContextEntry[]> {
  const entries: ContextEntry[] = []
  const visit = async (relative: string): Promise<void> => {
    const names = (await readdir(join(folder, relative))).sort()
    for (const name of names) {
      const path = relative === '' ? name : `${relative}/${name}`
      const stats = await lstat(join(folder, path))
      const type = stats.isDirectory() ? 'dir' : stats.isFile() ? 'file' : stats.isSymbolicLink() ? 'symlink' : 'other'
      entries.push({ path, type, size: type === 'file' ? stats.size : 0 })
      if (type === 'dir') await visit(path)
    }
  }
  await visit('')
  return entries
}

/** The context's .dockerignore, or null when there is none. */
export async function readContextDockerignore(folder: string): Promise<string | null> {
  try {
    return await readFile(join(folder, '.dockerignore'), 'utf8')
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null
    throw error
  }
}
