import type { ImageComparison } from '../../src-main/engine/compare'
import { callApi, expect, openApp, SCREENSHOT_DIR, test } from './server'

const BEFORE = 'layerlens-fixtures/lesson-before:buildkit'
const AFTER = 'layerlens-fixtures/lesson-after:buildkit'

test('compare before and after: the verdict, steps side by side, findings and files', async ({ page }) => {
  const expected = await callApi<ImageComparison>('compareImages', [BEFORE, AFTER])
  expect(expected.verdict).toMatch(/^−/)

  await openApp(page, `#/image/${encodeURIComponent(BEFORE)}`)
  await page.getByRole('link', { name: 'Compare with…' }).click()
  await expect(page.getByRole('combobox', { name: 'Before' })).toHaveValue(BEFORE)
  await page.getByRole('combobox', { name: 'After' }).selectOption(AFTER)
  await page.getByRole('button', { name: 'Compare', exact: true }).click()

  await expect(page.getByTestId('verdict')).toHaveText(expected.verdict)
  await expect(page.locator('.compare-table tbody tr.compare-row')).toHaveCount(expected.steps.length)
  await expect(page.locator('.finding-column--resolved li')).toHaveCount(expected.findings.resolved.length)
  await expect(page.locator('.finding-column--new li')).toHaveCount(expected.findings.new.length)
  await expect(page.locator('#compare-files-title')).toBeVisible()
  await page.screenshot({ path: `${SCREENSHOT_DIR}/compare.png`, fullPage: true, animations: 'disabled' })
})
