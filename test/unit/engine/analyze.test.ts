import { describe, expect, it } from 'vitest'
import { analyzeImage, summarizeImage } from '../../../src-main/engine/analyze'
import type { RuleId } from '../../../src-main/engine/model'
import type { RawHistoryItem, RawImageInspect } from '../../../src-main/engine/raw'
import { MASK } from '../../../src-main/engine/secrets'
import { capturedLocalImages, loadCaptured, type CapturedName } from './captured'

const analyzeCaptured = (name: CapturedName) => analyzeImage({ ...loadCaptured(name), localImages: capturedLocalImages() })

const BEFORE_RULES: RuleId[] = ['root-user', 'bloated-base', 'copy-before-install', 'pip-cache', 'shell-form-cmd', 'no-healthcheck', 'no-expose']

describe('the lesson\'s "before" image', () => {
  it.each(['lesson-before_classic', 'lesson-before_buildkit'] as const)('%s has exactly the lesson\'s findings', (name) => {
    const analysis = analyzeCaptured(name)
    expect(analysis.findings.map((finding) => finding.rule)).toEqual(BEFORE_RULES)
    expect(analysis.findings.map((finding) => finding.severity)).toEqual(['high', 'medium', 'medium', 'medium', 'medium', 'info', 'info'])
  })

  it.each(['lesson-before_classic', 'lesson-before_buildkit'] as const)('%s gets fixes written for this image', (name) => {
    const fixes = Object.fromEntries(analyzeCaptured(name).findings.map((finding) => [finding.rule, finding.fix]))
    expect(fixes['shell-form-cmd']).toEqual({
      before: 'CMD uvicorn main:app --host 0.0.0.0 --port 8000',
      after: 'CMD ["uvicorn", "main:app", "--host", "0.0.0.0", "--port", "8000"]',
    })
    expect(fixes['pip-cache']).toEqual({
      before: 'RUN pip install -r requirements.txt',
      after: 'RUN pip install --no-cache-dir -r requirements.txt',
    })
    expect(fixes['copy-before-install']).toEqual({
      before: 'COPY . .\nRUN pip install -r requirements.txt',
      after: 'COPY requirements.txt .\nRUN pip install -r requirements.txt\nCOPY . .',
    })
    expect(fixes['bloated-base']).toEqual({
      before: 'FROM layerlens-fixtures/python:3.11',
      after: 'FROM layerlens-fixtures/python:3.11-slim',
    })
    expect(fixes['no-expose']?.after).toBe('EXPOSE 8000')
  })

  it('labels the pip finding as a history hint, and estimates the base savings from the local slim image', () => {
    const analysis = analyzeCaptured('lesson-before_buildkit')
    const pip = analysis.findings.find((finding) => finding.rule === 'pip-cache')
    expect(pip?.confidence).toBe('hint')
    expect(pip?.detail).toContain("the layer's contents will confirm it")
    expect(pip?.evidence.steps).toEqual([15])
    const bloated = analysis.findings.find((finding) => finding.rule === 'bloated-base')
    const full = loadCaptured('python_3.11').inspect.Size ?? 0
    const slim = loadCaptured('python_3.11-slim').inspect.Size ?? 0
    expect(bloated?.savingsBytes).toBe(full - slim)
    expect(bloated?.lessonPart).toBe('base-image')
  })

  it('is sure of `COPY . .` under BuildKit, and says the classic builder only hints at it', () => {
    const confidence = (name: CapturedName) => analyzeCaptured(name).findings.find((finding) => finding.rule === 'copy-before-install')?.confidence
    expect(confidence('lesson-before_buildkit')).toBe('confirmed')
    expect(confidence('lesson-before_classic')).toBe('hint')
  })

  it('ignores the base image\'s own RUNs for the user-step rules', () => {
    const analysis = analyzeCaptured('lesson-before_buildkit')
    for (const finding of analysis.findings.filter((f) => f.rule === 'pip-cache' || f.rule === 'copy-before-install')) {
      for (const step of finding.evidence.steps ?? []) expect(analysis.steps[step]?.inBase).toBe(false)
    }
  })
})

