// The service's Dockerfile operations against the real daemon: attaching the lesson's Dockerfile to the
// image it built, checking it on its own, writing the fix into a copy of the app, and comparing the
// before and after images.
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { dispatch } from '../../src-main/dispatch'
import { createService } from '../../src-main/service'
import { copyLessonApp } from '../fixtures/lesson-app'
import { FIXTURES, requireFixtureImages, valueOf } from './support'

const service = createService()

let work: string
let app: string
let dockerfile: string


beforeAll(async () => {
  await requireFixtureImages()
  work = mkdtempSync(join(tmpdir(), 'layerlens-dockerfile-ops-'))
  app = copyLessonApp(work, 'lesson-fastapi')
  dockerfile = join(app, 'Dockerfile')
})

afterAll(() => {
  if (work) rmSync(work, { recursive: true, force: true })
})

describe('attachDockerfile', () => {
  it('links every own step of the image to its Dockerfile line, with findings, context check and a fix', async () => {
    const attachment = valueOf(await service.attachDockerfile(FIXTURES.beforeBuildkit, dockerfile, app))
    expect(attachment.text).toBe(readFileSync(dockerfile, 'utf8'))
    const own = attachment.mapping.steps.filter((link) => link.kind !== 'base')
    expect(own.length).toBeGreaterThan(0)
    expect(own.every((link) => link.kind === 'exact' && link.location !== undefined)).toBe(true)
    expect(attachment.findings.length).toBeGreaterThan(0)
    expect(attachment.findings.every((finding) => finding.location !== undefined && finding.location.line >= 1)).toBe(true)
    expect(attachment.context?.secrets.map((secret) => secret.path)).toContain('.env')
    expect(attachment.context?.proposed.map((entry) => entry.pattern)).toContain('.env')
    expect(attachment.fixes.dockerfile.hunks.length).toBeGreaterThan(0)
    expect(attachment.fixes.dockerfile.diff).toMatch(/^--- /m)
    expect(attachment.writes).toEqual([{ path: dockerfile, backupPath: `${dockerfile}.orig` }, { path: join(app, '.dockerignore') }])
  })

  it('refuses relative paths and says why a missing Dockerfile cannot be used', async () => {
    const relative = await dispatch(service, 'attachDockerfile', [FIXTURES.beforeBuildkit, 'Dockerfile', null])
    expect(relative.ok ? null : relative.error.code).toBe('INVALID_ARGUMENT')
    const missing = await service.attachDockerfile(FIXTURES.beforeBuildkit, join(work, 'nothing-here'), null)
    expect(missing.ok ? null : missing.error.message).toMatch(/there is no file there/)
  })
})

describe('a Dockerfile on its own', () => {
  it('checks it with no image: the same findings, context check and fix as attached, without the step mapping', async () => {
    const alone = copyLessonApp(work, 'lesson-fastapi-alone')
    const aloneDockerfile = join(alone, 'Dockerfile')
    const checked = valueOf(await service.checkDockerfile(aloneDockerfile, alone))
    expect('mapping' in checked).toBe(false)
    expect(checked.text).toBe(readFileSync(aloneDockerfile, 'utf8'))
    expect(checked.findings.map((finding) => finding.rule)).toEqual(['root-user', 'bloated-base', 'copy-before-install', 'pip-cache', 'shell-form-cmd'])
    expect(checked.findings.every((finding) => finding.location !== undefined && finding.location.line >= 1 && finding.location.column >= 1)).toBe(true)
    expect(checked.context?.secrets.map((secret) => secret.path)).toContain('.env')
    expect(checked.writes).toEqual([{ path: aloneDockerfile, backupPath: `${aloneDockerfile}.orig` }, { path: join(alone, '.dockerignore') }])

    const stale = await service.applyFixes(null, aloneDockerfile, alone, '0'.repeat(64))
    expect(stale.ok ? null : stale.error.message).toMatch(/changed since the fix was proposed/)
    const applied = valueOf(await service.applyFixes(null, aloneDockerfile, alone, checked.originalSha256))
    expect(applied.written.map((file) => file.path)).toEqual([aloneDockerfile, join(alone, '.dockerignore')])
    expect(readFileSync(aloneDockerfile, 'utf8')).toBe(checked.fixes.dockerfile.patched)
    expect(readFileSync(`${aloneDockerfile}.orig`, 'utf8')).toBe(checked.text)
  })

  it('refuses a relative path', async () => {
    const relative = await dispatch(service, 'checkDockerfile', ['Dockerfile', null])
    expect(relative.ok ? null : relative.error.code).toBe('INVALID_ARGUMENT')
  })
})

describe('applyFixes', () => {
  it('refuses a proposal whose files changed, then writes the patch and keeps the original as .orig', async () => {
    const attachment = valueOf(await service.attachDockerfile(FIXTURES.beforeBuildkit, dockerfile, app))
    const stale = await service.applyFixes(FIXTURES.beforeBuildkit, dockerfile, app, '0'.repeat(64))
    expect(stale.ok ? null : stale.error.message).toMatch(/changed since the fix was proposed/)
    expect(existsSync(`${dockerfile}.orig`)).toBe(false)

    const applied = valueOf(await service.applyFixes(FIXTURES.beforeBuildkit, dockerfile, app, attachment.originalSha256))
    expect(applied.written.map((file) => file.path)).toEqual([dockerfile, join(app, '.dockerignore')])
    expect(readFileSync(dockerfile, 'utf8')).toBe(attachment.fixes.dockerfile.patched)
    expect(readFileSync(`${dockerfile}.orig`, 'utf8')).toBe(attachment.text)
    expect(readFileSync(join(app, '.dockerignore'), 'utf8')).toBe(attachment.fixes.dockerignore?.patched)
  })
})

describe('compareImages', () => {
  it('compares the lesson before and after images with a verdict', async () => {
    const comparison = valueOf(await service.compareImages(FIXTURES.beforeBuildkit, FIXTURES.afterBuildkit))
    expect(comparison.sizeDelta).toBeLessThan(0)
    expect(comparison.verdict).toMatch(/^−\S+ \S*B \(−\d+%\), \d+ findings? fixed, \d+ new$/)
    expect(comparison.findings.resolved.length).toBeGreaterThan(0)
    expect(comparison.files?.removedTotal.files).toBeGreaterThan(0)
    expect(comparison.steps.some((row) => row.match === 'same' || row.match === 'changed')).toBe(true)
  })
})
