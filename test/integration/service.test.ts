// The service against the real daemon and the real fixture images built from the lesson's Dockerfiles.
import { beforeAll, describe, expect, it } from 'vitest'
import { LESSON_PART_IDS } from '../../src-main/engine'
import type { ImageAnalysis, RuleId } from '../../src-main/engine/model'
import { createService } from '../../src-main/service'
import { resolveEndpoint } from '../../src-main/sources/endpoint'
import type { Result } from '../../src-preload/contract'
import { dockerCliFormat, FIXTURES, requireFixtureImages } from './support'

const service = createService()

function valueOf<T>(result: Result<T>): T {
  if (!result.ok) throw new Error(`expected success, got ${result.error.code}: ${result.error.message}`)
  return result.value
}

const analyses = new Map<string, ImageAnalysis>()

beforeAll(async () => {
  await requireFixtureImages()
  for (const ref of [FIXTURES.beforeClassic, FIXTURES.beforeBuildkit, FIXTURES.afterClassic, FIXTURES.afterBuildkit]) {
    analyses.set(ref, valueOf(await service.analyzeImage(ref)))
  }
})

const analysisOf = (ref: string): ImageAnalysis => analyses.get(ref)!
const ruleIds = (analysis: ImageAnalysis): RuleId[] => analysis.findings.map((finding) => finding.rule).sort()

describe('engineInfo', () => {
  it('describes the engine the docker CLI talks to', async () => {
    const info = valueOf(await service.engineInfo())
    const endpoint = resolveEndpoint()
    expect(info.endpoint).toBe(endpoint.url)
    expect(info.source).toBe(endpoint.source)
    expect(info.version).toBe(dockerCliFormat(['version'], '{{.Server.Version}}'))
    expect(info.apiVersion).toBe(dockerCliFormat(['version'], '{{.Server.APIVersion}}'))
    expect(info.product).toBe(/podman/i.test(dockerCliFormat(['version'], '{{json .Server.Components}}')) ? 'Podman' : 'Docker')
    expect(info.os).toBe('linux')
  })
})

describe('listImages', () => {
  it('lists every image with its layer count, as the docker CLI sees them', async () => {
    const images = valueOf(await service.listImages())
    for (const ref of Object.values(FIXTURES)) {
      const id = dockerCliFormat(['image', 'inspect', ref], '{{.Id}}')
      const summary = images.find((image) => image.id === id)
      expect(summary, ref).toBeDefined()
      expect(summary!.repoTags).toContain(ref)
      expect(summary!.dangling).toBe(false)
      expect(summary!.layerCount).toBe(Number(dockerCliFormat(['image', 'inspect', ref], '{{len .RootFS.Layers}}')))
      expect(summary!.size).toBe(Number(dockerCliFormat(['image', 'inspect', ref], '{{.Size}}')))
    }
  })
})

describe('analyzeImage on the lesson images', () => {
  const before = [FIXTURES.beforeClassic, FIXTURES.beforeBuildkit]
  const after = [FIXTURES.afterClassic, FIXTURES.afterBuildkit]

  // The "before" Dockerfile: full base, COPY . . before pip install without --no-cache-dir, root,
  // shell-form CMD, no EXPOSE, no HEALTHCHECK. No secret sits in ENV or build args (the planted
  // .env file is a file, which metadata alone cannot see).
  it.each(before)('%s has exactly the lesson mistakes', (ref) => {
    expect(ruleIds(analysisOf(ref))).toEqual(
      (['bloated-base', 'copy-before-install', 'no-expose', 'no-healthcheck', 'pip-cache', 'root-user', 'shell-form-cmd'] satisfies RuleId[]).sort()
    )
  })

  it.each(before)('%s reports the pip cache as a hint from history', (ref) => {
    expect(analysisOf(ref).findings.find((finding) => finding.rule === 'pip-cache')?.confidence).toBe('hint')
  })

  // The "after" Dockerfile fixes everything the lesson lists; only the informational HEALTHCHECK remains.
  it.each(after)('%s has only the missing healthcheck left', (ref) => {
    expect(ruleIds(analysisOf(ref))).toEqual(['no-healthcheck'])
  })

  it.each([
    [FIXTURES.beforeClassic, FIXTURES.python, 'python-full'],
    [FIXTURES.beforeBuildkit, FIXTURES.python, 'python-full'],
    [FIXTURES.afterClassic, FIXTURES.pythonSlim, 'python-slim'],
    [FIXTURES.afterBuildkit, FIXTURES.pythonSlim, 'python-slim']
  ])('%s is built on the local image %s', (ref, baseRef, family) => {
    const { base, steps, layers } = analysisOf(ref)
    expect(base.method).toBe('local-prefix')
    expect(base.name).toBe(baseRef)
    expect(base.family).toBe(family)
    expect(base.layerCount).toBe(Number(dockerCliFormat(['image', 'inspect', baseRef], '{{len .RootFS.Layers}}')))
    expect(base.stepCount).toBe(Number(dockerCliFormat(['image', 'history', '--no-trunc', '-q', baseRef], '{{.ID}}').split('\n').length))
    expect(steps.filter((step) => step.inBase)).toHaveLength(base.stepCount)
    expect(layers.slice(0, base.layerCount).every((layer) => steps[layer.stepIndex!]!.inBase)).toBe(true)
  })

  it.each([...before, ...after])('%s has every layer aligned with a history step', (ref) => {
    const { steps, layers } = analysisOf(ref)
    const diffIds = JSON.parse(dockerCliFormat(['image', 'inspect', ref], '{{json .RootFS.Layers}}')) as string[]
    expect(layers.map((layer) => layer.diffId)).toEqual(diffIds)
    expect(steps).toHaveLength(Number(dockerCliFormat(['image', 'history', '-q', ref], '{{.ID}}').split('\n').length))
    for (const layer of layers) {
      expect(layer.stepIndex, `layer ${layer.index}`).toBeDefined()
      const step = steps[layer.stepIndex!]!
      expect(step.layerIndex).toBe(layer.index)
      expect(step.emptyLayer).toBe(false)
    }
    expect(steps.filter((step) => !step.emptyLayer)).toHaveLength(layers.length)
  })

  it.each(before)('%s finds the user\'s own steps after the base: WORKDIR, COPY, RUN pip, CMD', (ref) => {
    const own = analysisOf(ref).steps.filter((step) => !step.inBase).map((step) => step.instruction)
    expect(own).toEqual(['WORKDIR', 'COPY', 'RUN', 'CMD'])
  })
})

describe('lessonParts', () => {
  it('reads every part of the lesson from resources/lesson, in catalog order', async () => {
    const parts = valueOf(await service.lessonParts())
    expect(parts.map((part) => part.id)).toEqual(LESSON_PART_IDS)
    for (const part of parts) {
      expect(part.title.length, part.id).toBeGreaterThan(0)
      expect(part.after.length, part.id).toBeGreaterThan(0)
    }
  })

  it('uses the resources folder it is given: a missing one is an error, not an empty lesson', async () => {
    const result = await createService({ resourcesDir: '/nonexistent-layerlens-resources' }).lessonParts()
    expect(result.ok ? 'ok' : result.error.code).toBe('INTERNAL')
  })
})

describe('failures come back as explained errors', () => {
  it('names a missing image', async () => {
    const result = await service.analyzeImage('layerlens-fixtures/no-such-image:never')
    expect(result.ok).toBe(false)
    if (result.ok) return
    expect(result.error.code).toBe('IMAGE_NOT_FOUND')
    expect(result.error.message).toContain('layerlens-fixtures/no-such-image:never')
    expect(result.error.fix).toContain('docker images')
  })
})