describe('the lesson\'s "after" image', () => {
  it.each(['lesson-after_classic', 'lesson-after_buildkit'] as const)('%s only lacks a health check', (name) => {
    expect(analyzeCaptured(name).findings.map((finding) => finding.rule)).toEqual(['no-healthcheck'])
  })

  it('reports the full python base as bloated only when it is the user\'s base, not for python:3.11 itself', () => {
    expect(analyzeCaptured('python_3.11').findings.map((finding) => finding.rule)).toEqual(['root-user', 'no-healthcheck', 'no-expose'])
  })
})

describe('steps and layers', () => {
  it.each(['lesson-before_classic', 'lesson-before_buildkit', 'lesson-after_classic', 'lesson-after_buildkit'] as const)(
    '%s: every layer has exactly one step, and the layer sizes add up to the image size',
    (name) => {
      const analysis = analyzeCaptured(name)
      expect(analysis.notes).toBeUndefined()
      const layerSteps = analysis.steps.filter((step) => step.layerIndex !== undefined)
      expect(layerSteps.map((step) => step.layerIndex)).toEqual(analysis.layers.map((layer) => layer.index))
      for (const layer of analysis.layers) expect(analysis.steps[layer.stepIndex ?? -1]?.layerIndex).toBe(layer.index)
      expect(analysis.layers.reduce((sum, layer) => sum + layer.size, 0)).toBe(analysis.image.size)
      expect(analysis.steps.every((step) => step.emptyLayer === (step.layerIndex === undefined))).toBe(true)
    },
  )

  it('keeps history order oldest first with the raw text and dates', () => {
    const analysis = analyzeCaptured('lesson-before_classic')
    expect(analysis.steps[0]).toMatchObject({ index: 0, instruction: 'ROOTFS', builder: 'import', comment: 'Imported from -', inBase: true })
    const last = analysis.steps[analysis.steps.length - 1]
    expect(last?.createdBy).toBe('/bin/sh -c #(nop)  CMD ["/bin/sh" "-c" "uvicorn main:app --host 0.0.0.0 --port 8000"]')
    expect(last?.created).toMatch(/^\d{4}-\d\d-\d\dT/)
  })
})

