// The service against the real daemon and the real fixture images built from the lesson's Dockerfiles.
import { execFileSync } from 'node:child_process'
import { beforeAll, describe, expect, it } from 'vitest'
import { LESSON_PART_IDS } from '../../src-main/engine'
import type { ImageAnalysis, RuleId } from '../../src-main/engine/model'
import { ScanRegistry } from '../../src-main/scans'
import { createService } from '../../src-main/service'
import { resolveEndpoint } from '../../src-main/sources/endpoint'
import type { ScanStatus } from '../../src-preload/contract'
import { dockerCliFormat, FIXTURES, LESSON_BEFORE_RULES, requireFixtureImages, valueOf } from './support'

const service = createService()

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

describe('scans: the layers read from the engine export', () => {
  const scans = new ScanRegistry()
  const scanning = createService({ scans })

  /** Independent witness: the pip cache's file bytes, summed by find inside a container of the image. */
  const pipCacheBytes = (ref: string): number =>
    execFileSync('/usr/bin/docker', ['run', '--rm', '--network', 'none', '--entrypoint', 'find', ref, '/root/.cache/pip', '-type', 'f', '-printf', '%s\n'], { encoding: 'utf8' })
      .trim()
      .split('\n')
      .reduce((sum, line) => sum + Number(line), 0)

  let done: ScanStatus

  beforeAll(async () => {
    const started = valueOf(await scanning.startScan(FIXTURES.beforeBuildkit))
    expect(started.state).toBe('running')
    // The metadata findings come at once; the pip cache is still a hint from history.
    expect(started.analysis.findings.find((finding) => finding.rule === 'pip-cache')?.confidence).toBe('hint')
    expect(started.totalBytes).toBe(Number(dockerCliFormat(['image', 'inspect', FIXTURES.beforeBuildkit], '{{.Size}}')))
    done = await scans.settled(started.imageId)
  })

  it('ends done, with every layer read and the bytes read as the total', () => {
    expect(done).toMatchObject({ state: 'done', layersDone: 11, layerCount: 11 })
    expect(done.bytesRead).toBe(done.totalBytes)
    expect(done.error).toBeUndefined()
  })

  it('has the lesson mistakes the files show, besides those of the metadata', () => {
    expect(ruleIds(done.analysis)).toEqual(LESSON_BEFORE_RULES)
    const find = (rule: RuleId) => done.analysis.findings.find((finding) => finding.rule === rule)!
    const pipBytes = pipCacheBytes(FIXTURES.beforeBuildkit)
    expect(find('pip-cache')).toMatchObject({ confidence: 'confirmed', savingsBytes: pipBytes, evidence: { paths: ['/root/.cache/pip'], bytes: pipBytes } })
    expect(find('context-leak').evidence.paths).toEqual(['/app/.git', '/app/.venv', '/app/__pycache__', '/app/tests'])
    expect(find('secret-file').evidence.paths).toEqual(['/app/.env'])
    // The full base's compilers are said once, in bloated-base, not as a build-tools finding of their own.
    expect(find('bloated-base').evidence.notes.at(-1)).toMatch(/^The final filesystem holds .*gcc.* header files under \/usr\/include: \d+ MB of build tools\. They come from the base image\.$/)
  })

  it('sums the layers: shipped = final + reclaimable, with dive\'s efficiency beside', () => {
    const contents = done.contents!
    expect(contents.shippedBytes).toBe(contents.finalBytes + contents.reclaimableBytes)
    expect(contents.layers.map((layer) => layer.shippedBytes).reduce((a, b) => a + b, 0)).toBe(contents.shippedBytes)
    expect(contents.dive.efficiency).toBeGreaterThan(0.9)
    expect(contents.waste.every((statement) => statement.sentence.includes(`in step ${statement.removedByStep + 1}`))).toBe(true)
  })

  it('joins the scan already done, and reads no export when every layer is cached', async () => {
    expect(valueOf(await scanning.startScan(FIXTURES.beforeBuildkit))).toEqual(done)
    const sharingTheCache = createService({ scans: new ScanRegistry(scans.cache) })
    const again = valueOf(await sharingTheCache.startScan(FIXTURES.beforeBuildkit))
    expect(again).toMatchObject({ state: 'done', bytesRead: 0, layersDone: 11 })
    expect(ruleIds(again.analysis)).toEqual(ruleIds(done.analysis))
  })

  it('starts a scan of an image sharing the base with the base layers already known', async () => {
    const classic = valueOf(await scanning.startScan(FIXTURES.beforeClassic))
    expect(classic.layersDone).toBeGreaterThanOrEqual(Number(dockerCliFormat(['image', 'inspect', FIXTURES.python], '{{len .RootFS.Layers}}')))
    expect(ruleIds((await scans.settled(classic.imageId)).analysis)).toEqual(ruleIds(done.analysis))
  })

  it('lists a layer\'s files and the whole filesystem after it', async () => {
    const copyLayer = done.analysis.steps.find((step) => step.instruction === 'COPY' && !step.inBase)!.layerIndex!
    const added = valueOf(await scanning.layerFiles(done.imageId, copyLayer, 'layer'))
    expect(added.find((row) => row.path === '/app/.env')).toMatchObject({ type: 'file', change: 'added', layerIndex: copyLayer })
    const all = valueOf(await scanning.layerFiles(done.imageId, 10, 'cumulative'))
    expect(all).toHaveLength(done.contents!.fileCount)
    expect(all.find((row) => row.path === '/etc/os-release')?.change).toBe('unchanged')
    const missing = await scanning.layerFiles(done.imageId, 11, 'layer')
    expect(missing.ok ? 'ok' : missing.error.code).toBe('INVALID_ARGUMENT')
  })

  it('cancels a running scan, keeps what it read marked as partial, and starts afresh when asked again', async () => {
    const fresh = createService({ scans: new ScanRegistry() })
    const started = valueOf(await fresh.startScan(FIXTURES.afterClassic))
    const cancelled = valueOf(await fresh.cancelScan(started.imageId))
    expect(cancelled.state).toBe('cancelled')
    expect(cancelled.analysis.notes?.at(-1)).toMatch(/^The scan was cancelled after \d+ of \d+ layers: the file findings cover only those layers\.$/)
    expect(valueOf(await fresh.scanStatus(started.imageId)).state).toBe('cancelled')
    expect(valueOf(await fresh.startScan(FIXTURES.afterClassic)).state).toBe('running')
    await fresh.cancelScan(started.imageId)
  })

  it('fails with an explained error, partial results marked, when the image is removed before its export is read', async () => {
    const tag = 'layerlens-test/removed-mid-scan:1'
    execFileSync('/usr/bin/docker', ['build', '--network', 'none', '-q', '-t', tag, '-'], {
      input: `FROM ${FIXTURES.pythonSlim}\nRUN echo ${process.pid} > /scan-me\n`,
      env: { ...process.env, DOCKER_BUILDKIT: '0' }
    })
    const registry = new ScanRegistry()
    const started = valueOf(await createService({ scans: registry }).startScan(tag))
    // Synchronous: the event loop cannot send the export request before the image is gone.
    execFileSync('/usr/bin/docker', ['rmi', '-f', tag])
    const ended = await registry.settled(started.imageId)
    expect(ended.state).toBe('failed')
    expect(ended.error).toMatchObject({ code: 'IMAGE_NOT_FOUND', message: `The image ${tag} was removed while its layers were being read.` })
    expect(ended.analysis.notes?.at(-1)).toMatch(/^The read failed after \d+ of \d+ layers: the file findings cover only those layers\.$/)
  })

  it('refuses the status of an image never scanned, saying how to start', async () => {
    const result = await createService().scanStatus(`sha256:${'0'.repeat(64)}`)
    expect(result.ok ? 'ok' : result.error.fix).toContain('startScan')
  })
})
