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

interface Import {
  target: string
  /** `import type …`: erased at build time, so no code crosses the boundary. */
  typeOnly: boolean
}

function importsOf(file: string): Import[] {
  const text = readFileSync(join(root, file), 'utf8')
  const statements = [...text.matchAll(/(?:import|export)\s([^'"]*?)from\s+['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)/g)]
  return statements.map((match) => {
    const specifier = (match[2] ?? match[3])!
    const target = specifier.startsWith('.') ? relative(root, resolve(root, dirname(file), specifier)) : specifier
    return { target, typeOnly: (match[1] ?? '').startsWith('type ') }
  })
}

const engineTypes = (target: string, typeOnly: boolean): boolean =>
  target === 'src-main/engine/model' || (typeOnly && target.startsWith('src-main/engine'))

/** Which imports a folder may use: local paths by prefix, packages by name. */
const allowed: Record<string, (target: string, typeOnly: boolean) => boolean> = {
  'src-main/engine': (target) => target.startsWith('src-main/engine') || !target.startsWith('src-'),
  'src-main/sources': (target) =>
    target.startsWith('src-main/sources') || target.startsWith('src-main/engine') || target === 'src-preload/contract' || !target.startsWith('src-'),
  // The renderer and the preload may know the engine's types, never its code.
  'src-renderer': (target, typeOnly) =>
    target.startsWith('src-renderer') || target === 'src-preload/contract' || engineTypes(target, typeOnly) || !target.startsWith('src-'),
  'src-preload': (target, typeOnly) =>
    target.startsWith('src-preload') || engineTypes(target, typeOnly) || !target.startsWith('src-')
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
        for (const { target, typeOnly } of importsOf(file)) {
          const packageRule = forbiddenPackages[folder]
          if (!mayImport(target, typeOnly) || (packageRule && packageRule.test(target))) violations.push(`${file} → ${target}`)
        }
      }
      expect(violations).toEqual([])
    })
  }

  it('only the Electron glue and the preload import electron', () => {
    const users = ['src-main', 'src-preload', 'src-renderer']
      .flatMap(sourceFiles)
      .filter((file) => importsOf(file).some(({ target }) => target === 'electron'))
    expect(users.every((file) => file.startsWith('src-main/app/') || file === 'src-preload/index.ts')).toBe(true)
  })
})