describe('secret masking end to end', () => {
  const PLANTED = {
    secretKey: 'planted-secret-key-7f3a9',
    dbPassword: 'planted-db-pass-55c1',
    token: 'planted-build-token-e2d4',
    aws: 'AKIAZZPLANTED0000000',
    legacy: 'planted-legacy-token-9b8c',
    label: 'planted-label-password-1a2b',
  }

  function plantedImage(): { inspect: RawImageInspect; history: RawHistoryItem[] } {
    const { inspect, history } = loadCaptured('lesson-before_buildkit')
    const planted: RawImageInspect = {
      ...inspect,
      Config: {
        ...inspect.Config,
        Env: [
          ...(inspect.Config?.Env ?? []),
          `SECRET_KEY=${PLANTED.secretKey}`,
          `DATABASE_URL=postgres://app:${PLANTED.dbPassword}@db/app`,
        ],
        Labels: { 'org.example.registry-password': PLANTED.label },
      },
    }
    // A build arg on the pip RUN, and two ENV steps (one in the legacy `ENV KEY value` form) right after WORKDIR (history is newest first).
    const plantedHistory = history.flatMap((entry): RawHistoryItem[] => {
      if (entry.CreatedBy === 'RUN /bin/sh -c pip install -r requirements.txt # buildkit') {
        return [{ ...entry, CreatedBy: `RUN |2 PIP_TOKEN=${PLANTED.token} AWS_ID=${PLANTED.aws} /bin/sh -c pip install -r requirements.txt # buildkit` }]
      }
      if (entry.CreatedBy === 'WORKDIR /app') {
        return [
          { ...entry, CreatedBy: `/bin/sh -c #(nop)  ENV API_TOKEN ${PLANTED.legacy}`, Size: 0 },
          { ...entry, CreatedBy: `ENV SECRET_KEY=${PLANTED.secretKey}`, Size: 0 },
          entry,
        ]
      }
      return [entry]
    })
    return { inspect: planted, history: plantedHistory }
  }

  it('leaves no planted value anywhere in the analysis', () => {
    const analysis = analyzeImage({ ...plantedImage(), localImages: capturedLocalImages() })
    const json = JSON.stringify(analysis)
    for (const value of Object.values(PLANTED)) expect(json).not.toContain(value)
    expect(json).toContain(MASK)
  })

  it('reports the secrets in Env and in the build args', () => {
    const analysis = analyzeImage({ ...plantedImage(), localImages: capturedLocalImages() })
    const rules = analysis.findings.map((finding) => finding.rule)
    expect(rules.slice(0, 3)).toEqual(['secret-env', 'secret-build-arg', 'root-user'])
    const env = analysis.config.env.filter((variable) => variable.masked)
    expect(env).toEqual([
      { key: 'SECRET_KEY', value: MASK, masked: true },
      { key: 'DATABASE_URL', value: `postgres://${MASK}@db/app`, masked: true },
    ])
    const run = analysis.steps.find((step) => step.buildArgs !== undefined)
    expect(run?.buildArgs).toEqual({ PIP_TOKEN: MASK, AWS_ID: MASK })
    expect(run?.args).toBe('pip install -r requirements.txt')
    const buildArg = analysis.findings.find((finding) => finding.rule === 'secret-build-arg')
    expect(buildArg?.evidence.steps).toEqual([run?.index])
    expect(buildArg?.fix.after).toContain('--mount=type=secret')
    const secretEnv = analysis.findings.find((finding) => finding.rule === 'secret-env')
    expect(secretEnv?.evidence.config).toEqual(['Env.SECRET_KEY', 'Env.DATABASE_URL'])
  })
})

describe('summarizeImage', () => {
  it('summarises a tagged image', () => {
    const { inspect } = loadCaptured('lesson-after_buildkit')
    const created = Math.floor(Date.parse(inspect.Created ?? '') / 1000)
    const item = { Id: inspect.Id, RepoTags: inspect.RepoTags ?? [], Created: created, Size: inspect.Size ?? 0 }
    expect(summarizeImage(item, inspect)).toEqual({
      id: inspect.Id,
      repoTags: ['layerlens-fixtures/lesson-after:buildkit'],
      dangling: false,
      size: inspect.Size,
      created: new Date(created * 1000).toISOString(),
      layerCount: 10,
    })
  })

  it("gives the containerd store's image size as inspect has it, not the list's, which adds the unpacked snapshots", () => {
    const { inspect } = loadCaptured('docker-26-containerd_lesson-before_buildkit')
    // GET /images/json of the same engine (scripts/engines/README.md): content and snapshots, twice inspect's Size.
    const item = { Id: inspect.Id, RepoTags: inspect.RepoTags ?? [], Created: 1_796_317_584, Size: 2_096_954_353 }
    expect(summarizeImage(item, inspect).size).toBe(inspect.Size)
    expect(inspect.Size).toBe(1_021_422_577)
  })

  it.each([[['<none>:<none>']], [[]], [null]])('calls an image with tags %j dangling', (tags) => {
    const { inspect } = loadCaptured('debian_bookworm')
    const summary = summarizeImage({ Id: inspect.Id, RepoTags: tags, Created: 1_700_000_000, Size: 1 }, { ...inspect, RepoTags: tags })
    expect(summary.dangling).toBe(true)
    expect(summary.repoTags).toEqual([])
  })
})
