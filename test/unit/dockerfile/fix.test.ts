import { execFileSync } from 'node:child_process'
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { dockerfileFindings, generateFixes, parseDockerfile, type FixOptions } from '../../../src-main/engine/dockerfile'
import { lessonDockerfile } from './lesson'

const fix = (text: string, options: FixOptions = {}) => {
  const parsed = parseDockerfile(text)
  return generateFixes(parsed, dockerfileFindings(parsed), options)
}

describe('fix generation', () => {
  it("turns the lesson's Dockerfile.before into its Dockerfile.after", () => {
    const plan = fix(lessonDockerfile('before'))
    expect(plan.dockerfile.patched).toBe(lessonDockerfile('after'))
    expect(plan.unfixed).toEqual([])
    expect(dockerfileFindings(parseDockerfile(plan.dockerfile.patched))).toEqual([])
  })

  it('gives every hunk the findings it fixes', () => {
    const hunks = fix(lessonDockerfile('before')).dockerfile.hunks
    expect(hunks.map((hunk) => [hunk.text.split('\n')[0], hunk.reasons.map((reason) => reason.rule)])).toEqual([
      ['@@ -1,1 +1,1 @@', ['bloated-base']],
      ['@@ -2,0 +3,2 @@', ['copy-before-install', 'pip-cache']],
      ['@@ -4,2 +6,4 @@', ['pip-cache', 'shell-form-cmd', 'root-user', 'no-expose']],
    ])
    expect(hunks[0]?.text).toBe('@@ -1,1 +1,1 @@\n-FROM layerlens-fixtures/python:3.11\n+FROM layerlens-fixtures/python:3.11-slim')
  })

  it('writes a unified diff that patch(1) applies', () => {
    const plan = fix(lessonDockerfile('before'))
    const folder = mkdtempSync(join(tmpdir(), 'layerlens-diff-'))
    writeFileSync(join(folder, 'Dockerfile'), plan.dockerfile.original)
    execFileSync('patch', ['-p1', '-s', '-d', folder], { input: plan.dockerfile.diff })
    expect(readFileSync(join(folder, 'Dockerfile'), 'utf8')).toBe(plan.dockerfile.patched)
  })

  it('pins a floating python tag to the version the caller gives, and says so when it cannot', () => {
    const text = 'FROM python:3\nWORKDIR /app\nUSER app\nCMD ["python", "app.py"]\n'
    expect(fix(text, { pythonVersion: '3.11.2' }).dockerfile.patched.split('\n')[0]).toBe('FROM python:3.11-slim')
    const unpinned = fix(text)
    expect(unpinned.dockerfile.patched).toBe(text)
    expect(unpinned.unfixed.map((entry) => [entry.finding.rule, entry.reason])).toEqual([
      ['bloated-base', expect.stringMatching(/names no version/)],
      ['unpinned-base', expect.stringMatching(/names no version/)],
    ])
  })

  it('keeps continuations when it adds --no-cache-dir and the apt cleanup', () => {
    const text = 'FROM python:3.12-slim\nWORKDIR /app\nRUN apt-get update \\\n && apt-get install -y curl\nRUN pip install \\\n    flask\nUSER app\nCMD ["flask", "run"]\n'
    expect(fix(text).dockerfile.patched).toBe(
      'FROM python:3.12-slim\nWORKDIR /app\nRUN apt-get update \\\n && apt-get install -y curl \\\n && rm -rf /var/lib/apt/lists/*\nRUN pip install --no-cache-dir \\\n    flask\nUSER app\nCMD ["flask", "run"]\n',
    )
  })

  it('builds wheels in a builder stage when the RUNs install build tools', () => {
    const text = [
      'FROM python:3.12',
      'WORKDIR /app',
      'COPY . .',
      'RUN apt-get update && apt-get install -y gcc python3-dev',
      'RUN pip install -r requirements.txt',
      'CMD python app.py',
      '',
    ].join('\n')
    const plan = fix(text)
    expect(plan.dockerfile.patched).toBe(
      [
        'FROM python:3.12 AS builder',
        'WORKDIR /app',
        'RUN apt-get update && apt-get install -y gcc python3-dev',
        'COPY requirements.txt .',
        'RUN pip wheel --no-cache-dir --wheel-dir /wheels -r requirements.txt',
        '',
        'FROM python:3.12-slim',
        'WORKDIR /app',
        'COPY --from=builder /wheels /wheels',
        'RUN pip install --no-cache-dir --no-index --find-links=/wheels /wheels/*',
        'COPY . .',
        'RUN adduser --disabled-password --no-create-home appuser',
        'USER appuser',
        'CMD ["python", "app.py"]',
        '',
      ].join('\n'),
    )
    expect(plan.unfixed).toEqual([])
    expect(dockerfileFindings(parseDockerfile(plan.dockerfile.patched))).toEqual([])
    expect(plan.dockerfile.hunks[0]?.reasons[0]?.text).toMatch(/^Multi-stage build: gcc, python3-dev compile the wheels/)
  })

  it('leaves a command that needs a shell in shell form, and says why', () => {
    const plan = fix('FROM python:3.12-slim\nWORKDIR /app\nUSER app\nCMD gunicorn -b 0.0.0.0:$PORT app:app\n')
    expect(plan.dockerfile.patched).toContain('CMD gunicorn -b 0.0.0.0:$PORT app:app')
    expect(plan.unfixed).toEqual([{ finding: expect.objectContaining({ rule: 'shell-form-cmd' }), reason: expect.stringMatching(/needs a shell/) }])
  })

  it('adds EXPOSE for gunicorn -b host:port', () => {
    const plan = fix('FROM python:3.12-slim\nWORKDIR /app\nUSER app\nCMD ["gunicorn", "-b", "0.0.0.0:5000", "app:app"]\n')
    expect(plan.dockerfile.patched).toContain('EXPOSE 5000\nCMD ["gunicorn"')
  })

  it('appends the proposed .dockerignore entries, each with its reason', () => {
    const plan = fix(lessonDockerfile('after'), {
      dockerignore: '.git\n',
      context: {
        dockerignore: { present: true, patterns: ['.git'] },
        sent: { files: 3, bytes: 30 },
        withoutDockerignore: { files: 4, bytes: 40 },
        biggestFolders: [],
        secrets: [],
        proposed: [{ pattern: '.env', files: 1, bytes: 12, examples: ['.env'] }],
      },
    })
    expect(plan.dockerignore?.patched).toBe('.git\n.env\n')
    expect(plan.dockerignore?.hunks.map((hunk) => hunk.reasons.map((reason) => reason.text))).toEqual([['.env: keeps 1 file (12 B) out of the build context, e.g. .env.']])
  })
})
