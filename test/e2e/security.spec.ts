// The renderer's side of the hardening, in chromium through `layerlens serve`: no Node in the page,
// the API's allowlist and argument checks as the page meets them, no navigation or window away
// from the app (but lesson links), the CSP against injected script, and hostile image metadata
// shown as text. test/e2e/electron.spec.ts proves the same in the desktop app.
import { test as plain, type Page } from '@playwright/test'
import type { LessonPart } from '../../src-main/engine/model'
import { isLessonLink, type Result } from '../../src-preload/contract'
import { expectHostileMetadataAsText, expectScriptsBlocked, FOREIGN, HOSTILE_IMAGE, injectScripts, watchCspViolations } from './security-probes'
import { analyzeImage, callApi, expect, lessonParts, openApp, scanToEnd, SCREENSHOT_DIR, serverUrl, test } from './server'

/** Calls the API from inside the page, the way injected script would: same origin, the session cookie. */
function callFromPage(page: Page, operation: string, body: unknown): Promise<Result<unknown>> {
  return page.evaluate(
    async ({ operation, body }) => (await (await fetch(`/api/${operation}`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) })).json()) as Result<unknown>,
    { operation, body }
  )
}

/** Every request to another origin fails here, and is recorded: the page must not make any. */
async function recordForeignRequests(page: Page): Promise<string[]> {
  const requested: string[] = []
  await page.context().route(`${FOREIGN}/**`, (route) => {
    requested.push(route.request().url())
    return route.abort()
  })
  return requested
}

test('the page has no Node: no require, process, module or Buffer, and no bridge in a browser', async ({ page }) => {
  await openApp(page, '#/')
  await expect(page.getByRole('heading', { name: /^Images/ })).toBeVisible()
  const globals = await page.evaluate(() => {
    const scope = globalThis as Record<string, unknown>
    return ['require', 'process', 'module', 'Buffer', 'global', 'layerlens', '__dirname'].map((name) => [name, typeof scope[name]])
  })
  expect(globals).toEqual(['require', 'process', 'module', 'Buffer', 'global', 'layerlens', '__dirname'].map((name) => [name, 'undefined']))
})

test('from inside the page, unknown operations and bad arguments are refused by the server', async ({ page }) => {
  await openApp(page, '#/')
  await expect(page.getByRole('heading', { name: /^Images/ })).toBeVisible()
  expect(await callFromPage(page, 'listSamples', { args: [] })).toMatchObject({ ok: true })

  for (const unknown of ['deleteImage', 'constructor', 'runContainer']) {
    expect(await callFromPage(page, unknown, { args: [] }), unknown).toMatchObject({ ok: false, error: { code: 'INVALID_ARGUMENT', message: expect.stringContaining('There is no operation') } })
  }
  const badCalls: Array<[string, unknown]> = [
    ['analyzeImage', { args: [{ toString: 'alpine' }] }],
    ['analyzeImage', { args: ['alpine', '--extra'] }],
    ['startScan', { args: ['a/../../b'] }],
    ['layerFiles', { args: ['sha256:nope', 0, 'layer'] }],
    ['checkDockerfile', { args: ['Dockerfile', null] }],
    ['openSnapshot', { args: [42] }],
    ['openArchive', { args: ['image.tar'] }]
  ]
  for (const [operation, body] of badCalls) {
    expect(await callFromPage(page, operation, body), `${operation} ${JSON.stringify(body)}`).toMatchObject({ ok: false, error: { code: 'INVALID_ARGUMENT' } })
  }
  // And the one writing operation, whatever its arguments.
  expect(await callFromPage(page, 'applyFixes', { args: [null, '/tmp/Dockerfile', null, '0'.repeat(64)] })).toMatchObject({ ok: false, error: { code: 'READ_ONLY' } })
})

