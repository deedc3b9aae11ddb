// The attacks both front doors must withstand, shared by security.spec.ts (chromium via serve)
// and electron.spec.ts (the desktop window): injected script, and hostile image metadata.
import { expect, type Page } from '@playwright/test'

/** Built by scripts/fixtures/build.sh from test/fixtures/apps/hostile-metadata. */
export const HOSTILE_IMAGE = 'layerlens-fixtures/contents-hostile-metadata:buildkit'
/** A host nothing may ever reach: tests route it to a failure and record each request. */
export const FOREIGN = 'https://evil.example'

const ESC = '\u001b'

/** Install before the page loads: collects each Content-Security-Policy violation as `directive blockedURI`. */
export function watchCspViolations(): void {
  const violations: string[] = []
  ;(window as unknown as { cspViolations: string[] }).cspViolations = violations
  document.addEventListener('securitypolicyviolation', (event) => violations.push(`${event.effectiveDirective} ${event.blockedURI}`))
}

/**
 * Plants what an attacker who got markup into the page would try: an inline script (which would
 * also leave the app), an inline event handler, a javascript: link and a foreign script.
 */
export async function injectScripts(page: Page): Promise<void> {
  await page.evaluate((foreign) => {
    const script = document.createElement('script')
    script.textContent = `window.ranInlineScript = true; location.href = "${foreign}/moved"`
    document.body.append(script)
    const holder = document.createElement('div')
    holder.innerHTML = '<img src="/no-such-image.png" onerror="window.ranInlineHandler = true">'
    document.body.append(holder)
    const link = document.createElement('a')
    link.setAttribute('href', 'javascript:window.ranJavascriptUrl = true')
    document.body.append(link)
    link.click()
    const foreignScript = document.createElement('script')
    foreignScript.src = `${foreign}/payload.js`
    document.body.append(foreignScript)
  }, FOREIGN)
}

/** After injectScripts: each attempt was refused by the CSP (and reported), and none ran. */
export async function expectScriptsBlocked(page: Page): Promise<void> {
  // The policy may come twice (a header and index.html's meta tag), and each copy reports: count kinds, not reports.
  const reported = () => page.evaluate(() => [...new Set((window as unknown as { cspViolations: string[] }).cspViolations)].sort())
  await expect.poll(reported).toEqual(['script-src-attr inline', `script-src-elem ${FOREIGN}/payload.js`, 'script-src-elem inline'])
  const ran = await page.evaluate(() => {
    const scope = window as unknown as Record<string, unknown>
    return [scope.ranInlineScript, scope.ranInlineHandler, scope.ranJavascriptUrl]
  })
  expect(ran).toEqual([undefined, undefined, undefined])
}

/**
 * On HOSTILE_IMAGE's page, once scanned: labels, Env, steps and CMD show their HTML and escape
 * sequences as text, nothing became markup, and no dialog opened (`dialogs` is what page.on('dialog') saw).
 */
export async function expectHostileMetadataAsText(page: Page, dialogs: readonly string[]): Promise<void> {
  const config = page.locator('#config-section')
  await expect(config).toBeVisible()
  const configText = (await config.textContent()) ?? ''
  // Escape sequences are spelled out (Cmd is shown as the JSON array it is, which spells them the same way).
  for (const value of [
    '<img src=x onerror=alert(1)>',
    "<script>alert('label')</script>",
    '\\u001b[31mred alert\\u001b[0m',
    '<b onmouseover=alert(2)>hello</b>',
    '\\u001b[31mred\\u001b[0m',
    `"echo '<script>alert(4)</script>' \\u001b[31m"`
  ]) {
    expect(configText, `the config panel shows ${JSON.stringify(value)} as text`).toContain(value)
  }
  expect(await page.locator('body').textContent(), 'no raw escape character reaches the page').not.toContain(ESC)
  const stepsText = (await page.locator('#steps-section').textContent()) ?? ''
  expect(stepsText).toContain("echo '<img src=x onerror=alert(3)>' > /hostile.html")
  expect(stepsText).toContain('<img src=x onerror=alert(1)>')
  expect((await page.locator('#findings-section').textContent()) ?? '').toContain('<script>alert(4)</script>')

  const markup = await page.evaluate(() => ({
    images: document.querySelectorAll('img[src="x"]').length,
    inlineScripts: [...document.querySelectorAll('script')].filter((script) => !script.src).length,
    handlers: document.querySelectorAll('[onerror], [onmouseover], [onload], [onclick]').length,
    bold: [...document.querySelectorAll('b')].filter((element) => element.textContent === 'hello').length
  }))
  expect(markup).toEqual({ images: 0, inlineScripts: 0, handlers: 0, bold: 0 })
  expect(dialogs).toEqual([])
}
