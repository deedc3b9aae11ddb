// `layerlens serve`: the built renderer and the API over HTTP, until interrupted.
import { spawn } from 'node:child_process'
import { existsSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import type { Api } from '../../src-preload/contract'
import { isLoopback, startServer } from '../server/index'

export interface ServeOptions {
  port: number
  host: string
  open: boolean
}

/** Where electron-vite puts the renderer, next to this bundle (out/main/cli.js → out/renderer). */
const defaultRendererDir = (): string => fileURLToPath(new URL('../renderer', import.meta.url))

export async function runServe(service: Api, options: ServeOptions): Promise<void> {
  const rendererDir = defaultRendererDir()
  if (!existsSync(rendererDir)) {
    throw new Error(`The app is not built (${rendererDir} is missing). Run \`npm run build\` first.`)
  }
  const server = await startServer({ service, rendererDir, port: options.port, host: options.host })
  process.stdout.write(`Layerlens is serving at ${server.url}\n`)
  if (!isLoopback(options.host)) {
    process.stdout.write(`Listening on ${options.host}: anyone who can reach it and has the address above can read your image metadata.\n`)
  }
  process.stdout.write('Press Ctrl+C to stop.\n')
  if (options.open) openInBrowser(server.url)

  await new Promise<void>((resolve) => {
    const stop = (): void => {
      process.off('SIGINT', stop)
      process.off('SIGTERM', stop)
      void server.close().then(resolve)
    }
    process.on('SIGINT', stop)
    process.on('SIGTERM', stop)
  })
}

// Best effort: on a headless host there is no browser, and the printed address is enough.
function openInBrowser(url: string): void {
  const [command, args] =
    process.platform === 'darwin' ? ['open', [url]] : process.platform === 'win32' ? ['cmd', ['/c', 'start', '""', url]] : ['xdg-open', [url]]
  const child = spawn(command, args, { detached: true, stdio: 'ignore' })
  child.on('error', () => undefined)
  child.unref()
}
