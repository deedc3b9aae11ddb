// The built command line (`node bin/layerlens.js …`) against the real daemon and fixture images.
import { spawn } from 'node:child_process'
import { beforeAll, describe, expect, it } from 'vitest'
import type { AuditReport } from '../../src-main/engine/reports'
import { createService } from '../../src-main/service'
import type { EngineInfo, Result } from '../../src-preload/contract'
import { version } from '../../package.json'
import { FIXTURES, LESSON_BEFORE_RULES, launcher, projectRoot, requireBuiltCli, requireFixtureImages, runCli } from './support'

beforeAll(async () => {
  requireBuiltCli()
  await requireFixtureImages()
})

const rulesOf = (report: AuditReport, index = 0): string[] => {
  const image = report.images[index]
  if (image?.status !== 'analyzed') throw new Error(`image ${index} was not analysed: ${JSON.stringify(image)}`)
  return image.analysis.findings.map((finding) => finding.rule).sort()
}

describe('layerlens audit', () => {
  it('fails the "before" image at the default threshold, with the file-level findings as JSON', async () => {
    const run = await runCli(['audit', FIXTURES.beforeBuildkit, '--json'])
    expect(run.stderr).toBe('')
    expect(run.exitCode).toBe(1)
    const report = JSON.parse(run.stdout) as AuditReport
    expect(report).toMatchObject({ schemaVersion: '1', tool: { name: 'layerlens', version }, exitCode: 1 })
    expect(report.images).toHaveLength(1)
    expect(report.images[0]).toMatchObject({ ref: FIXTURES.beforeBuildkit, status: 'analyzed' })
    expect(rulesOf(report)).toEqual(LESSON_BEFORE_RULES)
    const image = report.images[0]!
    if (image.status !== 'analyzed') throw new Error('not analysed')
    expect(image.analysis.findings.find((finding) => finding.rule === 'pip-cache')?.confidence).toBe('confirmed')
    expect(image.contents?.shippedBytes).toBe(image.contents!.finalBytes + image.contents!.reclaimableBytes)
  })

  it('reads config and history only with --no-files', async () => {
    const run = await runCli(['audit', FIXTURES.beforeBuildkit, '--json', '--no-files'])
    expect(run.exitCode).toBe(1)
    const report = JSON.parse(run.stdout) as AuditReport
    expect(rulesOf(report)).toEqual(['bloated-base', 'copy-before-install', 'no-expose', 'no-healthcheck', 'pip-cache', 'root-user', 'shell-form-cmd'])
    expect(report.images[0]).not.toHaveProperty('contents')
  })

  it('passes the "after" image with --fail-on high', async () => {
    const run = await runCli(['audit', FIXTURES.afterBuildkit, '--fail-on', 'high'])
    expect(run.exitCode).toBe(0)
    expect(run.stdout).toContain(FIXTURES.afterBuildkit)
    expect(run.stdout).toContain('no-healthcheck')
    expect(run.stdout).toContain('setuid-files')
    expect(run.stdout).toContain('2 findings: 2 info')
  })

  it('fails the "after" image once the threshold reaches its informational finding', async () => {
    expect((await runCli(['audit', FIXTURES.afterClassic, '--fail-on', 'info'])).exitCode).toBe(1)
    expect((await runCli(['audit', FIXTURES.beforeClassic, '--fail-on', 'none'])).exitCode).toBe(0)
  })

  it('prints a text report grouped by severity, with the fix and the lesson part', async () => {
    const run = await runCli(['audit', FIXTURES.beforeClassic])
    expect(run.exitCode).toBe(1)
    const text = run.stdout
    expect(text).toContain(`${FIXTURES.beforeClassic}  (`)
    expect(text).toContain(`Base: ${FIXTURES.python} (python-full`)
    const order = ['HIGH     root-user', 'MEDIUM   ', 'INFO     no-']
    const positions = order.map((marker) => text.indexOf(marker))
    expect(positions.every((position) => position >= 0)).toBe(true)
    expect([...positions].sort((a, b) => a - b)).toEqual(positions)
    expect(text).toContain('- CMD uvicorn main:app --host 0.0.0.0 --port 8000')
    expect(text).toContain('+ CMD ["uvicorn", "main:app", "--host", "0.0.0.0", "--port", "8000"]')
    const lessons = await createService().lessonParts()
    if (!lessons.ok) throw new Error(lessons.error.message)
    expect(text).toContain(`Lesson: ${lessons.value.find((part) => part.id === 'cmd-form')!.title}`)
    expect(text).toContain('10 findings: 2 high, 5 medium, 3 info')
  })

  it('audits several images in one run and reports the worst', async () => {
    const run = await runCli(['audit', FIXTURES.afterClassic, FIXTURES.beforeClassic, '--json'])
    expect(run.exitCode).toBe(1)
    const report = JSON.parse(run.stdout) as AuditReport
    expect(report.images.map((image) => [image.ref, image.status])).toEqual([
      [FIXTURES.afterClassic, 'analyzed'],
      [FIXTURES.beforeClassic, 'analyzed']
    ])
    expect(rulesOf(report, 0)).toEqual(['no-healthcheck', 'setuid-files'])
  })

  it('exits 3 with the error and its fix when an image is missing', async () => {
    const run = await runCli(['audit', 'layerlens-fixtures/no-such-image:never'])
    expect(run.exitCode).toBe(3)
    expect(run.stdout).toBe('')
    expect(run.stderr).toContain('There is no image "layerlens-fixtures/no-such-image:never" on this engine.')
    expect(run.stderr).toContain('Fix: List the local images with `docker images`')
    expect(run.stderr).toContain('(IMAGE_NOT_FOUND)')
  })

  it('exits 3 when the engine is not there, naming the address and how to start it', async () => {
    const run = await runCli(['audit', FIXTURES.beforeClassic], { env: { ...process.env, DOCKER_HOST: 'unix:///nonexistent/docker.sock' } })
    expect(run.exitCode).toBe(3)
    expect(run.stderr).toContain('Docker is not running at unix:///nonexistent/docker.sock (from DOCKER_HOST).')
    expect(run.stderr).toContain('sudo systemctl start docker')
  })

  it('exits 3 on a garbage DOCKER_HOST, saying what it read', async () => {
    const run = await runCli(['audit', '--json', FIXTURES.beforeClassic], { env: { ...process.env, DOCKER_HOST: 'carrier-pigeon://loft' } })
    expect(run.exitCode).toBe(3)
    const report = JSON.parse(run.stdout) as AuditReport
    expect(report.images[0]).toMatchObject({ status: 'failed', error: { code: 'BAD_DOCKER_HOST' } })
    expect(run.stderr).toContain('DOCKER_HOST is set to "carrier-pigeon://loft"')
  })

  it.each([
    [['audit'], 'Name at least one image'],
    [['audit', FIXTURES.beforeClassic, '--fail-on', 'severe'], '--fail-on must be one of critical, high, medium, low, info, none'],
    [['audit', FIXTURES.beforeClassic, '--fail-on', 'maxImageSize=big'], '--fail-on maxImageSize: expected a size such as 500MB'],
    [['audit', FIXTURES.beforeClassic, '--format', 'html'], '--format must be one of text, json, markdown, sarif'],
    [['audit', '--compare', FIXTURES.beforeClassic], '--compare takes two images, before then after; got 1'],
    [['audit', FIXTURES.beforeClassic, FIXTURES.afterClassic, '--save-snapshot', '/tmp/x.layerlens.json'], '--save-snapshot writes one image'],
    [['audit', FIXTURES.beforeClassic, '--dockerfile', '/nonexistent/Dockerfile'], '--dockerfile /nonexistent/Dockerfile cannot be read (ENOENT)'],
    [['audit', FIXTURES.beforeClassic, '--colour'], "Unknown option '--colour'"],
    [['audit', '../../etc/passwd'], 'Invalid arguments for startScan'],
    [['inspect'], 'Unknown command "inspect"']
  ])('exits 2 on a usage error: %j', async (args, message) => {
    const run = await runCli(args)
    expect(run.exitCode).toBe(2)
    expect(run.stderr).toContain(message)
  })
})

