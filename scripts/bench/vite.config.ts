// Builds the bench (scripts/bench/run.ts with the service it measures) into out/bench for plain node.
import { resolve } from 'node:path'
import { defineConfig } from 'vite'

export default defineConfig({
  build: {
    ssr: resolve(import.meta.dirname, 'run.ts'),
    outDir: resolve(import.meta.dirname, '../../out/bench'),
    emptyOutDir: true,
    target: 'node20'
  }
})
