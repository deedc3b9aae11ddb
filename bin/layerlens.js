#!/usr/bin/env node
// Launcher for the bundled command line (out/main/cli.js, built by `npm run build`).
import { existsSync } from 'node:fs'
import { fileURLToPath } from 'node:url'

const cli = new URL('../out/main/cli.js', import.meta.url)

if (!existsSync(fileURLToPath(cli))) {
  const projectDir = fileURLToPath(new URL('..', import.meta.url))
  process.stderr.write(`layerlens: the command line is not built yet. Run \`npm run build\` in ${projectDir} first.\n`)
  process.exit(2)
}

await import(cli.href)
