#!/usr/bin/env node
// Builds scripts/samples/make.ts (with the service it uses) for plain node, then runs it.
import { resolve } from 'node:path'
import { build } from 'vite'

const here = import.meta.dirname
const outDir = resolve(here, '../../out/samples')
await build({
  configFile: false,
  logLevel: 'warn',
  build: { ssr: resolve(here, 'make.ts'), outDir, emptyOutDir: true, target: 'node20' }
})
await import(resolve(outDir, 'make.js'))
