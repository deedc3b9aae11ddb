// The desktop front door: the real Electron app, its window, and what its preload exposes.
import { existsSync, readFileSync } from 'node:fs'
import { resolve } from 'node:path'
import { _electron as electron, expect, test } from '@playwright/test'
import { OPERATIONS } from '../../src-preload/contract'

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
test.skip(missingReason !== null, missingReason ?? '')

test('the desktop window lists images through a preload that exposes only the contract', async () => {
  expect(existsSync(MAIN_BUNDLE), 'out/main/index.js exists (run `npm run build`)').toBe(true)
  // Chromium refuses to start its sandbox as root unless told to; CI containers run as root.
  const rootArgs = process.getuid?.() === 0 ? ['--no-sandbox'] : []
  const app = await electron.launch({ args: [MAIN_BUNDLE, ...rootArgs], cwd: PROJECT_DIR })
  try {
    const page = await app.firstWindow()
    const cspViolations: string[] = []
    page.on('console', (message) => {
      if (/Refused to|violates the following Content Security Policy/.test(message.text())) cspViolations.push(message.text())
    })

    await expect(page.getByRole('heading', { name: /^Images/ })).toBeVisible()
    await expect(page.locator('.images-table tbody tr').first()).toBeVisible()

    const exposed = await page.evaluate(() => {
      const bridge = window.layerlens as unknown as Record<string, unknown> | undefined
      return {
        operations: bridge === undefined ? null : Object.keys(bridge).sort(),
        allFunctions: bridge !== undefined && Object.values(bridge).every((value) => typeof value === 'function'),
        require: typeof (globalThis as { require?: unknown }).require,
        process: typeof (globalThis as { process?: unknown }).process
      }
    })
    expect(exposed.operations).toEqual([...OPERATIONS].sort())
    expect(exposed.allFunctions).toBe(true)
    expect(exposed.require).toBe('undefined')
    expect(exposed.process).toBe('undefined')
    expect(cspViolations).toEqual([])
  } finally {
    await app.close()
  }
})
