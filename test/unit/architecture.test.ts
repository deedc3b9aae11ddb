// Layers import only downward (DESIGN.md). This test reads every import and holds the line.
import { readdirSync, readFileSync } from 'node:fs'
import { dirname, join, relative, resolve } from 'node:path'
import { describe, expect, it } from 'vitest'

const root = resolve(__dirname, '../..')

function sourceFiles(dir: string): string[] {
  return readdirSync(join(root, dir), { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile() && /\.tsx?$/.test(entry.name))
    .map((entry) => relative(root, join(entry.parentPath, entry.name)))
}

function importsOf(file: string): string[] {
  const text = readFileSync(join(root, file), 'utf8')
  const specifiers = [...text.matchAll(/(?:import|export)\s[^'"]*?from\s+['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)/g)]
  return specifiers.map((match) => {
    const specifier = (match[1] ?? match[2])!
    return specifier.startsWith('.') ? relative(root, resolve(root, dirname(file), specifier)) : specifier
  })
}

/** Which imports a folder may use: local paths by prefix, packages by name. */
const allowed: Record<string, (target: string) => boolean> = {
  'src-main/engine': (target) => target.startsWith('src-main/engine') || !target.startsWith('src-'),
  'src-main/sources': (target) =>
    target.startsWith('src-main/sources') || target.startsWith('src-main/engine') || target === 'src-preload/contract' || !target.startsWith('src-'),
  'src-renderer': (target) =>
    target.startsWith('src-renderer') || target === 'src-preload/contract' || target === 'src-main/engine/model' || !target.startsWith('src-'),
  'src-preload': (target) =>
    target.startsWith('src-preload') || target === 'src-main/engine/model' || !target.startsWith('src-')
}

const forbiddenPackages: Record<string, RegExp> = {
  // Pure libraries (zod, yaml, dockerfile-ast) are fine; anything doing I/O is not.
  'src-main/engine': /^(node:|electron$|dockerode$|fs$|net$|http$|child_process$|tar-stream$)/,
  'src-renderer': /^(node:|electron$|dockerode$)/,
  'src-main/sources': /^electron$/
}

describe('import direction', () => {
  for (const [folder, mayImport] of Object.entries(allowed)) {
    it(`${folder} imports only what lies below it`, () => {
      const violations: string[] = []
      for (const file of sourceFiles(folder)) {
        for (const target of importsOf(file)) {
          const packageRule = forbiddenPackages[folder]
          if (!mayImport(target) || (packageRule && packageRule.test(target))) violations.push(`${file} → ${target}`)
        }
      }
      expect(violations).toEqual([])
    })
  }

  it('only the Electron glue and the preload import electron', () => {
    const users = ['src-main', 'src-preload', 'src-renderer']
      .flatMap(sourceFiles)
      .filter((file) => importsOf(file).includes('electron'))
    expect(users.every((file) => file.startsWith('src-main/app/') || file === 'src-preload/index.ts')).toBe(true)
  })
})
