import { describe, expect, it } from 'vitest'
import { mapDockerfileToSteps, parseDockerfile } from '../../../src-main/engine/dockerfile'
import { analyzeImage } from '../../../src-main/engine/analyze'
import type { RawHistoryItem, RawImageInspect } from '../../../src-main/engine/raw'
import { capturedLocalImages, type CapturedName } from '../engine/captured'
import { capturedSteps, lessonDockerfile, readRepoFile } from './lesson'

const linkedLines = (dockerfile: string, image: CapturedName) => {
  const steps = capturedSteps(image)
  const mapping = mapDockerfileToSteps(parseDockerfile(dockerfile), steps)
  return mapping.steps.filter((link) => link.kind !== 'base').map((link) => [steps[link.stepIndex]!.instruction, link.location?.line, link.kind])
}

describe('mapping the lesson Dockerfiles onto the captured history', () => {
  it.each(['lesson-before_classic', 'lesson-before_buildkit'] as const)('Dockerfile.before ↔ %s: every step of the user, exactly', (image) => {
    expect(linkedLines(lessonDockerfile('before'), image)).toEqual([
      ['WORKDIR', 2, 'exact'],
      ['COPY', 3, 'exact'],
      ['RUN', 4, 'exact'],
      ['CMD', 5, 'exact'],
    ])
  })

  it.each(['lesson-after_classic', 'lesson-after_buildkit'] as const)('Dockerfile.after ↔ %s: every step of the user, exactly', (image) => {
    expect(linkedLines(lessonDockerfile('after'), image)).toEqual([
      ['WORKDIR', 2, 'exact'],
      ['COPY', 3, 'exact'],
      ['RUN', 4, 'exact'],
      ['COPY', 5, 'exact'],
      ['RUN', 6, 'exact'],
      ['USER', 7, 'exact'],
      ['EXPOSE', 8, 'exact'],
      ['CMD', 9, 'exact'],
    ])
  })

  it('links base steps to the FROM line and says so', () => {
    const steps = capturedSteps('lesson-before_buildkit')
    const mapping = mapDockerfileToSteps(parseDockerfile(lessonDockerfile('before')), steps)
    const base = mapping.steps.filter((link) => link.kind === 'base')
    expect(base.length).toBe(steps.filter((step) => step.inBase).length)
    expect(base[0]).toMatchObject({ location: { line: 1 }, reason: 'Comes from the base image (FROM layerlens-fixtures/python:3.11).' })
    expect(mapping.instructions[0]?.reason).toMatch(/FROM picks the base image/)
  })

  it('maps continuation lines with tabs and ENV PATH=…:$PATH onto the python base image history', () => {
    const lines = linkedLines(readRepoFile('scripts/fixtures/python/Dockerfile.full'), 'python_3.11')
    expect(lines.every(([, , kind]) => kind === 'exact')).toBe(true)
    expect(lines.map(([instruction]) => instruction)).toEqual(['RUN', 'RUN', 'RUN', 'ENV', 'ENV', 'RUN', 'ENV', 'ENV', 'RUN', 'RUN', 'COPY', 'CMD'])
  })

  it('maps heredoc RUN and COPY onto the history Docker 26 recorded for them', () => {
    const captured = JSON.parse(readRepoFile('test/fixtures/dockerfiles/heredoc/captured.json')) as { inspect: RawImageInspect; history: RawHistoryItem[] }
    const steps = analyzeImage({ ...captured, localImages: capturedLocalImages() }).steps
    const mapping = mapDockerfileToSteps(parseDockerfile(readRepoFile('test/fixtures/dockerfiles/heredoc/Dockerfile')), steps)
    const own = mapping.steps.filter((link) => link.kind !== 'base')
    expect(own.map((link) => [steps[link.stepIndex]!.instruction, link.location?.line, link.location?.endLine, link.kind])).toEqual([
      ['USER', 2, 2, 'exact'],
      ['RUN', 3, 6, 'exact'],
      ['RUN', 7, 9, 'exact'],
      ['COPY', 10, 12, 'exact'],
    ])
  })

  it('says plainly when the Dockerfile is another version than the image', () => {
    const edited = lessonDockerfile('before').replace('pip install -r requirements.txt', 'pip install -U -r requirements.txt').replace('WORKDIR /app\n', 'WORKDIR /app\nENV DEBUG=1\n')
    const steps = capturedSteps('lesson-before_buildkit')
    const mapping = mapDockerfileToSteps(parseDockerfile(edited), steps)
    const run = mapping.instructions.find((link) => link.keyword === 'RUN')
    expect(run).toMatchObject({ kind: 'partial', reason: expect.stringMatching(/recorded `pip install -r requirements.txt`/) })
    expect(mapping.instructions.find((link) => link.keyword === 'ENV')?.reason).toMatch(/No history step matches/)
  })

  it('says which steps no instruction explains, and which stages do not ship', () => {
    const steps = capturedSteps('lesson-after_buildkit')
    const dockerfile = 'FROM layerlens-fixtures/python:3.11 AS builder\nRUN pip wheel -w /wheels fastapi\nFROM layerlens-fixtures/python:3.11-slim\nWORKDIR /app\nCMD ["uvicorn", "main:app", "--host", "0.0.0.0", "--port", "8000"]\n'
    const mapping = mapDockerfileToSteps(parseDockerfile(dockerfile), steps)
    expect(mapping.instructions[1]?.reason).toBe('Stage "builder" is not part of the final image: only what a later COPY --from takes from it ships.')
    const unexplained = mapping.steps.filter((link) => link.kind === undefined)
    expect(unexplained.map((link) => steps[link.stepIndex]!.instruction)).toEqual(['COPY', 'RUN', 'COPY', 'RUN', 'USER', 'EXPOSE'])
    expect(unexplained[0]?.reason).toMatch(/No instruction of this Dockerfile produced this step/)
  })
})
