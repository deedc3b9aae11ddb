// Fix generation against the real daemon: build each app's original Dockerfile, generate the
// fix, write it the way the app would (Dockerfile.orig kept), build the patched Dockerfile,
// and compare. The python bases' pip.conf points at a loopback index on port 38765: the
// test serves its own there (scripts/fixtures/serve_index.py) with the stand-in packages.
import { execFile, spawn, type ChildProcess } from 'node:child_process'
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { createConnection } from 'node:net'
import { tmpdir } from 'node:os'
import { basename, join } from 'node:path'
import { promisify } from 'node:util'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { analyzeImage, localImageOf } from '../../src-main/engine'
import {
  checkBuildContext,
  dockerfileFindings,
  generateFixes,
  mapDockerfileToSteps,
  parseDockerfile,
} from '../../src-main/engine/dockerfile'
import type { RuleId } from '../../src-main/engine/model'
import { connect } from '../../src-main/sources/connection'
import { readContextDockerignore, walkContext, writeFixes } from '../../src-main/sources/context'
import { EngineSource } from '../../src-main/sources/docker'
import { FIXTURES, projectRoot, requireFixtureImages } from './support'

const run = promisify(execFile)
const DOCKER = '/usr/bin/docker'
const PYTHON = '/usr/bin/python3'
const INDEX_PORT = 38765
const PACKAGES = join(projectRoot, 'test/fixtures/packages')
const IMAGE = 'layerlens-test/dockerfile-fix'

interface App {
  name: string
  /** Copies the app into an empty folder, with its original Dockerfile as `Dockerfile`. */
  makeContext(folder: string): void
  findings: RuleId[]
}

const fixtureApp = (name: string, findings: RuleId[]): App => ({
  name,
  findings,
  makeContext: (folder) => cpSync(join(projectRoot, 'test/fixtures/dockerfiles', name), folder, { recursive: true }),
})

const APPS: App[] = [
  {
    name: 'lesson-fastapi',
    findings: ['root-user', 'bloated-base', 'copy-before-install', 'pip-cache', 'shell-form-cmd'],
    makeContext(folder) {
      const app = join(projectRoot, 'test/fixtures/apps/lesson-fastapi')
      cpSync(app, folder, { recursive: true, filter: (source) => !/Dockerfile\.|\.dockerignore$|__pycache__/.test(basename(source)) })
      writeFileSync(join(folder, 'Dockerfile'), readFileSync(join(app, 'Dockerfile.before')))
      writeFileSync(join(folder, '.env'), 'SECRET_KEY=layerlens-fixture-secret\n')
    },
  },
  fixtureApp('flask-gunicorn', ['root-user', 'bloated-base', 'copy-before-install', 'pip-cache', 'shell-form-cmd']),
  fixtureApp('c-extension', ['root-user', 'bloated-base', 'apt-lists', 'copy-before-install', 'pip-cache', 'shell-form-cmd']),
]

let work: string
let index: ChildProcess | undefined
const engine = new EngineSource(connect())

async function dockerBuild(context: string, tag: string): Promise<void> {
  try {
    await run(DOCKER, ['build', '--network', 'host', '-t', tag, context], {
      env: { ...process.env, DOCKER_BUILDKIT: '1', BUILDKIT_PROGRESS: 'plain' },
      maxBuffer: 64 * 1024 * 1024,
    })
  } catch (error) {
    const failed = error as { stdout?: string; stderr?: string }
    throw new Error(`docker build of ${tag} failed:\n${(failed.stderr ?? '').split('\n').slice(-40).join('\n')}`)
  }
}

const dockerRun = async (...args: string[]): Promise<string> => (await run(DOCKER, ['run', '--rm', '--network', 'none', ...args])).stdout.trim()

async function analyze(ref: string) {
  const bases = await Promise.all(
    [FIXTURES.python, FIXTURES.pythonSlim].map(async (base) => localImageOf(await engine.inspectImage(base), await engine.imageHistory(base))),
  )
  return analyzeImage({ inspect: await engine.inspectImage(ref), history: await engine.imageHistory(ref), localImages: bases })
}

