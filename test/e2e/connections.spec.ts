// The engine picker and live updates, in the browser against real engines: a `serve` of its own with a
// home folder of docker contexts, the shared daemon for tagging, and a daemon of its own to stop.
import { execFileSync } from 'node:child_process'
import { createHash, randomBytes } from 'node:crypto'
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { DisposableEngine } from '../integration/disposable-engine'
import { startServe, type ServeProcess } from './serve-process'
import { expect, openApp, SCREENSHOT_DIR, test } from './server'

const SMALL_IMAGE = 'layerlens-fixtures/debian:bookworm-slim'
const ENGINES: Array<{ name: string; host: string; version: string }> = JSON.parse(readFileSync('/run/layerlens/engines.json', 'utf8'))
const hostOf = (name: string): { host: string; version: string } => ENGINES.find((engine) => engine.name === name)!
const podman = ENGINES.find((engine) => engine.name.startsWith('podman'))!

function writeContext(configDir: string, name: string, host: string): void {
  const metaDir = join(configDir, 'contexts', 'meta', createHash('sha256').update(name).digest('hex'))
  mkdirSync(metaDir, { recursive: true })
  writeFileSync(join(metaDir, 'meta.json'), JSON.stringify({ Name: name, Metadata: {}, Endpoints: { docker: { Host: host, SkipTLSVerify: false } } }))
}

/** The environment of `serve` without any engine setting of the machine's own. */
function cleanEnvironment(extra: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const { DOCKER_HOST: _host, DOCKER_CONTEXT: _context, DOCKER_CONFIG: _config, ...rest } = process.env
  return { ...rest, ...extra }
}

test.describe('the engine picker', () => {
  let home: string
  let server: ServeProcess

  test.beforeAll(async () => {
    home = mkdtempSync(join(tmpdir(), 'layerlens-e2e-contexts-'))
    writeContext(join(home, '.docker'), 'docker26', hostOf('docker-26').host)
    writeContext(join(home, '.docker'), 'containerd-store', hostOf('docker-26-containerd').host)
    writeContext(join(home, '.docker'), 'build-box', 'ssh://deploy@build-box.example')
    server = await startServe(cleanEnvironment({ HOME: home }))
  })

  test.afterAll(async () => {
    await server?.stop()
    rmSync(home, { recursive: true, force: true })
  })

  test('lists the engines, shows the one in use, and switches every view to another', async ({ page }) => {
    await page.goto(server.url)
    const trigger = page.locator('.engine-trigger')
    await expect(trigger).toContainText(`Docker ${hostOf('docker-20.10').version}`)
    await expect(trigger).toContainText('unix:///var/run/docker.sock')
    await expect(page.locator('.image-row').first()).toBeVisible()

    await trigger.click()
    const menu = page.getByRole('menu', { name: 'Choose the engine' })
    const options = menu.getByRole('menuitemradio')
    await expect(options).toHaveCount(5)
    await expect(options.nth(0)).toContainText('Context “build-box”')
    await expect(options.nth(0)).toBeDisabled()
    await expect(options.nth(0)).toContainText('ssh://')
    await expect(options.nth(1)).toContainText(`Docker ${hostOf('docker-26-containerd').version}`)
    await expect(options.nth(3)).toHaveAttribute('aria-checked', 'true')
    await expect(options.nth(3)).toContainText('default')
    await expect(options.nth(4)).toContainText(`Podman ${podman.version}`)
    await page.screenshot({ path: `${SCREENSHOT_DIR}/connection-picker.png`, animations: 'disabled' })

    await options.nth(4).click()
    await expect(menu).toBeHidden()
    await expect(trigger).toContainText(`Podman ${podman.version}`)
    await expect(trigger).toContainText(podman.host)
    await expect(trigger).toContainText('chosen in Layerlens')
    await expect(page.locator('.image-row', { hasText: `localhost/${SMALL_IMAGE.split(':')[0]}` }).first()).toBeVisible()

    // Another page of the same server follows the choice: it lives in the service, not in the page.
    const second = await page.context().newPage()
    await second.goto(server.url)
    await expect(second.locator('.engine-trigger')).toContainText(`Podman ${podman.version}`)
    await second.close()

    await trigger.click()
    await menu.getByRole('menuitemradio', { name: /Context “docker26”/ }).click()
    await expect(trigger).toContainText(`Docker ${hostOf('docker-26').version}`)
    await expect(trigger).toContainText(hostOf('docker-26').host)
    await expect(trigger).toContainText('docker context “docker26”, chosen in Layerlens')
    await page.screenshot({ path: `${SCREENSHOT_DIR}/connection-picker-closed.png`, clip: { x: 0, y: 0, width: 1366, height: 160 }, animations: 'disabled' })
  })

  test('closes on Escape and gives the focus back', async ({ page }) => {
    await page.goto(server.url)
    const trigger = page.locator('.engine-trigger')
    await trigger.click()
    await expect(page.getByRole('menu')).toBeVisible()
    await page.keyboard.press('Escape')
    await expect(page.getByRole('menu')).toBeHidden()
    await expect(trigger).toBeFocused()
  })
})

