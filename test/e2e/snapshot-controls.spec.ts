// A sample or snapshot has no engine behind it: the controls that need one (Compare, attaching a Dockerfile)
// are not offered there, and the page says why and what works instead. An engine's image keeps them.
import { expect, openApp, SCREENSHOT_DIR, test } from './server'

const BEFORE = 'layerlens-fixtures/lesson-before:buildkit'

test('a sample offers no Compare and no Dockerfile form, and says that they need an engine', async ({ page }) => {
  await openApp(page, '#/sample/lesson-before')
  await expect(page.getByTestId('scan-progress')).toHaveAttribute('data-state', 'done')
  await expect(page.getByRole('note')).toContainText('Comparing with another image and attaching a Dockerfile need the image on an engine.')
  await expect(page.getByRole('link', { name: 'Compare with…' })).toHaveCount(0)

  const dockerfile = page.locator('#dockerfile-section')
  await expect(dockerfile.getByRole('heading', { name: 'Dockerfile' })).toBeVisible()
  await expect(dockerfile.getByRole('textbox')).toHaveCount(0)
  await expect(dockerfile).toContainText(`Open ${BEFORE} from the image list of an engine that has it.`)
  await dockerfile.scrollIntoViewIfNeeded()
  await page.screenshot({ path: `${SCREENSHOT_DIR}/sample-dockerfile.png` })

  // The way out it names works with no image.
  await dockerfile.getByRole('link', { name: 'Open a Dockerfile' }).click()
  await expect(page).toHaveURL(/#\/dockerfile$/)
})

test('the workshop walk, on a sample too, offers no Compare', async ({ page }) => {
  await openApp(page, '#/workshop/0')
  await expect(page.getByRole('complementary', { name: 'Workshop walk' })).toBeVisible()
  await expect(page.locator('#dockerfile-section')).toContainText('a snapshot holds only what was read from it')
  await expect(page.getByRole('link', { name: 'Compare with…' })).toHaveCount(0)
})

test("an engine's image keeps Compare and the Dockerfile form", async ({ page }) => {
  await openApp(page, `#/image/${encodeURIComponent(BEFORE)}`)
  await expect(page.getByRole('link', { name: 'Compare with…' })).toBeVisible()
  await expect(page.locator('#dockerfile-section').getByRole('textbox').first()).toBeVisible()
})
