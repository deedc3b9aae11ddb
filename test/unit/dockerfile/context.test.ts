import { mkdirSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { checkBuildContext, dockerfileFindings, generateFixes, parseDockerfile } from '../../../src-main/engine/dockerfile'
import { BackupExistsError, FileChangedError, readContextDockerignore, walkContext, writeFixes } from '../../../src-main/sources/context'
import { lessonDockerfile } from './lesson'

/** A working copy as it sits on a developer's disk. */
function dirtyContext(dockerignore?: string): string {
  const folder = mkdtempSync(join(tmpdir(), 'layerlens-context-'))
  const files: Record<string, string> = {
    'Dockerfile': lessonDockerfile('before'),
    'main.py': 'print("hi")\n',
    'requirements.txt': 'fastapi\n',
    'README.md': '# app\n',
    '.env': 'SECRET_KEY=x\n',
    '.env.example': 'SECRET_KEY=\n',
    '.git/HEAD': 'ref: refs/heads/main\n',
    '.git/objects/pack/big.pack': 'x'.repeat(5000),
    '.venv/lib/site.py': 'y'.repeat(2000),
    '__pycache__/main.cpython-311.pyc': 'z'.repeat(300),
    'pkg/__pycache__/mod.cpython-311.pyc': 'z'.repeat(200),
    'pkg/mod.py': 'x = 1\n',
    'tests/test_main.py': 'def test(): pass\n',
    'deploy/id_rsa': 'KEY',
  }
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(join(folder, path, '..'), { recursive: true })
    writeFileSync(join(folder, path), content)
  }
  symlinkSync('/etc/passwd', join(folder, 'passwd-link'))
  if (dockerignore !== undefined) writeFileSync(join(folder, '.dockerignore'), dockerignore)
  return folder
}

describe('the build-context check', () => {
  it('counts what is sent with and without the .dockerignore, finds secrets and proposes entries', async () => {
    const folder = dirtyContext('.git\n')
    const report = checkBuildContext(await walkContext(folder), await readContextDockerignore(folder))
    expect(report.dockerignore).toEqual({ present: true, patterns: ['.git'] })
    expect(report.withoutDockerignore.files).toBe(16)
    expect(report.sent.files).toBe(14)
    expect(report.withoutDockerignore.bytes - report.sent.bytes).toBe(5000 + 21)
    expect(report.biggestFolders.map((folder) => [folder.path, folder.files, folder.bytes])).toEqual([
      ['.venv', 1, 2000],
      ['__pycache__', 1, 300],
      ['pkg', 2, 206],
      ['tests', 1, 17],
      ['deploy', 1, 3],
    ])
    expect(report.secrets.map((secret) => [secret.path, secret.kind])).toEqual([['.env', 'dotenv'], ['deploy/id_rsa', 'private-key']])
    expect(report.proposed.map((entry) => [entry.pattern, entry.files])).toEqual([
      ['**/__pycache__', 2],
      ['**/*.pyc', 2],
      ['.venv', 1],
      ['.env', 1],
      ['.env.*', 1],
      ['*.md', 1],
      ['tests/', 1],
      // No lesson entry covers a private key: its own path keeps it out.
      ['deploy/id_rsa', 1],
    ])
  })

  it('proposes nothing the .dockerignore already keeps out', async () => {
    const folder = dirtyContext(readFileSync(new URL('../../fixtures/apps/lesson-fastapi/after.dockerignore', import.meta.url), 'utf8'))
    const report = checkBuildContext(await walkContext(folder), await readContextDockerignore(folder))
    expect(report.proposed.map((entry) => entry.pattern)).toEqual(['**/__pycache__', '**/*.pyc', 'deploy/id_rsa'])
    expect(report.secrets.map((secret) => secret.path)).toEqual(['deploy/id_rsa'])
  })

  it('reads a missing .dockerignore as none', async () => {
    const folder = dirtyContext()
    expect(await readContextDockerignore(folder)).toBeNull()
    const report = checkBuildContext(await walkContext(folder), null)
    expect(report.sent).toEqual(report.withoutDockerignore)
  })
})

describe('writing a fix', () => {
  it('writes only when called, keeps Dockerfile.orig, and never replaces a backup silently', async () => {
    const folder = dirtyContext()
    const parsed = parseDockerfile(readFileSync(join(folder, 'Dockerfile'), 'utf8'))
    const report = checkBuildContext(await walkContext(folder), null)
    const plan = generateFixes(parsed, dockerfileFindings(parsed), { context: report, dockerignore: null })
    const targets = [
      { path: join(folder, 'Dockerfile'), file: plan.dockerfile },
      { path: join(folder, '.dockerignore'), file: plan.dockerignore! },
    ]
    const written = await writeFixes(targets)
    expect(written).toEqual([{ path: join(folder, 'Dockerfile'), backupPath: join(folder, 'Dockerfile.orig') }, { path: join(folder, '.dockerignore') }])
    expect(readFileSync(join(folder, 'Dockerfile'), 'utf8')).toBe(lessonDockerfile('after'))
    expect(readFileSync(join(folder, 'Dockerfile.orig'), 'utf8')).toBe(lessonDockerfile('before'))
    expect(readFileSync(join(folder, '.dockerignore'), 'utf8')).toBe(plan.dockerignore!.patched)

    // The same plan again: the Dockerfile changed since, so nothing is written.
    await expect(writeFixes(targets)).rejects.toBeInstanceOf(FileChangedError)
    // A fresh plan for a Dockerfile that has a backup already.
    writeFileSync(join(folder, 'Dockerfile'), lessonDockerfile('before'))
    const again = generateFixes(parsed, dockerfileFindings(parsed))
    await expect(writeFixes([{ path: join(folder, 'Dockerfile'), file: again.dockerfile }])).rejects.toBeInstanceOf(BackupExistsError)
    expect(readFileSync(join(folder, 'Dockerfile'), 'utf8')).toBe(lessonDockerfile('before'))
    await writeFixes([{ path: join(folder, 'Dockerfile'), file: again.dockerfile }], { overwriteBackup: true })
    expect(readFileSync(join(folder, 'Dockerfile'), 'utf8')).toBe(lessonDockerfile('after'))
  })
})
