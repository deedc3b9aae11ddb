// Finding and reading a project's `.layerlens.yml`.
import { existsSync } from 'node:fs'
import { readFile } from 'node:fs/promises'
import { dirname, join, relative, resolve } from 'node:path'
import { parseSettings, SETTINGS_FILE_NAME, type Settings } from '../engine/settings'

/**
 * The nearest `.layerlens.yml` at or above `startDir`. The walk stops at the top of the repository (the
 * folder holding `.git`), so a file in some unrelated parent folder is never picked up.
 */
export function findSettingsFile(startDir: string): string | undefined {
  let dir = resolve(startDir)
  for (;;) {
    const candidate = join(dir, SETTINGS_FILE_NAME)
    if (existsSync(candidate)) return candidate
    const parent = dirname(dir)
    if (parent === dir || existsSync(join(dir, '.git'))) return undefined
    dir = parent
  }
}

export interface LoadedSettings {
  path: string
  settings: Settings
}

/**
 * Reads the settings for an audit: the file named by `path` (`--config`), else the one found from the
 * Dockerfile's folder when there is one, else from the working directory. Errors name the file relative
 * to the working directory, with line and key.
 */
export async function loadSettings(options: { path?: string; dockerfile?: string; cwd: string; ruleIds: readonly string[] }): Promise<LoadedSettings | undefined> {
  const path =
    options.path === undefined
      ? findSettingsFile(options.dockerfile === undefined ? options.cwd : dirname(resolve(options.cwd, options.dockerfile)))
      : resolve(options.cwd, options.path)
  if (path === undefined) return undefined
  const text = await readFile(path, 'utf8')
  return { path, settings: parseSettings(text, { fileName: relative(options.cwd, path) || path, ruleIds: options.ruleIds }) }
}
