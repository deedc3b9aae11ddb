// Property tests of the Dockerfile side: parsing, linking to history steps, findings and fixes, on the
// fixture Dockerfiles cut up and recombined, and on arbitrary text. Whatever the file says, every
// location is a line of the file, each step links to at most one instruction, and a fix re-parses.
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { dockerfileFindings, generateFixes, mapDockerfileToSteps, parseDockerfile } from '../../../src-main/engine/dockerfile'
import { splitLines } from '../../../src-main/engine/dockerfile/fix'
import { analyzeImage } from '../../../src-main/engine/analyze'
import type { SourceLocation, Step } from '../../../src-main/engine/model'
import type { RawHistoryItem, RawImageInspect } from '../../../src-main/engine/raw'
import { capturedLocalImages } from '../engine/captured'
import { returnsWithin } from './in-child'
import { fuzzParameters } from './settings'

const repoFile = (path: string): URL => new URL(`../../../${path}`, import.meta.url)
const read = (path: string): string => readFileSync(repoFile(path), 'utf8')

const dockerfilesIn = (folder: string): string[] =>
  readdirSync(repoFile(folder), { recursive: true, encoding: 'utf8' })
    .filter((path) => /(^|\/)Dockerfile[^/]*$/.test(path))
    .map((path) => read(`${folder}/${path}`))

const SEED_DOCKERFILES = [...dockerfilesIn('test/fixtures/dockerfiles'), ...dockerfilesIn('test/fixtures/apps'), ...dockerfilesIn('scripts/fixtures')]

const localImages = capturedLocalImages()
const capturedFiles = [
  ...readdirSync(repoFile('test/fixtures/captured')).map((file) => `test/fixtures/captured/${file}`),
  'test/fixtures/dockerfiles/heredoc/captured.json',
]
const STEP_SETS: Step[][] = capturedFiles.map((path) => {
  const { inspect, history } = JSON.parse(read(path)) as { inspect: RawImageInspect; history: RawHistoryItem[] }
  return analyzeImage({ inspect, history, localImages }).steps
})

/** Lines that make Dockerfiles interesting: stages, continuations, heredocs, directives, flags, variables. */
const LINES = [
  '# syntax=docker/dockerfile:1', '# escape=`', 'ARG BASE=python:3.11', 'FROM ${BASE} AS build', 'FROM build', 'FROM scratch',
  'FROM --platform=$BUILDPLATFORM python:latest', 'RUN pip install -r requirements.txt', 'RUN apt-get update && apt-get install -y gcc \\',
  '    && rm -rf /var/lib/apt/lists/*', 'RUN <<EOF', 'EOF', 'COPY <<EOT /app/x', 'EOT', 'COPY . .', 'COPY --from=build /wheels /wheels',
  'WORKDIR /app', 'USER root', 'USER 0', 'ENV A=1 B="two words"', 'ENV LEGACY value', 'EXPOSE 8000/tcp', 'CMD python app.py',
  'CMD ["python", "app.py"]', 'ENTRYPOINT ["uvicorn", "--port", "8000"]', 'SHELL ["/bin/bash", "-c"]', 'HEALTHCHECK CMD curl -f localhost',
  'ONBUILD RUN make', '# hadolint ignore=DL3006', '# layerlens ignore=pip-cache', '\\', '`', '', '   ', '\t# comment',
]

type LineEdit = { kind: 'delete' | 'duplicate'; at: number } | { kind: 'insert'; at: number; line: string } | { kind: 'swap'; at: number; with: number }

const lineEdit: fc.Arbitrary<LineEdit> = fc.oneof(
  fc.record({ kind: fc.constantFrom('delete' as const, 'duplicate' as const), at: fc.nat() }),
  fc.record({ kind: fc.constant('insert' as const), at: fc.nat(), line: fc.oneof(fc.constantFrom(...LINES), fc.string({ maxLength: 40 })) }),
  fc.record({ kind: fc.constant('swap' as const), at: fc.nat(), with: fc.nat() }),
)

