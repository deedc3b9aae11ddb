import { expect, test } from './server'
import { startServe } from './serve-process'

test('an unreachable engine shows what went wrong, how to fix it, and a Retry button', async ({ page }) => {
  const missingSocket = 'unix:///tmp/layerlens-e2e-no-engine-here.sock'
  const server = await startServe({ ...process.env, DOCKER_HOST: missingSocket })
  try {
    await page.goto(server.url)
    const alert = page.getByRole('alert')
    await expect(alert.getByRole('heading')).toHaveText('Layerlens cannot reach the container engine')
    await expect(alert).toContainText('/tmp/layerlens-e2e-no-engine-here.sock')
    await expect(alert.locator('.state-fix')).toContainText('How to fix it')
    await expect(alert.locator('.state-fix p')).not.toBeEmpty()
    await expect(page.locator('.engine-status')).toContainText('Not connected')

    await alert.getByRole('button', { name: 'Retry' }).click()
    await expect(page.getByRole('alert').getByRole('heading')).toHaveText('Layerlens cannot reach the container engine')
  } finally {
    await server.stop()
  }
})