/** sdists and wheels of the stand-ins, as scripts/fixtures/build.sh makes them; some packages only as sdists. */
async function buildIndex(folder: string): Promise<void> {
  const files = join(folder, 'files')
  mkdirSync(files, { recursive: true })
  const packages: Array<{ name: string; wheel: boolean }> = [
    { name: 'fastapi', wheel: true },
    { name: 'uvicorn', wheel: true },
    { name: 'flask', wheel: true },
    { name: 'gunicorn', wheel: true },
    { name: 'layerlens-fixture-padding', wheel: false },
    { name: 'layerlens-fixture-cext', wheel: false },
  ]
  for (const { name, wheel } of packages) {
    const source = join(folder, 'src', name)
    cpSync(join(PACKAGES, name), source, { recursive: true })
    if (existsSync(join(source, 'make_padding.py'))) await run(PYTHON, [join(source, 'make_padding.py'), source])
    await run(PYTHON, ['setup.py', '-q', 'sdist', '-d', files], { cwd: source })
    if (wheel) await run(PYTHON, ['-m', 'pip', 'wheel', '-q', '--no-deps', '--no-build-isolation', '-w', files, source])
  }
  const links: string[] = []
  for (const { name } of packages) {
    const own = readdirSync(files).filter((file) => file.startsWith(`${name}-0.0.1`) || file.startsWith(`${name.replace(/-/g, '_')}-0.0.1`))
    mkdirSync(join(folder, 'simple', name), { recursive: true })
    writeFileSync(join(folder, 'simple', name, 'index.html'), own.map((file) => `<a href="../../files/${file}">${file}</a><br>`).join('\n'))
    links.push(`<a href="${name}/">${name}</a><br>`)
  }
  writeFileSync(join(folder, 'simple', 'index.html'), links.join('\n'))
}

const portAnswers = (port: number): Promise<boolean> =>
  new Promise((resolve) => {
    const socket = createConnection({ host: '127.0.0.1', port })
    socket.once('connect', () => {
      socket.destroy()
      resolve(true)
    })
    socket.once('error', () => resolve(false))
  })

async function startIndex(folder: string): Promise<ChildProcess> {
  if (await portAnswers(INDEX_PORT)) throw new Error(`Port ${INDEX_PORT} is taken (is scripts/fixtures/build.sh running?); the fix builds need their own index there.`)
  const child = spawn(PYTHON, [join(projectRoot, 'scripts/fixtures/serve_index.py'), folder, String(INDEX_PORT)], { stdio: 'ignore' })
  while (!(await portAnswers(INDEX_PORT))) {
    if (child.exitCode !== null) throw new Error('serve_index.py exited before it answered')
    await new Promise((resolve) => setTimeout(resolve, 100))
  }
  return child
}

beforeAll(async () => {
  await requireFixtureImages()
  work = mkdtempSync(join(tmpdir(), 'layerlens-dockerfile-fix-'))
  await buildIndex(join(work, 'index'))
  index = await startIndex(join(work, 'index'))
})

afterAll(async () => {
  index?.kill()
  for (const app of APPS) {
    await run(DOCKER, ['rmi', '-f', `${IMAGE}-${app.name}:original`, `${IMAGE}-${app.name}:patched`]).catch(() => undefined)
  }
  if (work) rmSync(work, { recursive: true, force: true })
})

describe.each(APPS)('fixing $name', (app) => {
  it('builds the original and the patched Dockerfile; the patched image is smaller, its findings gone, every step linked', async () => {
    const context = join(work, app.name)
    app.makeContext(context)
    const dockerfilePath = join(context, 'Dockerfile')
    const original = parseDockerfile(readFileSync(dockerfilePath, 'utf8'))
    const findings = dockerfileFindings(original)
    expect(findings.map((finding) => finding.rule)).toEqual(app.findings)

    await dockerBuild(context, `${IMAGE}-${app.name}:original`)
    const before = await analyze(`${IMAGE}-${app.name}:original`)
    const beforeLinks = mapDockerfileToSteps(original, before.steps).steps.filter((link) => link.kind !== 'base')
    expect(beforeLinks.map((link) => link.kind)).toEqual(beforeLinks.map(() => 'exact'))

    const report = checkBuildContext(await walkContext(context), await readContextDockerignore(context))
    const plan = generateFixes(original, findings, { context: report, dockerignore: null })
    expect(plan.unfixed).toEqual([])
    const targets = [{ path: dockerfilePath, file: plan.dockerfile }]
    if (plan.dockerignore) targets.push({ path: join(context, '.dockerignore'), file: plan.dockerignore })
    await writeFixes(targets)
    expect(readFileSync(join(context, 'Dockerfile.orig'), 'utf8')).toBe(original.text)

    const patched = parseDockerfile(readFileSync(dockerfilePath, 'utf8'))
    expect(dockerfileFindings(patched)).toEqual([])
    await dockerBuild(context, `${IMAGE}-${app.name}:patched`)
    const after = await analyze(`${IMAGE}-${app.name}:patched`)
    expect(after.image.size).toBeLessThan(before.image.size / 3)
    const afterLinks = mapDockerfileToSteps(patched, after.steps).steps.filter((link) => link.kind !== 'base')
    expect(afterLinks.map((link) => link.kind)).toEqual(afterLinks.map(() => 'exact'))
    expect(afterLinks.length).toBeGreaterThan(0)

    expect(await dockerRun('--entrypoint', 'id', `${IMAGE}-${app.name}:patched`, '-un')).toBe('appuser')
    if (app.name === 'c-extension') expect(await dockerRun(`${IMAGE}-${app.name}:patched`)).toMatch(/^checksum: \d+$/)
  })
})