function applyEdit(lines: string[], edit: LineEdit): string[] {
  const copy = [...lines]
  const at = copy.length === 0 ? 0 : edit.at % copy.length
  if (edit.kind === 'insert') copy.splice(at, 0, edit.line)
  if (copy.length === 0) return copy
  if (edit.kind === 'delete') copy.splice(at, 1)
  if (edit.kind === 'duplicate') copy.splice(at, 0, copy[at]!)
  if (edit.kind === 'swap') [copy[at], copy[edit.with % copy.length]] = [copy[edit.with % copy.length]!, copy[at]!]
  return copy
}

const dockerfileText = fc.oneof(
  { weight: 4, arbitrary: fc.tuple(fc.constantFrom(...SEED_DOCKERFILES), fc.array(lineEdit, { maxLength: 6 }), fc.boolean()).map(([text, edits, crlf]) => edits.reduce(applyEdit, text.split('\n')).join(crlf ? '\r\n' : '\n')) },
  { weight: 1, arbitrary: fc.array(fc.oneof(fc.constantFrom(...LINES), fc.string({ maxLength: 30 })), { maxLength: 20 }).map((lines) => lines.join('\n')) },
  { weight: 1, arbitrary: fc.string({ maxLength: 300 }) },
)

function expectInsideFile(location: SourceLocation | undefined, lineCount: number): void {
  if (location === undefined) return
  expect(location.line).toBeGreaterThanOrEqual(1)
  expect(location.line).toBeLessThanOrEqual(lineCount)
  if (location.endLine !== undefined) {
    expect(location.endLine).toBeGreaterThanOrEqual(location.line)
    expect(location.endLine).toBeLessThanOrEqual(lineCount)
  }
}

const lineCountOf = (text: string): number => Math.max(1, text.split(/\r?\n/).length)

/** The patched file rebuilt from the original and the hunks alone: what applying the diff gives. */
function applyHunks(original: string, hunks: ReadonlyArray<{ oldStart: number; oldLines: number; text: string }>): string[] {
  const lines = splitLines(original)
  let shift = 0
  for (const hunk of hunks) {
    const body = hunk.text.split('\n').slice(1)
    const added = body.filter((line) => line.startsWith('+')).map((line) => line.slice(1))
    // A pure insertion's oldStart is the line it goes after.
    const start = (hunk.oldLines === 0 ? hunk.oldStart : hunk.oldStart - 1) + shift
    lines.splice(start, hunk.oldLines, ...added)
    shift += added.length - hunk.oldLines
  }
  return lines
}

describe('fuzzing the Dockerfile parser, mapping, findings and fixes', () => {
  it('parses any text into instructions located inside the file, in file order', () => {
    fc.assert(
      fc.property(dockerfileText, (text) => {
        const parsed = parseDockerfile(text)
        const lines = lineCountOf(text)
        parsed.instructions.forEach((instruction, index) => {
          expect(instruction.index).toBe(index)
          expectInsideFile(instruction.location, lines)
          if (index > 0) expect(instruction.location.line).toBeGreaterThanOrEqual(parsed.instructions[index - 1]!.location.line)
        })
        for (const stage of parsed.finalChain) expect(parsed.stages[stage]).toBeDefined()
      }),
      fuzzParameters(200),
    )
  })

  it('links each history step to at most one instruction, never to a line outside the file', () => {
    fc.assert(
      fc.property(dockerfileText, fc.nat({ max: STEP_SETS.length - 1 }), (text, which) => {
        const steps = STEP_SETS[which]!
        const parsed = parseDockerfile(text)
        const mapping = mapDockerfileToSteps(parsed, steps)
        const lines = lineCountOf(text)
        expect(mapping.steps.map((link) => link.stepIndex)).toEqual(steps.map((step) => step.index))
        expect(mapping.instructions).toHaveLength(parsed.instructions.length)
        for (const link of mapping.steps) expectInsideFile(link.location, lines)
        const own = mapping.steps.filter((link) => link.kind !== undefined && link.kind !== 'base')
        expect(new Set(own.map((link) => link.instructionIndex)).size).toBe(own.length)
        for (const link of own) {
          const instruction = mapping.instructions[link.instructionIndex!]!
          expect(instruction.stepIndex).toBe(link.stepIndex)
          expect(instruction.location).toEqual(link.location)
        }
      }),
      fuzzParameters(150),
    )
  })

  it('finds findings inside the file, and fixes them into a Dockerfile that re-parses and that the hunks rebuild', () => {
    fc.assert(
      fc.property(dockerfileText, fc.option(fc.constantFrom('3.11', '3.12.4', 'x'), { nil: undefined }), (text, pythonVersion) => {
        const parsed = parseDockerfile(text)
        const findings = dockerfileFindings(parsed)
        for (const finding of findings) expectInsideFile(finding.location, lineCountOf(text))
        const plan = generateFixes(parsed, findings, pythonVersion === undefined ? {} : { pythonVersion })
        expect(plan.dockerfile.original).toBe(text)
        expect(applyHunks(text, plan.dockerfile.hunks)).toEqual(splitLines(plan.dockerfile.patched))
        const again = parseDockerfile(plan.dockerfile.patched)
        expect(again.instructions.length).toBeGreaterThanOrEqual(parsed.stages.length === 0 ? 0 : 1)
        dockerfileFindings(again)
      }),
      fuzzParameters(150),
    )
  })

  it('fixing never adds a finding: rule by rule, the fixed Dockerfile has at most the findings of the original', () => {
    // Not idempotence: with two installs of the same requirements, the second pass moves `COPY . .` once more.
    const rulesOf = (text: string): Map<string, number> => {
      const counts = new Map<string, number>()
      for (const finding of dockerfileFindings(parseDockerfile(text))) counts.set(finding.rule, (counts.get(finding.rule) ?? 0) + 1)
      return counts
    }
    fc.assert(
      fc.property(dockerfileText, (text) => {
        const parsed = parseDockerfile(text)
        const fixed = generateFixes(parsed, dockerfileFindings(parsed), { pythonVersion: '3.11' }).dockerfile.patched
        const before = rulesOf(text)
        for (const [rule, count] of rulesOf(fixed)) expect({ rule, count }).toEqual({ rule, count: Math.min(count, before.get(rule) ?? 0) })
      }),
      fuzzParameters(150),
    )
  })
})

