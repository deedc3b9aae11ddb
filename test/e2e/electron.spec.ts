// The desktop front door: the real Electron app, its window, what its preload exposes, and the
// main process's guards (navigation, windows, external links, IPC arguments, CSP). The same
// attacks run in chromium through `serve` in security.spec.ts.
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { _electron as electron, expect, test, type ElectronApplication, type Page } from '@playwright/test'
import type { LessonPart } from '../../src-main/engine/model'
import { OPERATIONS, type DockerfileCheck, type Result } from '../../src-preload/contract'
import { copyLessonApp } from '../fixtures/lesson-app'
import { expectHostileMetadataAsText, expectScriptsBlocked, FOREIGN, HOSTILE_IMAGE, injectScripts, watchCspViolations } from './security-probes'

const PROJECT_DIR = resolve(import.meta.dirname, '../..')
const MAIN_BUNDLE = resolve(PROJECT_DIR, 'out/main/index.js')

/** Why the Electron binary cannot run here, or null when it can. */
function electronMissingReason(): string | null {
  const pathFile = resolve(PROJECT_DIR, 'node_modules/electron/path.txt')
  if (!existsSync(pathFile)) {
    return 'The Electron binary is not installed: node_modules/electron/path.txt is missing (npm install ran with ELECTRON_SKIP_BINARY_DOWNLOAD=1). The browser tests drive the same renderer through `layerlens serve`.'
  }
  const binary = resolve(PROJECT_DIR, 'node_modules/electron/dist', readFileSync(pathFile, 'utf8').trim())
  if (!existsSync(binary)) {
    return `The Electron binary is not installed: ${binary} is missing (node_modules/electron/dist was not downloaded).`
  }
  return null
}

const missingReason = electronMissingReason()
// One app for the file: each test leaves the window on a page of its own choosing.
test.describe.configure({ mode: 'serial' })
test.beforeEach(() => test.skip(missingReason !== null, missingReason ?? ''))

let app: ElectronApplication
let page: Page
const cspReports: string[] = []
const dialogs: string[] = []

test.beforeAll(async () => {
  if (missingReason !== null) {
    // The list reporter shows no skip reasons: say it once here.
    console.log(`Skipping the Electron tests. ${missingReason}`)
    return
  }
  expect(existsSync(MAIN_BUNDLE), 'out/main/index.js exists (run `npm run build`)').toBe(true)
  // Chromium refuses to start its sandbox as root unless told to; CI containers run as root.
  const rootArgs = process.getuid?.() === 0 ? ['--no-sandbox'] : []
  app = await electron.launch({ args: [MAIN_BUNDLE, ...rootArgs], cwd: PROJECT_DIR })
  // Every external open is recorded instead of starting a browser.
  await app.evaluate(({ shell }) => {
    const opened: string[] = []
    ;(globalThis as { openedExternally?: string[] }).openedExternally = opened
    shell.openExternal = async (url: string) => {
      opened.push(url)
    }
  })
  page = await app.firstWindow()
  page.on('console', (message) => {
    if (/Refused to|violates the following Content Security Policy/.test(message.text())) cspReports.push(message.text())
  })
  page.on('dialog', (dialog) => {
    dialogs.push(dialog.message())
    void dialog.dismiss()
  })
})

test.afterAll(async () => {
  await app?.close()
})

const openedExternally = (): Promise<string[]> => app.evaluate(() => [...((globalThis as { openedExternally?: string[] }).openedExternally ?? [])])
const goTo = (hash: string): Promise<void> => page.evaluate((target) => void (window.location.hash = target), hash)

test('the desktop window lists images through a preload that exposes exactly the allowlist, and no Node', async () => {
  await expect(page.getByRole('heading', { name: /^Images/ })).toBeVisible()
  await expect(page.locator('.images-table tbody tr').first()).toBeVisible()

  const exposed = await page.evaluate(() => {
    const bridge = window.layerlens as unknown as Record<string, unknown> | undefined
    const scope = globalThis as Record<string, unknown>
    return {
      operations: bridge === undefined ? null : Object.keys(bridge).sort(),
      allFunctions: bridge !== undefined && Object.values(bridge).every((value) => typeof value === 'function'),
      node: ['require', 'process', 'module', 'Buffer', 'global', '__dirname'].filter((name) => typeof scope[name] !== 'undefined')
    }
  })
  expect(exposed.operations).toEqual([...OPERATIONS].sort())
  expect(exposed.allFunctions).toBe(true)
  expect(exposed.node).toEqual([])
  expect(cspReports).toEqual([])
})

test('main refuses IPC calls with bad arguments, and the bridge has nothing else to call', async () => {
  const results = await page.evaluate(async () => {
    // Typed as the renderer would never call it: what a compromised page could send.
    const bridge = window.layerlens as unknown as Record<string, (...args: unknown[]) => Promise<Result<unknown>>>
    return {
      wrongType: await bridge.analyzeImage!(42),
      traversal: await bridge.analyzeImage!('a/../../b'),
      objectForString: await bridge.startScan!({ ref: 'alpine' }),
      negativeLayer: await bridge.layerFiles!(`sha256:${'a'.repeat(64)}`, -1, 'layer'),
      unknownView: await bridge.layerFiles!(`sha256:${'a'.repeat(64)}`, 0, 'everything'),
      relativePath: await bridge.checkDockerfile!('Dockerfile', null),
      missing: await bridge.imageReport!(),
      unknownOperations: ['deleteImage', 'invoke', 'send', 'ipcRenderer'].filter((name) => name in bridge)
    }
  })
  const { unknownOperations, ...refusals } = results
  expect(unknownOperations).toEqual([])
  for (const [name, result] of Object.entries(refusals)) {
    expect(result, name).toMatchObject({ ok: false, error: { code: 'INVALID_ARGUMENT' } })
  }
})