test('the page neither navigates away nor opens windows: window.open, target=_blank and plain foreign links', async ({ page }) => {
  const requested = await recordForeignRequests(page)
  const popups: string[] = []
  page.context().on('page', (popup) => popups.push(popup.url()))
  await openApp(page, '#/')
  await expect(page.getByRole('heading', { name: /^Images/ })).toBeVisible()
  const appUrl = page.url()

  expect(await page.evaluate((url) => window.open(url) === null, `${FOREIGN}/opened`)).toBe(true)
  for (const target of ['_blank', '_self', '_top', '']) {
    await page.evaluate(
      ({ url, target }) => {
        const link = document.createElement('a')
        link.href = url
        link.target = target
        link.textContent = 'injected link'
        document.body.append(link)
        link.click()
        link.dispatchEvent(new MouseEvent('auxclick', { button: 1, bubbles: true, cancelable: true }))
        link.remove()
      },
      { url: `${FOREIGN}/link${target}`, target }
    )
  }
  // The app still works after all that: its own routes are hash links.
  await page.getByRole('link', { name: 'Samples' }).click()
  await expect(page).toHaveURL(/#\/samples$/)
  expect(new URL(page.url()).origin).toBe(new URL(appUrl).origin)
  expect(popups).toEqual([])
  expect(requested).toEqual([])
})

test('a lesson link opens its https page in a new tab, with no opener and no referrer', async ({ page }) => {
  const parts = await lessonParts()
  const part = parts.find((candidate) => candidate.id === 'non-root-user') as LessonPart
  expect(isLessonLink(part.learnMore!)).toBe(true)
  // Answer the docs page here, so the test needs no network and sees what the new tab received.
  let referer: string | undefined = 'not requested'
  await page.context().route(part.learnMore!.replace(/#.*$/, ''), (route) => {
    referer = route.request().headers()['referer']
    return route.fulfill({ contentType: 'text/html', body: '<title>Docker docs</title>' })
  })

  await openApp(page, `#/image/${encodeURIComponent(HOSTILE_IMAGE)}`)
  await page.getByRole('button', { name: 'Lesson: Run as an unprivileged user' }).first().click()
  const lesson = page.getByRole('dialog', { name: part.title })
  const link = lesson.getByRole('link', { name: /^Learn more on docs\.docker\.com/ })
  await expect(link).toHaveAttribute('href', part.learnMore!)
  await expect(link).toHaveAttribute('target', '_blank')
  await expect(link).toHaveAttribute('rel', 'noopener noreferrer')
  await lesson.screenshot({ path: `${SCREENSHOT_DIR}/lesson-link.png`, animations: 'disabled' })

  const [tab] = await Promise.all([page.context().waitForEvent('page'), link.click()])
  await tab.waitForLoadState()
  expect(tab.url()).toBe(part.learnMore)
  expect(await tab.evaluate(() => window.opener)).toBeNull()
  expect(referer).toBeUndefined()
  await tab.close()
})

plain('the CSP blocks injected inline script, inline handlers and foreign scripts, and reports each; a javascript: link runs nothing', async ({ page }) => {
  const requested = await recordForeignRequests(page)
  await page.addInitScript(watchCspViolations)
  const url = serverUrl()
  url.hash = '#/'
  await page.goto(url.href)
  await expect(page.getByRole('heading', { name: /^Images/ })).toBeVisible()

  await injectScripts(page)
  await expectScriptsBlocked(page)
  expect(new URL(page.url()).origin).toBe(url.origin)
  expect(requested).toEqual([])
})

test('hostile metadata shows literally: HTML and ANSI escapes in labels, Env, steps and CMD run nothing', async ({ page }) => {
  const dialogs: string[] = []
  page.on('dialog', (dialog) => {
    dialogs.push(dialog.message())
    void dialog.dismiss()
  })
  const labels = (await analyzeImage(HOSTILE_IMAGE)).config.labels
  expect(labels['org.opencontainers.image.title']).toBe('<img src=x onerror=alert(1)>')
  expect(labels['layerlens.test.ansi']).toBe('\u001b[31mred alert\u001b[0m')

  // From the image list, where its row is, to its page.
  await openApp(page, '#/')
  await page.getByLabel('Search images by name, tag or id').fill('hostile')
  const row = page.getByRole('row', { name: `Open ${HOSTILE_IMAGE}` })
  await expect(row).toBeVisible()
  await row.click()
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(HOSTILE_IMAGE)
  const { imageId } = await scanToEnd(HOSTILE_IMAGE)
  await expectHostileMetadataAsText(page, dialogs)

  const config = page.locator('#config-section')
  await config.scrollIntoViewIfNeeded()
  await config.screenshot({ path: `${SCREENSHOT_DIR}/hostile-metadata.png`, animations: 'disabled' })

  // The saved report escapes it too.
  const html = await callApi<string>('imageReport', [imageId, 'html'])
  expect(html).not.toContain('<img src=x')
  expect(html).not.toContain('<script>alert')
  expect(html).toContain('&lt;img src=x onerror=alert(3)&gt;')
  expect(html).toContain('&lt;script&gt;alert(4)&lt;/script&gt;')
  expect(html).not.toContain('\u001b')
})
