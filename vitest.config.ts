import { defineConfig } from 'vitest/config'

export default defineConfig({
  test: {
    include: ['test/unit/**/*.test.ts', 'test/integration/**/*.test.ts'],
    // Integration tests talk to a real daemon; a cold analysis can take a while on 2 cores.
    testTimeout: 120_000,
    hookTimeout: 600_000
  }
})
