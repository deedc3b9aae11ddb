// Calls an exported function of a source module in a child process that is killed after a time limit. For
// inputs that once took quadratic time: on a regression the test fails at the limit instead of hanging the
// run, as it would in-process (a synchronous regular expression cannot be interrupted).
import { spawnSync } from 'node:child_process'
import { fileURLToPath } from 'node:url'

const REPO_ROOT = fileURLToPath(new URL('../../../', import.meta.url))

// vite's module runner loads the TypeScript source as vitest does.
const CHILD = `
const { runnerImport } = await import('vite')
const input = []
for await (const chunk of process.stdin) input.push(chunk)
const { modulePath, exportName, calls } = JSON.parse(Buffer.concat(input).toString('utf8'))
const { module } = await runnerImport(modulePath)
for (const args of calls) await module[exportName](...args)
`

/** True when the calls, one per argument list, returned (or resolved) before the limit; a throw in the child fails the test with its message. */
export function returnsWithin(limitSeconds: number, module: URL, exportName: string, calls: ReadonlyArray<readonly unknown[]>): boolean {
  const result = spawnSync(process.execPath, ['--input-type=module', '-e', CHILD], {
    cwd: REPO_ROOT,
    input: JSON.stringify({ modulePath: fileURLToPath(module), exportName, calls }),
    timeout: limitSeconds * 1000,
    encoding: 'utf8'
  })
  if (result.signal !== null) return false
  if (result.status !== 0) throw new Error(`The child failed: ${result.stderr}`)
  return true
}