test.describe('live updates', () => {
  const tag = `layerlens-e2e-live-${randomBytes(4).toString('hex')}`

  test.afterAll(() => {
    try {
      execFileSync('/usr/bin/docker', ['rmi', `${tag}:latest`], { stdio: 'ignore' })
    } catch {
      // The test removed it already.
    }
  })

  test('an image built and removed while the page is open comes and goes without Refresh', async ({ page }) => {
    await openApp(page)
    await expect(page.locator('.image-row').first()).toBeVisible()
    const row = page.locator('.image-row', { hasText: tag })
    await expect(row).toHaveCount(0)

    // A new image of its own, so its row shows this name (a row names only the first of an image's tags).
    execFileSync('/usr/bin/docker', ['build', '--quiet', '--tag', `${tag}:latest`, '-'], { input: `FROM ${SMALL_IMAGE}\nLABEL layerlens.test.run=${tag}\n` })
    await expect(row).toHaveCount(1)

    execFileSync('/usr/bin/docker', ['rmi', `${tag}:latest`])
    await expect(row).toHaveCount(0)
  })

  test('says when the engine is lost, counts the attempts, and recovers on its own', async ({ page }) => {
    // A daemon of its own to start, fill, kill and start again: slower than the other tests.
    test.setTimeout(300_000)
    const engine = await DisposableEngine.start()
    let server: ServeProcess | undefined
    try {
      engine.loadFrom20(SMALL_IMAGE)
      server = await startServe(cleanEnvironment({ DOCKER_HOST: engine.host }))
      let listReads = 0
      page.on('response', (response) => {
        if (response.url().endsWith('/api/listImages')) listReads += 1
      })
      await page.goto(server.url)
      const row = page.locator('.image-row', { hasText: SMALL_IMAGE.split(':')[0]! })
      await expect(row).toBeVisible()
      // Once the watch is connected the page reads the list again (it may have missed events): let that
      // read finish, so the list stays on screen, under the banner, while the engine is down.
      await expect.poll(() => listReads).toBeGreaterThanOrEqual(2)

      await engine.stop('SIGKILL')
      const banner = page.locator('.connection-banner')
      await expect(banner).toContainText(`Lost the engine at ${engine.host}; reconnecting`)
      await expect(banner).toContainText('(attempt 3)')
      await expect(page.locator('.engine-trigger .status-dot--warning')).toBeVisible()
      await page.screenshot({ path: `${SCREENSHOT_DIR}/connection-lost.png`, animations: 'disabled' })

      await engine.restart()
      await expect(banner).toBeHidden()
      await expect(row).toBeVisible()
      await expect(page.locator('.engine-trigger .status-dot--ok')).toBeVisible()
    } finally {
      await server?.stop()
      await engine.dispose()
    }
  })
})
