// Samples, snapshots, archives and reports in the browser: the bundled samples open with no engine, an
// exported snapshot opens again with the same findings, so does an image archive file, and the HTML report
// stands on its own.
import { execFile } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { readFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { pathToFileURL } from 'node:url'
import type { Page } from '@playwright/test'
import type { Finding } from '../../src-main/engine/model'
import type { SampleSummary, ScanStatus } from '../../src-preload/contract'
import { startServe } from './serve-process'
import { callApi, expect, openApp, scanToEnd, SCREENSHOT_DIR, test } from './server'

const BEFORE = 'layerlens-fixtures/lesson-before:buildkit'
const BANNER = 'Sample (snapshot) — no engine needed'

const findingsOf = (page: Page) => page.locator('article.finding')
const sameFindings = (findings: readonly Finding[]) => findings.map(({ rule, severity, title, detail, evidence }) => ({ rule, severity, title, detail, evidence }))

test('the Samples page lists the bundled samples, and a sample opens with its findings and files', async ({ page }) => {
  const samples = await callApi<SampleSummary[]>('listSamples')
  expect(samples.map((sample) => sample.id)).toEqual(['lesson-before', 'lesson-after', 'pip-cache-removed', 'dotenv-deleted'])

  await openApp(page)
  await page.getByRole('link', { name: 'Samples', exact: true }).click()
  await expect(page.locator('.sample-card')).toHaveCount(samples.length)
  await page.screenshot({ path: `${SCREENSHOT_DIR}/samples.png`, fullPage: true })

  await page.getByRole('link', { name: /The lesson, before/ }).click()
  await expect(page.getByRole('note')).toContainText(BANNER)
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(BEFORE)
  const opened = await callApi<ScanStatus>('openSample', ['lesson-before'])
  await expect(findingsOf(page)).toHaveCount(opened.analysis.findings.length)
  await expect(page.getByTestId('scan-progress')).toHaveAttribute('data-state', 'done')

  // The explorer reads the snapshot's file index: the .env the lesson leaks is there.
  await page.locator('article.finding[data-rule="secret-file"]').getByRole('button', { name: /\/app\/\.env/ }).first().click()
  await expect(page.locator('[role="treeitem"][data-path="/app/.env"]')).toBeVisible()
})

test('with no engine, the app offers the samples next to the fix, and they open', async ({ page }) => {
  const server = await startServe({ ...process.env, DOCKER_HOST: 'unix:///tmp/layerlens-e2e-no-engine-here.sock' })
  try {
    await page.goto(server.url)
    const alert = page.getByRole('alert')
    await expect(alert.getByRole('heading')).toHaveText('Layerlens cannot reach the container engine')
    await expect(alert.locator('.state-fix p')).not.toBeEmpty()
    await alert.getByRole('link', { name: 'Explore the bundled samples' }).click()
    await page.getByRole('link', { name: /A secret deleted, still shipped/ }).click()
    await expect(page.getByRole('note')).toContainText(BANNER)
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('layerlens-fixtures/contents-dotenv-deleted:buildkit')
    await expect(page.locator('article.finding[data-rule="secret-file"]')).toBeVisible()
  } finally {
    await server.stop()
  }
})

test('a snapshot exported from a scanned image opens again with the same findings', async ({ page }) => {
  const scanned = await scanToEnd(BEFORE)
  await openApp(page, `#/image/${encodeURIComponent(BEFORE)}`)
  await expect(page.getByTestId('scan-progress')).toHaveAttribute('data-state', 'done')
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Export snapshot' }).click()])
  expect(download.suggestedFilename()).toBe('lesson-before-buildkit.layerlens.json')
  const path = await download.path()
  const text = await readFile(path, 'utf8')
  expect(text).not.toContain('layerlens-fixture-not-a-secret')

  await openApp(page, '#/samples')
  await page.locator('#open-snapshot-input').setInputFiles(path)
  await expect(page).toHaveURL(/#\/snapshot\/sha256:[0-9a-f]{64}$/)
  await expect(page.getByRole('note')).toContainText('Snapshot file — no engine needed')
  await expect(findingsOf(page)).toHaveCount(scanned.analysis.findings.length)

  const reopened = await callApi<ScanStatus>('openSnapshot', [text])
  expect(reopened.imageId).not.toBe(scanned.imageId)
  expect(sameFindings(reopened.analysis.findings)).toEqual(sameFindings(scanned.analysis.findings))
  expect(reopened.contents).toEqual(scanned.contents)
})

test('an image archive opens from the Samples page by its path, with its findings and files; a wrong path says why', async ({ page }) => {
  const folder = mkdtempSync(join(tmpdir(), 'layerlens-e2e-archive-'))
  try {
    const archive = join(folder, 'lesson-before.tar')
    // Not execFileSync: a blocked test process misses the server closing its idle keep-alive connection.
    await promisify(execFile)('/usr/bin/docker', ['save', '-o', archive, BEFORE])
    const scanned = await scanToEnd(BEFORE)
    await openApp(page, '#/samples')
    const form = page.getByRole('form', { name: 'Open an image archive' })

    await form.getByLabel('Archive path').fill('lesson-before.tar')
    await form.getByRole('button', { name: 'Open archive' }).click()
    await expect(form.getByRole('alert')).toContainText('“lesson-before.tar” is not a full path.')

    await form.getByLabel('Archive path').fill(join(folder, 'missing.tar'))
    await form.getByRole('button', { name: 'Open archive' }).click()
    await expect(form.getByRole('alert')).toContainText(`The image archive ${join(folder, 'missing.tar')} could not be read: there is no such file`)

    await form.getByLabel('Archive path').fill(archive)
    await form.getByRole('button', { name: 'Open archive' }).click()
    await expect(page).toHaveURL(/#\/archive\/sha256:[0-9a-f]{64}$/)
    await expect(page.getByRole('note').first()).toContainText('Image archive — no engine needed')
    await expect(page.getByRole('heading', { level: 1 })).toHaveText(BEFORE)
    await expect(page.getByTestId('scan-progress')).toHaveAttribute('data-state', 'done')
    const fileFindings = scanned.analysis.findings.filter((finding) => finding.confidence !== 'hint')
    for (const finding of fileFindings) await expect(page.locator(`article.finding[data-rule="${finding.rule}"]`).first()).toBeVisible()
    await page.screenshot({ path: `${SCREENSHOT_DIR}/archive.png` })
  } finally {
    rmSync(folder, { recursive: true, force: true })
  }
})

test('the HTML report is one self-contained page with the layer chart', async ({ page }, testInfo) => {
  await openApp(page, '#/sample/lesson-before')
  await expect(page.getByTestId('scan-progress')).toHaveAttribute('data-state', 'done')
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Save HTML report' }).click()])
  expect(download.suggestedFilename()).toBe('lesson-before-buildkit.report.html')
  // Saved under its .html name, so the browser shows it as a page.
  const path = testInfo.outputPath(download.suggestedFilename())
  await download.saveAs(path)
  const html = await readFile(path, 'utf8')
  expect(html).not.toMatch(/<script|<link |src="http/)

  const [markdown] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Save Markdown report' }).click()])
  expect(await readFile(await markdown.path(), 'utf8')).toContain('## Layerlens audit')

  await page.goto(pathToFileURL(path).href)
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(BEFORE)
  await expect(page.locator('svg[aria-label="Layer sizes"] rect[rx]')).toHaveCount(11)
  await expect(page.locator('article.finding')).toHaveCount(10)
  await page.screenshot({ path: `${SCREENSHOT_DIR}/report.png` })
})

test('the image view prints without the app chrome or its controls', async ({ page }) => {
  await openApp(page, '#/sample/lesson-after')
  await expect(page.getByTestId('scan-progress')).toHaveAttribute('data-state', 'done')
  await page.emulateMedia({ media: 'print' })
  await expect(page.getByRole('banner')).toBeHidden()
  await expect(page.getByRole('button', { name: 'Save HTML report' })).toBeHidden()
  await expect(page.locator('#layers-section')).toBeVisible()
  await expect(page.locator('#findings-section')).toBeVisible()
  await page.screenshot({ path: `${SCREENSHOT_DIR}/print.png` })
})
