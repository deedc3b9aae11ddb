import { describe, expect, it } from 'vitest'
import { dockerfileFindings, parseDockerfile } from '../../../src-main/engine/dockerfile'
import { lessonDockerfile } from './lesson'

const findings = (text: string) => dockerfileFindings(parseDockerfile(text))
const rulesAt = (text: string) => findings(text).map((finding) => [finding.rule, finding.location?.line, finding.location?.column])

describe('Dockerfile findings', () => {
  it("finds the lesson's mistakes in Dockerfile.before, each at its line and column", () => {
    expect(rulesAt(lessonDockerfile('before'))).toEqual([
      ['root-user', 1, 1],
      ['bloated-base', 1, 6],
      ['copy-before-install', 3, 1],
      ['pip-cache', 4, 5],
      ['shell-form-cmd', 5, 1],
    ])
  })

  it('finds nothing in Dockerfile.after', () => {
    expect(findings(lessonDockerfile('after'))).toEqual([])
  })

  it.each([
    ['FROM python', 'has no tag'],
    ['FROM python:latest', 'moving tag `latest`'],
    ['FROM python:3', 'moving tag `3`'],
    ['FROM python:3-slim', 'moving tag `3-slim`'],
  ])('%s is unpinned', (from, words) => {
    const found = findings(`${from}\nWORKDIR /app\nUSER 1000\n`).filter((finding) => finding.rule === 'unpinned-base')
    expect(found).toHaveLength(1)
    expect(found[0]?.detail).toContain(words)
  })

  it.each(['FROM python:3.12-slim', 'FROM python@sha256:' + 'a'.repeat(64), 'FROM debian:bookworm-slim', 'FROM scratch'])('%s is pinned', (from) => {
    expect(findings(`${from}\nWORKDIR /app\nUSER 1000\n`).map((finding) => finding.rule)).toEqual([])
  })

  it('points an unpinned tag at the tag itself', () => {
    expect(findings('FROM python:latest AS build\n').find((finding) => finding.rule === 'unpinned-base')?.location).toEqual({ line: 1, column: 13, endLine: 1, endColumn: 19 })
  })

  it('finds pip without --no-cache-dir inside a multi-line RUN, at the pip command', () => {
    const text = 'FROM python:3.12-slim\nWORKDIR /app\nRUN apt-get update \\\n && pip install flask \\\n && rm -rf /var/lib/apt/lists/*\nUSER app\n'
    expect(findings(text).map((finding) => [finding.rule, finding.location])).toEqual([['pip-cache', { line: 4, column: 5, endLine: 4, endColumn: 22 }]])
  })

  it('accepts PIP_NO_CACHE_DIR set before, inline, or a pip cache mount', () => {
    const base = 'FROM python:3.12-slim\nWORKDIR /app\nUSER app\n'
    expect(findings(`${base}ENV PIP_NO_CACHE_DIR=1\nRUN pip install flask\n`)).toEqual([])
    expect(findings(`${base}ARG PIP_NO_CACHE_DIR=true\nRUN pip install flask\n`)).toEqual([])
    expect(findings(`${base}RUN PIP_NO_CACHE_DIR=1 pip install flask\n`)).toEqual([])
    expect(findings(`${base}RUN --mount=type=cache,target=/root/.cache/pip pip install flask\n`)).toEqual([])
    expect(findings(`${base}RUN pip install flask\nENV PIP_NO_CACHE_DIR=1\n`).map((finding) => finding.rule)).toEqual(['pip-cache'])
  })

  it('finds shell-form ENTRYPOINT, a final USER root, a missing WORKDIR and apt lists left behind', () => {
    const text = 'FROM python:3.12-slim\nRUN apt-get update && apt-get install -y curl\nUSER app\nUSER root\nENTRYPOINT python app.py\n'
    expect(rulesAt(text)).toEqual([
      ['no-workdir', 1, 1],
      ['apt-lists', 2, 23],
      ['root-user', 4, 1],
      ['shell-form-cmd', 5, 1],
    ])
  })

  it('looks only at the stages that make the final image', () => {
    const text = 'FROM python:3.12 AS builder\nRUN apt-get update && apt-get install -y gcc\nRUN pip wheel -w /wheels .\nFROM python:3.12-slim\nWORKDIR /app\nCOPY --from=builder /wheels /wheels\nRUN pip install --no-cache-dir /wheels/*\nUSER app\nCMD ["python", "-m", "app"]\n'
    expect(findings(text)).toEqual([])
  })

  it('mentions the multi-stage build when the full image is used for build tools', () => {
    const text = 'FROM python:3.12\nWORKDIR /app\nRUN apt-get update && apt-get install -y gcc python3-dev && rm -rf /var/lib/apt/lists/*\nUSER app\n'
    expect(findings(text).find((finding) => finding.rule === 'bloated-base')?.detail).toMatch(/build tools \(gcc, python3-dev\).*first stage/)
  })
})

describe('ignore comments', () => {
  const text = lessonDockerfile('before')

  it('honours # hadolint ignore= with hadolint codes on the line above', () => {
    const silenced = text.replace('RUN pip install', '# hadolint ignore=DL3042,DL3013\nRUN pip install').replace('CMD uvicorn', '# hadolint ignore=DL3025\nCMD uvicorn')
    expect(findings(silenced).map((finding) => finding.rule)).toEqual(['root-user', 'bloated-base', 'copy-before-install'])
  })

  it('honours # layerlens ignore= with our rule ids, in a comment block above the instruction', () => {
    const silenced = text.replace('FROM ', '# layerlens ignore=bloated-base\n# the full image is needed for the test tools\nFROM ')
    expect(findings(silenced).map((finding) => finding.rule)).toEqual(['root-user', 'copy-before-install', 'pip-cache', 'shell-form-cmd'])
  })

  it('honours # hadolint global ignore= anywhere', () => {
    expect(findings(`${text}# hadolint global ignore=DL3042\n`).map((finding) => finding.rule)).not.toContain('pip-cache')
  })

  it('does not let a comment separated by a blank line or another instruction silence anything', () => {
    const apart = text.replace('RUN pip install', '# hadolint ignore=DL3042\n\nRUN pip install')
    expect(findings(apart).map((finding) => finding.rule)).toContain('pip-cache')
  })
})
