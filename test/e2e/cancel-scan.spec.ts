// Cancelling a scan: the page says it stopped, what is missing, and offers to start again.
import { expect, test } from './server'
import { startServe } from './serve-process'

// About 1 GB. A server caches layers by diff-id, so this test gets a server of its own with an empty
// cache: the export is still streaming when Cancel is pressed, whatever ran before.
const LARGE_IMAGE = 'layerlens-fixtures/python:3.11'

test('a running scan can be cancelled, and started again', async ({ page }) => {
  const server = await startServe()
  try {
    await page.goto(`${server.url}#/image/${encodeURIComponent(LARGE_IMAGE)}`)
    const bar = page.getByTestId('scan-progress')
    await bar.getByRole('button', { name: 'Cancel scan' }).click()

    await expect(bar).toHaveAttribute('data-state', 'stopped')
    await expect(bar.getByRole('heading')).toHaveText('Scan cancelled')
    await expect(bar).toContainText(/Stopped after \d+ of \d+ layers/)
    await expect(bar).toContainText('incomplete')
    await expect(page.locator('#files-section')).toContainText('The file explorer needs a complete scan')
    await page.screenshot({ path: 'test/e2e/screenshots/scan-cancelled.png', animations: 'disabled' })

    await bar.getByRole('button', { name: 'Start the scan again' }).click()
    await expect(bar).toHaveAttribute('data-state', /running|done/)
  } finally {
    await server.stop()
  }
})
