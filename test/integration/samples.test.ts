// Samples, snapshots and image archives in the service: the bundled samples open with no engine, a snapshot
// of a real scan opens again with the same findings, contents and files, and so does the image's archive file.
import { execFileSync } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { SEVERITIES } from '../../src-main/engine/model'
import { ScanRegistry } from '../../src-main/scans'
import { createService } from '../../src-main/service'
import type { FileView, ScanStatus } from '../../src-preload/contract'
import { FIXTURES, requireFixtureImages, valueOf } from './support'

const VIEWS: FileView[] = ['layer', 'cumulative']

describe('bundled samples, with no engine', () => {
  const offline = createService({ environment: { env: { DOCKER_HOST: 'unix:///tmp/layerlens-test-no-engine.sock' } } })

  it('lists every sample with its image, size and finding counts', async () => {
    const samples = valueOf(await offline.listSamples())
    expect(samples.map((sample) => sample.id)).toEqual(['lesson-before', 'lesson-after', 'pip-cache-removed', 'dotenv-deleted'])
    for (const sample of samples) {
      expect(sample.imageName).toMatch(/^layerlens-fixtures\//)
      expect(sample.findingCounts.map(({ severity }) => severity)).toEqual(SEVERITIES)
    }
  })

  it('opens each sample as a finished scan whose handle answers every read operation', async () => {
    for (const { id } of valueOf(await offline.listSamples())) {
      const opened = valueOf(await offline.openSample(id))
      expect(opened.state).toBe('done')
      expect(opened.imageId).not.toBe(opened.analysis.image.id)
      expect(valueOf(await offline.analyzeImage(opened.imageId))).toEqual(opened.analysis)
      expect(valueOf(await offline.startScan(opened.imageId))).toEqual(opened)
      expect(valueOf(await offline.scanStatus(opened.imageId))).toEqual(opened)
      const lastLayer = opened.layerCount - 1
      expect(valueOf(await offline.layerFiles(opened.imageId, lastLayer, 'cumulative')).length).toBeGreaterThan(1000)
      expect(valueOf(await offline.imageReport(opened.imageId, 'html'))).toContain('<svg')
      expect(valueOf(await offline.imageReport(opened.imageId, 'markdown'))).toContain('## Layerlens audit')
    }
  })

  it('refuses a file that is not a snapshot, saying why', async () => {
    const result = await offline.openSnapshot('{"format":"something-else"}')
    expect(result.ok).toBe(false)
    if (!result.ok) {
      expect(result.error.code).toBe('INVALID_ARGUMENT')
      expect(result.error.message).toContain('not a Layerlens snapshot')
    }
    const unknownSample = await offline.openSample('no-such-sample')
    expect(unknownSample.ok).toBe(false)
  })
})

describe('a snapshot of a real scan', () => {
  const scans = new ScanRegistry()
  const service = createService({ scans })
  let scanned: ScanStatus

  beforeAll(async () => {
    await requireFixtureImages()
    scanned = await scans.settled(valueOf(await service.startScan(FIXTURES.beforeBuildkit)).imageId)
  })

  it('opens again with the same findings, contents and files, apart from the live scan', async () => {
    const text = valueOf(await service.exportSnapshot(scanned.imageId))
    expect(text).not.toContain('layerlens-fixture-not-a-secret')
    const reopened = valueOf(await service.openSnapshot(text))
    expect(reopened.analysis).toEqual(scanned.analysis)
    expect(reopened.contents).toEqual(scanned.contents)
    for (let layerIndex = 0; layerIndex < scanned.layerCount; layerIndex++) {
      for (const view of VIEWS) {
        expect(valueOf(await service.layerFiles(reopened.imageId, layerIndex, view))).toEqual(valueOf(await service.layerFiles(scanned.imageId, layerIndex, view)))
      }
    }
    // The image's own id still reads the engine's scan.
    expect(valueOf(await service.scanStatus(scanned.imageId))).toEqual(scanned)
    // Exporting the opened snapshot again gives the same snapshot, but for its time.
    const withoutTime = (snapshotText: string) => ({ ...JSON.parse(snapshotText), createdAt: undefined }) as unknown
    expect(withoutTime(valueOf(await service.exportSnapshot(reopened.imageId)))).toEqual(withoutTime(text))
  })
})

describe('an image archive file, opened with no engine', () => {
  const scans = new ScanRegistry()
  const service = createService({ scans })
  const offline = createService({ environment: { env: { DOCKER_HOST: 'unix:///tmp/layerlens-test-no-engine.sock' } } })
  const folder = mkdtempSync(join(tmpdir(), 'layerlens-open-archive-'))
  const archive = join(folder, 'lesson-after.tar')
  let scanned: ScanStatus

  beforeAll(async () => {
    await requireFixtureImages()
    execFileSync('/usr/bin/docker', ['save', '-o', archive, FIXTURES.afterBuildkit])
    scanned = await scans.settled(valueOf(await service.startScan(FIXTURES.afterBuildkit)).imageId)
  })
  afterAll(() => rmSync(folder, { recursive: true, force: true }))

  it("opens as a finished scan with the engine scan's file findings, contents and files", async () => {
    const opened = valueOf(await offline.openArchive(archive))
    expect(opened.state).toBe('done')
    expect(opened.imageId).not.toBe(scanned.imageId)
    expect(opened.analysis.image.id).toBe(scanned.analysis.image.id)
    expect(opened.contents).toEqual(scanned.contents)
    const fileRules = (status: ScanStatus) => status.analysis.findings.filter((finding) => finding.confidence !== 'hint').map((finding) => finding.rule)
    expect(fileRules(opened)).toEqual(fileRules(scanned))
    for (let layerIndex = 0; layerIndex < scanned.layerCount; layerIndex++) {
      expect(valueOf(await offline.layerFiles(opened.imageId, layerIndex, 'cumulative'))).toEqual(valueOf(await service.layerFiles(scanned.imageId, layerIndex, 'cumulative')))
    }
    expect(valueOf(await offline.imageReport(opened.imageId, 'markdown'))).toContain('## Layerlens audit')
  })

  it('says plainly when the path holds no file, a folder, a file that is no tar, or a cut-off archive', async () => {
    const truncated = join(folder, 'truncated.tar')
    writeFileSync(truncated, readFileSync(archive).subarray(0, 10_000_000))
    const tiny = join(folder, 'notes.txt')
    writeFileSync(tiny, 'hello\n')
    for (const [path, reason] of [
      [join(folder, 'missing.tar'), 'there is no such file'],
      [folder, 'it is a folder, not a file'],
      [tiny, 'It is not a tar archive: it holds 6 bytes, fewer than one tar header.'],
      [truncated, 'The archive ends early']
    ] as const) {
      const result = await offline.openArchive(path)
      expect(result.ok, path).toBe(false)
      if (result.ok) continue
      expect(result.error.code).toBe('ARCHIVE_UNREADABLE')
      expect(result.error.message).toMatch(`The image archive ${path} could not be read: `)
      expect(result.error.message.slice(`The image archive ${path} could not be read: `.length)).toMatch(reason)
      expect(result.error.fix).toContain('docker save -o')
    }
  })
})
