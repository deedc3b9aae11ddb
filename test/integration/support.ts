// Shared by the integration tests: the real fixture images, the docker CLI as an independent
// witness, and the built command line.
import { execFileSync, spawn } from 'node:child_process'
import { existsSync } from 'node:fs'
import { resolve } from 'node:path'
import { connect } from '../../src-main/sources/connection'
import { EngineSource } from '../../src-main/sources/docker'
import { SourceError } from '../../src-main/sources/errors'
import type { RuleId } from '../../src-main/engine/model'
import type { Result } from '../../src-preload/contract'

export const projectRoot = resolve(__dirname, '../..')

/** The findings of the lesson's "before" image once its layers are read, in rule-id order. */
export const LESSON_BEFORE_RULES: readonly RuleId[] = [
  'bloated-base',
  'context-leak',
  'copy-before-install',
  'no-expose',
  'no-healthcheck',
  'pip-cache',
  'root-user',
  'secret-file',
  'setuid-files',
  'shell-form-cmd'
]

export const FIXTURES = {
  python: 'layerlens-fixtures/python:3.11',
  pythonSlim: 'layerlens-fixtures/python:3.11-slim',
  beforeClassic: 'layerlens-fixtures/lesson-before:classic',
  beforeBuildkit: 'layerlens-fixtures/lesson-before:buildkit',
  afterClassic: 'layerlens-fixtures/lesson-after:classic',
  afterBuildkit: 'layerlens-fixtures/lesson-after:buildkit'
} as const

/** The value of a service result, or a failure that names the error. */
/** `what` names the call in the error, for tests that make many. */
export function valueOf<T>(result: Result<T>, what = 'expected success'): T {
  if (!result.ok) throw new Error(`${what}: ${result.error.code}: ${result.error.message} ${result.error.fix}`)
  return result.value
}

/** Fails (never skips) when the fixture images are not on the engine, and says how to make them. */
export async function requireFixtureImages(): Promise<void> {
  let engine: EngineSource
  try {
    engine = new EngineSource(connect())
    await engine.engineInfo()
  } catch (error) {
    const reason = error instanceof SourceError ? `${error.apiError.message} ${error.apiError.fix}` : String(error)
    throw new Error(`The integration tests need a running engine with the fixture images. ${reason}`)
  }
  const missing: string[] = []
  for (const ref of Object.values(FIXTURES)) {
    try {
      await engine.inspectImage(ref)
    } catch (error) {
      if (error instanceof SourceError && error.apiError.code === 'IMAGE_NOT_FOUND') missing.push(ref)
      else throw error
    }
  }
  if (missing.length > 0) {
    throw new Error(`Fixture images missing: ${missing.join(', ')}. Build them with \`npm run fixtures\` (needs the Docker daemon and Debian's apt mirror).`)
  }
}

const dockerCli = existsSync('/usr/bin/docker') ? '/usr/bin/docker' : 'docker'

/** Asks the docker CLI, not Layerlens, so the tests have a witness of their own. */
export function dockerCliFormat(args: string[], format: string): string {
  return execFileSync(dockerCli, [...args, '--format', format], { encoding: 'utf8' }).trim()
}

export const builtCli = resolve(projectRoot, 'out/main/cli.js')
export const launcher = resolve(projectRoot, 'bin/layerlens.js')

export function requireBuiltCli(): void {
  if (!existsSync(builtCli)) throw new Error(`${builtCli} is missing: run \`npm run build\` (or \`npx electron-vite build\`) before the CLI tests.`)
}

export interface CliRun {
  exitCode: number | null
  stdout: string
  stderr: string
}

export interface CliRunOptions {
  env?: NodeJS.ProcessEnv
  /** Run as another user (needs root), e.g. to meet a socket we may not open. */
  asUid?: number
}

/** Runs `node bin/layerlens.js ARGS…` to its end. */
export function runCli(args: string[], options: CliRunOptions = {}): Promise<CliRun> {
  const command = [process.execPath, launcher, ...args]
  const [file, ...fileArgs] =
    options.asUid === undefined ? command : ['setpriv', `--reuid=${options.asUid}`, `--regid=${options.asUid}`, '--clear-groups', ...command]
  return new Promise((resolvePromise, reject) => {
    const child = spawn(file as string, fileArgs, { cwd: projectRoot, env: options.env ?? process.env })
    let stdout = ''
    let stderr = ''
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()))
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()))
    child.on('error', reject)
    child.on('close', (exitCode) => resolvePromise({ exitCode, stdout, stderr }))
  })
}
