import { analyzeImage, expect, lessonParts, openApp, scanToEnd, SCREENSHOT_DIR, test } from './server'

const BEFORE = 'layerlens-fixtures/lesson-before:buildkit'
const AFTER = 'layerlens-fixtures/lesson-after:buildkit'
const LESSON_RULES = ['root-user', 'shell-form-cmd', 'copy-before-install', 'bloated-base'] as const

test('the "before" image: chart, steps, findings and a lesson', async ({ page }) => {
  const analysis = await analyzeImage(BEFORE)
  const parts = await lessonParts()

  await openApp(page)
  await page.getByRole('row', { name: `Open ${BEFORE}`, exact: true }).click()
  await expect(page).toHaveURL(/#\/image\/sha256/)
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(BEFORE)

  // One bar per layer, base layers told apart from the user's own (by class and by colour).
  const bars = page.getByTestId('layer-bar')
  await expect(bars).toHaveCount(analysis.layers.length)
  const baseLayerCount = analysis.layers.filter((layer) => layer.stepIndex === undefined || analysis.steps[layer.stepIndex]?.inBase).length
  expect(baseLayerCount).toBeGreaterThan(0)
  expect(baseLayerCount).toBeLessThan(analysis.layers.length)
  await expect(page.locator('[data-testid="layer-bar"][data-in-base="true"]')).toHaveCount(baseLayerCount)
  const fillOf = (selector: string) => page.locator(selector).first().evaluate((bar) => getComputedStyle(bar).fill)
  expect(await fillOf('[data-testid="layer-bar"][data-in-base="true"]')).not.toEqual(await fillOf('[data-testid="layer-bar"][data-in-base="false"]'))
  await expect(page.locator('.chart-legend')).toContainText('Base image')
  await expect(page.locator('.chart-legend')).toContainText('Your own layers')

  // Every history step is in the table, empty ones included.
  await expect(page.locator('.steps-table tbody tr.step-row')).toHaveCount(analysis.steps.length)

  // Clicking the user's own largest bar selects its step in the table.
  const ownLayers = analysis.layers.filter((layer) => layer.stepIndex !== undefined && !analysis.steps[layer.stepIndex]?.inBase)
  const largestOwn = ownLayers.reduce((max, layer) => (layer.size > max.size ? layer : max))
  await page.locator(`[data-testid="layer-bar"][data-layer-index="${largestOwn.index}"]`).click()
  await expect(page.locator(`#step-${largestOwn.stepIndex}`)).toHaveAttribute('aria-selected', 'true')

  // The lesson's findings, grouped by severity; once the layer scan is done, with those the files proved.
  for (const rule of LESSON_RULES) {
    await expect(page.locator(`article.finding[data-rule="${rule}"]`)).toBeVisible()
  }
  const scanned = await scanToEnd(BEFORE)
  await expect(page.getByTestId('scan-progress')).toHaveAttribute('data-state', 'done')
  const shownRules = await page.locator('article.finding').evaluateAll((cards) => cards.map((card) => card.getAttribute('data-rule')))
  expect(shownRules.sort()).toEqual(scanned.analysis.findings.map((finding) => finding.rule).sort())

  // Evidence links lead to the table rows.
  const copyFinding = page.locator('article.finding[data-rule="copy-before-install"]')
  const evidenceStep = analysis.findings.find((finding) => finding.rule === 'copy-before-install')?.evidence.steps?.[0]
  if (evidenceStep !== undefined) {
    await copyFinding.locator('.step-link').first().click()
    await expect(page.locator(`#step-${evidenceStep}`)).toHaveAttribute('aria-selected', 'true')
  }

  await page.evaluate(() => window.scrollTo(0, 0))
  await page.screenshot({ path: `${SCREENSHOT_DIR}/image-before.png`, fullPage: true, animations: 'disabled' })

  // A lesson link opens its part with the texts from lessonParts().
  const rootFinding = analysis.findings.find((finding) => finding.rule === 'root-user')
  const rootPart = parts.find((part) => part.id === rootFinding?.lessonPart)
  expect(rootPart).toBeDefined()
  await page.locator('article.finding[data-rule="root-user"]').getByRole('button', { name: /^Lesson:/ }).click()
  const dialog = page.getByRole('dialog')
  await expect(dialog).toBeVisible()
  await expect(dialog.getByRole('heading', { level: 2 })).toHaveText(rootPart?.title ?? '')
  await expect(dialog).toContainText(rootPart?.summary ?? '')
  await expect(dialog.locator('.code-figure--before .code-block')).toHaveText(rootPart?.before ?? '')
  await expect(dialog.locator('.code-figure--after .code-block')).toHaveText(rootPart?.after ?? '')
  await page.screenshot({ path: `${SCREENSHOT_DIR}/lesson.png`, animations: 'disabled' })
  await page.keyboard.press('Escape')
  await expect(dialog).toBeHidden()
})

test('the "after" image has none of the lesson findings', async ({ page }) => {
  const analysis = await analyzeImage(AFTER)
  await openApp(page, `#/image/${encodeURIComponent(analysis.image.id)}`)
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(AFTER)
  await expect(page.getByTestId('layer-bar')).toHaveCount(analysis.layers.length)
  const scanned = await scanToEnd(AFTER)
  await expect(page.getByTestId('scan-progress')).toHaveAttribute('data-state', 'done')
  await expect(page.locator('article.finding')).toHaveCount(scanned.analysis.findings.length)
  for (const rule of LESSON_RULES) {
    await expect(page.locator(`article.finding[data-rule="${rule}"]`)).toHaveCount(0)
  }
  await expect(page.locator('.config-row', { hasText: 'User' })).toContainText('appuser')
  await page.screenshot({ path: `${SCREENSHOT_DIR}/image-after.png`, fullPage: true, animations: 'disabled' })
})

test('an unknown image says so and offers the way back', async ({ page }) => {
  await openApp(page, '#/image/layerlens-fixtures/no-such-image:missing')
  const alert = page.getByRole('alert')
  await expect(alert).toContainText('No image “layerlens-fixtures/no-such-image:missing” on this engine')
  await expect(alert.getByRole('button', { name: 'Retry' })).toBeVisible()
  await alert.getByRole('button', { name: 'Back to the image list' }).click()
  await expect(page.getByRole('heading', { name: /^Images/ })).toBeVisible()
})
