#!/usr/bin/env node
// `npm start`: build, then open the desktop app; where no Electron binary is installed
// (headless hosts, CI images), open the same app through `layerlens serve` instead.
import { spawn, spawnSync } from 'node:child_process'
import { existsSync, readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

const root = join(dirname(fileURLToPath(import.meta.url)), '..')
const run = (command, args) => spawn(command, args, { cwd: root, stdio: 'inherit' }).on('exit', (code) => process.exit(code ?? 1))

const build = spawnSync(process.execPath, [join(root, 'node_modules/electron-vite/bin/electron-vite.js'), 'build'], { cwd: root, stdio: 'inherit' })
if (build.status !== 0) process.exit(build.status ?? 1)

function electronBinary() {
  try {
    const electronDir = dirname(createRequire(import.meta.url).resolve('electron/package.json'))
    const relativePath = readFileSync(join(electronDir, 'path.txt'), 'utf8').trim()
    const binary = join(electronDir, 'dist', relativePath)
    return existsSync(binary) ? binary : null
  } catch {
    return null
  }
}

const binary = electronBinary()
if (binary) {
  // The main process reads image exports: THROUGHPUT_GC_FLAG of src-main/garbage-collection.ts, which Electron
  // takes only on its command line.
  run(binary, ['--js-flags=--no-incremental-marking', root])
} else {
  console.log('The Electron binary is not installed here, so Layerlens opens in your browser instead.')
  run(process.execPath, [join(root, 'bin/layerlens.js'), 'serve', ...process.argv.slice(2)])
}