describe('Dockerfiles the fuzzer broke the fixer with', () => {
  const fixesFor = (text: string) => {
    const parsed = parseDockerfile(text)
    return generateFixes(parsed, dockerfileFindings(parsed))
  }

  it('an empty Dockerfile (no FROM) gets no fix, instead of a TypeError or an added empty line', () => {
    const plan = fixesFor('')
    expect(plan.dockerfile.patched).toBe('')
    expect(plan.dockerfile.hunks).toEqual([])
  })

  it('lines are never added after a heredoc that is not closed, where they would become part of it', () => {
    const text = 'FROM python:3.11-slim\nRUN python3 <<EOF\n'
    const plan = fixesFor(text)
    expect(plan.dockerfile.patched).toBe(text)
    expect(plan.unfixed.map(({ finding, reason }) => [finding.rule, reason])).toEqual([
      ['root-user', 'The heredoc that starts on line 2 is never closed; close it first.'],
      ['no-workdir', 'The heredoc that starts on line 2 is never closed; close it first.'],
    ])
  })
})

describe('Dockerfiles that once took quadratic time', () => {
  // Under the 1 MB a Dockerfile may have. Minutes each before the fix, about a second after; the limit only
  // keeps a regression from hanging the run.
  const shapes = {
    // Every RUN looked back over all the instructions before it for PIP_NO_CACHE_DIR (and the diff of the
    // fixes, a table of lines by lines, would have had 3.6 billion cells).
    'many-runs': 'FROM python:3.11\n' + 'RUN a\n'.repeat(60_000),
    // The finding's fix searched the whole RUN once per pip install, and the fixer looked ahead to the end of
    // the line from each one.
    'many-installs': 'FROM python:3.11\nRUN pip install x' + '&&pip install x'.repeat(60_000) + '\n',
  }

  it('checks a Dockerfile of 60,000 RUNs, and one with a RUN of 60,000 pip installs', () => {
    const folder = mkdtempSync(join(tmpdir(), 'layerlens-fuzz-'))
    try {
      const calls = Object.entries(shapes).map(([name, text]) => {
        writeFileSync(join(folder, name), text)
        return [join(folder, name), null]
      })
      expect(returnsWithin(30, repoFile('src-main/dockerfiles.ts'), 'checkDockerfile', calls)).toBe(true)
    } finally {
      rmSync(folder, { recursive: true, force: true })
    }
  })
})
