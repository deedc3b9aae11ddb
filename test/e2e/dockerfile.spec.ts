import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { DockerfileAttachment, DockerfileCheck } from '../../src-preload/contract'
import type { Locator } from '@playwright/test'
import { copyLessonApp } from '../fixtures/lesson-app'
import { analyzeImage, callApi, expect, openApp, SCREENSHOT_DIR, test } from './server'

const BEFORE = 'layerlens-fixtures/lesson-before:buildkit'

let work: string
let app: string
let dockerfile: string


test.beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), 'layerlens-e2e-dockerfile-'))
  app = copyLessonApp(work, 'app')
  dockerfile = join(app, 'Dockerfile')
})

test.afterAll(() => {
  if (work) rmSync(work, { recursive: true, force: true })
})

test('attach the Dockerfile: each step shows its line, findings their line:col, then the fix is offered to copy', async ({ page }) => {
  const analysis = await analyzeImage(BEFORE)
  const expected = await callApi<DockerfileAttachment>('attachDockerfile', [BEFORE, dockerfile, app])
  const lines = readFileSync(dockerfile, 'utf8').split('\n')

  await openApp(page, `#/image/${encodeURIComponent(BEFORE)}`)
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(BEFORE)
  const panel = page.locator('#dockerfile-section')
  await panel.getByLabel('Dockerfile path').fill(dockerfile)
  await panel.getByLabel('Build-context folder (optional)').fill(app)
  await panel.getByRole('button', { name: 'Attach Dockerfile' }).click()

  // Every own step names its Dockerfile line, with the line's text; base steps say where they come from.
  await expect(page.locator('#step-0 .step-line--base')).toContainText('Comes from the base image')
  for (const link of expected.mapping.steps.filter((candidate) => candidate.kind !== 'base')) {
    const row = page.locator(`#step-${link.stepIndex}`)
    await expect(row.locator('.step-line-number')).toContainText(`Dockerfile line ${link.location!.line}`)
    await expect(row.locator('.step-line code')).toHaveText(lines[link.location!.line - 1]!.trim())
  }
  expect(expected.mapping.steps.filter((link) => link.kind === 'exact').length).toBe(analysis.steps.filter((step) => !step.inBase).length)

  // Findings with their line:col, the context check with the .env secret, and the proposed entries.
  for (const finding of expected.findings) {
    await expect(panel.locator('.dockerfile-findings')).toContainText(`line ${finding.location!.line}:${finding.location!.column}`)
  }
  await expect(panel.getByRole('alert')).toContainText('.env')
  await expect(panel.locator('.proposed-entries')).toContainText('.env')

  // The panel and the step table below it, in one picture (scrolled to the top, boxes are page coordinates).
  await page.evaluate(() => window.scrollTo(0, 0))
  const top = (await panel.boundingBox())!
  const steps = (await page.locator('#steps-section').boundingBox())!
  await page.screenshot({
    path: `${SCREENSHOT_DIR}/dockerfile.png`,
    fullPage: true,
    animations: 'disabled',
    clip: { x: top.x, y: top.y, width: top.width, height: steps.y + steps.height - top.y }
  })

  // The fix: hunks with their reasons, lines marked "added" and "removed" in words.
  const fix = page.locator('#fix-section')
  await expect(fix.locator('.hunk')).toHaveCount(expected.fixes.dockerfile.hunks.length + (expected.fixes.dockerignore?.hunks.length ?? 0))
  await expect(fix.locator('.diff-line--added .diff-word').first()).toHaveText('added')
  await expect(fix.locator('.diff-line--removed .diff-word').first()).toHaveText('removed')
  await expectPatchedTextToCopy(fix, [
    [dockerfile, expected.fixes.dockerfile.patched],
    [join(app, '.dockerignore'), expected.fixes.dockerignore!.patched]
  ])
  await fix.scrollIntoViewIfNeeded()
  await page.screenshot({ path: `${SCREENSHOT_DIR}/fix.png`, animations: 'disabled' })
  expect(readFileSync(dockerfile, 'utf8')).toBe(expected.text)
  expect(existsSync(`${dockerfile}.orig`)).toBe(false)
  expect(existsSync(join(app, '.dockerignore'))).toBe(false)
})

test('open a Dockerfile on its own: a relative path refused plainly, then findings with line:col, the context check of its folder, and the fix offered to copy', async ({ page }) => {
  const alone = copyLessonApp(work, 'alone')
  const aloneDockerfile = join(alone, 'Dockerfile')
  const expected = await callApi<DockerfileCheck>('checkDockerfile', [aloneDockerfile, alone])
  const lines = readFileSync(aloneDockerfile, 'utf8').split('\n')

  await openApp(page, '#/')
  await page.getByRole('link', { name: 'Open a Dockerfile' }).click()
  await expect(page).toHaveURL(/#\/dockerfile$/)
  const panel = page.locator('#dockerfile-section')
  // A relative path is the user's slip, said in plain words, not a refused request.
  await panel.getByLabel('Dockerfile path').fill('app/Dockerfile')
  await panel.getByRole('button', { name: 'Check Dockerfile' }).click()
  await expect(panel.getByRole('alert')).toContainText('“app/Dockerfile” is not a full path.')
  await expect(panel.getByRole('alert')).not.toContainText('bug')
  // With no folder given, the build context is the Dockerfile's own folder.
  await panel.getByLabel('Dockerfile path').fill(aloneDockerfile)
  await panel.getByRole('button', { name: 'Check Dockerfile' }).click()

  const findings = panel.locator('.dockerfile-findings li')
  await expect(findings).toHaveCount(expected.findings.length)
  for (const [index, finding] of expected.findings.entries()) {
    await expect(findings.nth(index).locator('.line-ref')).toHaveText(`line ${finding.location!.line}:${finding.location!.column}`)
    await expect(findings.nth(index).locator('.dockerfile-line')).toHaveText(lines[finding.location!.line - 1]!.trim())
  }
  // No image, so no step mapping.
  await expect(panel.locator('.attachment-summary')).toHaveCount(0)
  await expect(panel.getByRole('alert')).toContainText('.env')
  await page.evaluate(() => window.scrollTo(0, 0))
  await page.screenshot({ path: `${SCREENSHOT_DIR}/dockerfile-alone.png`, fullPage: true, animations: 'disabled' })

  const fix = page.locator('#fix-section')
  await expectPatchedTextToCopy(fix, [[aloneDockerfile, expected.fixes.dockerfile.patched]])
  expect(readFileSync(aloneDockerfile, 'utf8')).toBe(expected.text)
  expect(existsSync(`${aloneDockerfile}.orig`)).toBe(false)
})

/** In the browser nothing is written (serve is read-only): no write button, and each patched file whole, to copy. */
async function expectPatchedTextToCopy(fix: Locator, files: Array<[path: string, patched: string]>): Promise<void> {
  await expect(fix.getByRole('button', { name: 'Write these changes…' })).toHaveCount(0)
  const toCopy = fix.getByRole('note', { name: 'Patched files to copy' })
  await expect(toCopy).toContainText('read-only')
  for (const [path, patched] of files) {
    expect(await toCopy.getByLabel(`${path}, patched`).textContent()).toBe(patched)
  }
}
