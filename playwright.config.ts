import { defineConfig } from '@playwright/test'

/** Debian's chromium; Playwright's own browser downloads are not used. */
const chromiumPath = process.env.LAYERLENS_CHROMIUM ?? '/usr/bin/chromium'

export default defineConfig({
  testDir: 'test/e2e',
  outputDir: 'test-results',
  globalSetup: './test/e2e/global-setup.ts',
  // One server and one real daemon: run the files one after the other.
  workers: 1,
  fullyParallel: false,
  forbidOnly: Boolean(process.env.CI),
  // Generous ceilings, not assertions: a cold analysis of a 1 GB image on a busy 2-core host can be slow.
  timeout: 120_000,
  expect: { timeout: 60_000 },
  reporter: [['list']],
  projects: [
    {
      name: 'browser',
      testIgnore: /electron\.spec\.ts$/,
      use: {
        browserName: 'chromium',
        viewport: { width: 1366, height: 900 },
        launchOptions: {
          executablePath: chromiumPath,
          args: [
            '--headless',
            '--no-sandbox',
            '--disable-gpu',
            '--disable-background-networking',
            '--disable-component-update',
            '--disable-sync',
            '--no-first-run'
          ]
        }
      }
    },
    {
      name: 'electron',
      testMatch: /electron\.spec\.ts$/
    }
  ]
})
