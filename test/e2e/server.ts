// Shared by the browser tests: where the server is, a typed call to its API, and a CSP watch.
import { expect, test as base, type Page } from '@playwright/test'
import type { FileRow, ImageAnalysis, ImageSummary, LessonPart } from '../../src-main/engine/model'
import type { Api, FileView, Result, ScanStatus } from '../../src-preload/contract'

export const SERVER_URL_VARIABLE = 'LAYERLENS_E2E_URL'

export function serverUrl(): URL {
  const url = process.env[SERVER_URL_VARIABLE]
  if (!url) throw new Error('The global setup did not start `layerlens serve`.')
  return new URL(url)
}

/** Asks the server directly, so tests compare the page with the data it was drawn from. */
export async function callApi<T>(operation: keyof Api, args: unknown[] = []): Promise<T> {
  const url = serverUrl()
  const response = await fetch(new URL(`/api/${operation}`, url), {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${url.searchParams.get('token')}` },
    body: JSON.stringify({ args })
  })
  const result = (await response.json()) as Result<T>
  if (!result.ok) throw new Error(`${operation} failed: ${result.error.message}`)
  return result.value
}

export const listImages = () => callApi<ImageSummary[]>('listImages')
export const analyzeImage = (ref: string) => callApi<ImageAnalysis>('analyzeImage', [ref])
export const lessonParts = () => callApi<LessonPart[]>('lessonParts')
export const layerFiles = (imageId: string, layerIndex: number, view: FileView) => callApi<FileRow[]>('layerFiles', [imageId, layerIndex, view])

/** Starts (or joins) the scan of `ref` and waits for its end, polling like the page does. */
export async function scanToEnd(ref: string): Promise<ScanStatus> {
  let status = await callApi<ScanStatus>('startScan', [ref])
  while (status.state === 'running') {
    await new Promise((resolveLater) => setTimeout(resolveLater, 300))
    status = await callApi<ScanStatus>('scanStatus', [status.imageId])
  }
  return status
}

export const SCREENSHOT_DIR = 'test/e2e/screenshots'

/**
 * Every test page records Content-Security-Policy violations (from the console and from the
 * `securitypolicyviolation` event) and fails the test if any happened.
 */
export const test = base.extend<{ cspViolations: string[] }>({
  cspViolations: [
    async ({ page }, use) => {
      const violations: string[] = []
      page.on('console', (message) => {
        const text = message.text()
        if (/Refused to|violates the following Content Security Policy|CSP violation/.test(text)) violations.push(text)
      })
      await page.addInitScript(() => {
        document.addEventListener('securitypolicyviolation', (event) => {
          console.error(`CSP violation: ${event.violatedDirective} blocked ${event.blockedURI || 'inline content'}`)
        })
      })
      await use(violations)
      expect(violations, 'Content-Security-Policy violations while using the app').toEqual([])
    },
    { auto: true }
  ]
})

export { expect }

export async function openApp(page: Page, hash = ''): Promise<void> {
  const url = serverUrl()
  url.hash = hash
  await page.goto(url.href)
}
