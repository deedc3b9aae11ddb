// Runs `node bin/layerlens.js serve` as a child process and reads the address it prints.
import { spawn } from 'node:child_process'
import { resolve } from 'node:path'

const PROJECT_DIR = resolve(import.meta.dirname, '../..')
const URL_PATTERN = /http:\/\/127\.0\.0\.1:\d+\/\?token=[A-Za-z0-9_-]+/

export interface ServeProcess {
  /** The address with its `?token=`. */
  url: string
  /** Everything the process printed so far, stdout and stderr. */
  output(): string
  stop(): Promise<void>
}

export async function startServe(environment: NodeJS.ProcessEnv = process.env): Promise<ServeProcess> {
  const server = spawn(process.execPath, ['bin/layerlens.js', 'serve', '--port', '0', '--no-open'], {
    cwd: PROJECT_DIR,
    env: environment,
    stdio: ['ignore', 'pipe', 'pipe']
  })

  let output = ''
  const url = await new Promise<string>((resolveUrl, reject) => {
    const collect = (chunk: Buffer) => {
      output += chunk.toString('utf8')
      const match = URL_PATTERN.exec(output)
      if (match) resolveUrl(match[0])
    }
    server.stdout.on('data', collect)
    server.stderr.on('data', collect)
    server.once('error', reject)
    server.once('exit', (code) => reject(new Error(`\`layerlens serve\` exited with code ${code} before printing its address:\n${output}`)))
  })

  return {
    url,
    output: () => output,
    stop: async () => {
      if (server.exitCode !== null || server.signalCode !== null) return
      const exited = new Promise((resolveExit) => server.once('exit', resolveExit))
      server.kill('SIGTERM')
      await exited
    }
  }
}
