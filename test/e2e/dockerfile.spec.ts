import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { DockerfileAttachment, DockerfileCheck } from '../../src-preload/contract'
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

test('attach the Dockerfile: each step shows its line, findings their line:col, then the fix is written on confirm', async ({ page }) => {
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
  await fix.getByRole('button', { name: 'Write these changes…' }).click()

  const dialog = page.getByRole('dialog', { name: 'Write these changes?' })
  await expect(dialog).toContainText(dockerfile)
  await expect(dialog).toContainText(`${dockerfile}.orig`)
  await expect(dialog).toContainText(join(app, '.dockerignore'))
  await fix.scrollIntoViewIfNeeded()
  await page.screenshot({ path: `${SCREENSHOT_DIR}/fix.png`, animations: 'disabled' })
  expect(existsSync(`${dockerfile}.orig`)).toBe(false)
  await dialog.getByRole('button', { name: 'Write 2 files' }).click()

  await expect(fix.getByRole('status')).toContainText(`original kept as ${dockerfile}.orig`)
  expect(readFileSync(dockerfile, 'utf8')).toBe(expected.fixes.dockerfile.patched)
  expect(readFileSync(`${dockerfile}.orig`, 'utf8')).toBe(expected.text)
  expect(readFileSync(join(app, '.dockerignore'), 'utf8')).toBe(expected.fixes.dockerignore!.patched)
})

test('open a Dockerfile on its own: findings with line:col, the context check, and the fix written on confirm', async ({ page }) => {
  const alone = copyLessonApp(work, 'alone')
  const aloneDockerfile = join(alone, 'Dockerfile')
  const expected = await callApi<DockerfileCheck>('checkDockerfile', [aloneDockerfile, alone])
  const lines = readFileSync(aloneDockerfile, 'utf8').split('\n')

  await openApp(page, '#/')
  await page.getByRole('link', { name: 'Open a Dockerfile' }).click()
  await expect(page).toHaveURL(/#\/dockerfile$/)
  const panel = page.locator('#dockerfile-section')
  await panel.getByLabel('Dockerfile path').fill(aloneDockerfile)
  await panel.getByLabel('Build-context folder (optional)').fill(alone)
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
  await fix.getByRole('button', { name: 'Write these changes…' }).click()
  await page.getByRole('dialog', { name: 'Write these changes?' }).getByRole('button', { name: 'Write 2 files' }).click()
  await expect(fix.getByRole('status')).toContainText(`original kept as ${aloneDockerfile}.orig`)
  expect(readFileSync(aloneDockerfile, 'utf8')).toBe(expected.fixes.dockerfile.patched)
  expect(readFileSync(`${aloneDockerfile}.orig`, 'utf8')).toBe(expected.text)
})
