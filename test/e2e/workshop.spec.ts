// The workshop walk on the lesson-before sample, by keyboard only, and the large-type mode.
import type { Page } from '@playwright/test'
import { expect, openApp, SCREENSHOT_DIR, test } from './server'

/** Waits until a smooth scroll has come to rest, so the screenshot is not taken mid-way. */
const scrollingSettled = (page: Page) =>
  page.evaluate(
    () =>
      new Promise<void>((resolve) => {
        let last = Number.NaN
        const check = () => {
          if (window.scrollY === last) resolve()
          else {
            last = window.scrollY
            requestAnimationFrame(() => requestAnimationFrame(check))
          }
        }
        check()
      })
  )

const TITLES = [
  'The base image',
  'Layer caching: the order of COPY',
  'The pip cache',
  'What the build context leaked',
  'Running as root',
  'The form of CMD',
  'Before and after'
]

test('the workshop walk goes through every step with the keyboard, showing each finding and its fix', async ({ page }) => {
  await openApp(page, '#/samples')
  await page.getByRole('link', { name: 'Start the workshop walk' }).focus()
  await page.keyboard.press('Enter')
  const guide = page.getByRole('complementary', { name: 'Workshop walk' })
  const title = guide.getByRole('heading', { level: 2 })

  for (const [index, expected] of TITLES.entries()) {
    await expect(title).toHaveText(expected)
    await expect(guide).toContainText(`Step ${index + 1} of ${TITLES.length}`)
    await expect(page).toHaveURL(new RegExp(`#/workshop/${index}$`))
    if (index < TITLES.length - 1) await expect(guide.locator('.workshop-finding .before-after')).toBeVisible()
    if (expected === 'The pip cache') {
      // The step selects the pip layer in the chart and shows the cache in the explorer.
      await expect(page.locator('[role="treeitem"][data-path="/root/.cache/pip"]')).toBeInViewport()
      await scrollingSettled(page)
      await page.screenshot({ path: `${SCREENSHOT_DIR}/workshop.png` })
    }
    if (index < TITLES.length - 1) await page.keyboard.press('ArrowRight')
  }
  await expect(guide.locator('.workshop-compare tbody tr')).toHaveCount(2)
  await page.keyboard.press('ArrowLeft')
  await expect(title).toHaveText(TITLES[TITLES.length - 2]!)

  // Large type for the projector, kept across a reload.
  await guide.getByRole('button', { name: 'Large type' }).click()
  await expect(page.locator('html')).toHaveClass(/large-type/)
  await page.reload()
  await expect(page.locator('html')).toHaveClass(/large-type/)
  await page.getByRole('banner').getByRole('button', { name: 'Large type' }).click()
  await expect(page.locator('html')).not.toHaveClass(/large-type/)

  await page.keyboard.press('Escape')
  await expect(page).toHaveURL(/#\/samples$/)
})