describe('layerlens --help and --version', () => {
  it('prints the usage', async () => {
    const run = await runCli(['--help'])
    expect(run.exitCode).toBe(0)
    expect(run.stdout).toContain('layerlens audit IMAGE... [options]')
    expect(run.stdout).toContain('--format FORMAT')
    expect(run.stdout).toContain('Exit codes (audit): 0 nothing at or above the threshold')
    expect(run.stdout).toContain('layerlens serve [--port N] [--host ADDRESS] [--no-open]')
  })

  it('prints the version from package.json', async () => {
    const run = await runCli(['--version'])
    expect(run.exitCode).toBe(0)
    expect(run.stdout).toBe(`layerlens ${version}\n`)
  })
})

describe('layerlens serve', () => {
  it('prints an address with a token, answers the API there, and stops on SIGTERM', async () => {
    const child = spawn(process.execPath, [launcher, 'serve', '--no-open', '--port', '0'], { cwd: projectRoot })
    const exited = new Promise<number | null>((resolve) => child.on('close', resolve))
    const url = await new Promise<URL>((resolve, reject) => {
      let stdout = ''
      child.stdout.on('data', (chunk: Buffer) => {
        stdout += chunk.toString()
        const match = /Layerlens is serving at (\S+)/.exec(stdout)
        if (match) resolve(new URL(match[1]!))
      })
      child.on('close', () => reject(new Error(`serve ended before printing its address: ${stdout}`)))
    })
    try {
      expect(url.hostname).toBe('127.0.0.1')
      const token = url.searchParams.get('token')
      expect(token).toMatch(/^[A-Za-z0-9_-]{20,}$/)
      const response = await fetch(new URL('/api/engineInfo', url), {
        method: 'POST',
        headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
        body: JSON.stringify({ args: [] })
      })
      const result = (await response.json()) as Result<EngineInfo>
      expect(result.ok && result.value.apiVersion).toMatch(/^\d+\.\d+$/)
      const page = await fetch(url)
      expect(page.status).toBe(200)
      expect(await page.text()).toContain('<div id="root">')
    } finally {
      child.kill('SIGTERM')
    }
    expect(await exited).toBe(0)
  })
})