test('the window neither navigates away nor opens windows: location, window.open, target=_blank', async () => {
  const start = page.url()
  expect(start).toMatch(/^file:\/\//)
  const windowsBefore = app.windows().length

  // Script already in the page (page.evaluate is not subject to the CSP) still cannot leave: will-navigate refuses.
  await page.evaluate((url) => void (window.location.href = url), `${FOREIGN}/navigated`)
  expect(await page.evaluate((url) => window.open(url), `${FOREIGN}/opened`)).toBeNull()
  await page.evaluate((url) => {
    const link = document.createElement('a')
    link.href = url
    link.target = '_blank'
    document.body.append(link)
    link.click()
    link.remove()
  }, `${FOREIGN}/link`)
  // A lesson site over http, or with credentials, is not a lesson link either.
  await page.evaluate(() => window.open('http://docs.docker.com/build/'))
  await page.evaluate(() => window.open('https://user@docs.docker.com/build/'))

  // A round trip through main after the attempts, so any of them it wrongly allowed has happened by now.
  await page.evaluate(() => window.layerlens!.listSamples())
  expect(page.url()).toBe(start)
  expect(app.windows()).toHaveLength(windowsBefore)
  expect(await openedExternally()).toEqual([])
})

test('a lesson link opens in the user’s browser through shell.openExternal, and only that', async () => {
  await goTo(`#/image/${encodeURIComponent(HOSTILE_IMAGE)}`)
  await page.getByRole('button', { name: 'Lesson: Run as an unprivileged user' }).first().click()
  const lesson = page.getByRole('dialog')
  const link = lesson.getByRole('link', { name: /^Learn more on docs\.docker\.com/ })
  const href = (await link.getAttribute('href'))!
  const lessonPart = await page.evaluate(async () => ((await window.layerlens!.lessonParts()) as Result<LessonPart[]>))
  expect(lessonPart.ok && lessonPart.value.some((part) => part.learnMore === href)).toBe(true)
  const windowsBefore = app.windows().length

  await link.click()
  await expect.poll(openedExternally).toEqual([href])
  expect(app.windows()).toHaveLength(windowsBefore)
  await lesson.getByRole('button', { name: 'Close the lesson' }).click()
})

test('the CSP blocks injected inline script, inline handlers and foreign scripts in the window', async () => {
  await page.evaluate(watchCspViolations)
  await injectScripts(page)
  await expectScriptsBlocked(page)
  expect(page.url()).toMatch(/^file:\/\//)
  // The planted elements stay in the page (outside React's root): a fresh load for the next tests.
  await page.reload()
  await expect(page.locator('#root')).not.toBeEmpty()
  cspReports.length = 0 // expected here; the other tests expect none
})

test('hostile metadata shows literally in the window: HTML and ANSI escapes run nothing', async () => {
  await goTo(`#/image/${encodeURIComponent(HOSTILE_IMAGE)}`)
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(HOSTILE_IMAGE)
  await expect(page.getByText('Layer contents read')).toBeVisible()
  await expectHostileMetadataAsText(page, dialogs)
  expect(cspReports).toEqual([])
})

test('the desktop app writes a Dockerfile fix only on confirm, keeping the original', async () => {
  const work = mkdtempSync(join(tmpdir(), 'layerlens-electron-fix-'))
  try {
    const appDir = copyLessonApp(work, 'app')
    const dockerfile = join(appDir, 'Dockerfile')
    const original = readFileSync(dockerfile, 'utf8')
    await goTo('#/dockerfile')
    const panel = page.locator('#dockerfile-section')
    await panel.getByLabel('Dockerfile path').fill(dockerfile)
    await panel.getByLabel('Build-context folder (optional)').fill(appDir)
    await panel.getByRole('button', { name: 'Check Dockerfile' }).click()
    const check = (await page.evaluate(
      async ([path, context]) => window.layerlens!.checkDockerfile(path!, context!),
      [dockerfile, appDir]
    )) as Result<DockerfileCheck>
    if (!check.ok) throw new Error(check.error.message)

    const fix = page.locator('#fix-section')
    await expect(fix.getByRole('note', { name: 'Patched files to copy' })).toHaveCount(0)
    await fix.getByRole('button', { name: 'Write these changes…' }).click()
    const dialog = page.getByRole('dialog', { name: 'Write these changes?' })
    await expect(dialog).toContainText(`${dockerfile}.orig`)
    expect(readFileSync(dockerfile, 'utf8')).toBe(original)
    await dialog.getByRole('button', { name: /^Write \d+ files?$/ }).click()

    await expect(fix.getByRole('status')).toContainText(`original kept as ${dockerfile}.orig`)
    expect(readFileSync(dockerfile, 'utf8')).toBe(check.value.fixes.dockerfile.patched)
    expect(readFileSync(`${dockerfile}.orig`, 'utf8')).toBe(original)
  } finally {
    rmSync(work, { recursive: true, force: true })
  }
})
