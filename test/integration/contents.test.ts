// Layer contents through the real service on the real contents-* fixture images
// (test/fixtures/apps/<shape>/Dockerfile, built by scripts/fixtures/build.sh with both builders).
// The byte counts are the ones those Dockerfiles write with `head -c`; the pip cache, which pip
// writes itself, is measured by an independent witness (Python's tarfile over `docker save`).
import { execFileSync } from 'node:child_process'
import { resolve } from 'node:path'
import { beforeAll, describe, expect, it } from 'vitest'
import type { FileRow, ImageAnalysis, RuleId, WasteStatement } from '../../src-main/engine/model'
import { createService } from '../../src-main/service'
import type { FileView, ScanStatus } from '../../src-preload/contract'
import { dockerCliFormat, projectRoot, valueOf } from './support'

const service = createService()
const POLL_MS = 25
/** Waste sentences name the removing step by its command, shortened past this many characters. */
const SENTENCE_COMMAND_PREFIX = 30

type Builder = 'classic' | 'buildkit'
const BOTH_BUILDERS: Builder[] = ['classic', 'buildkit']
const contentsImage = (shape: string, builder: Builder): string => `layerlens-fixtures/contents-${shape}:${builder}`
/** The base of the pip shapes: its own reclaimable bytes come on top of theirs. */
const PYTHON_SLIM = 'layerlens-fixtures/python:3.11-slim'

const SHAPES_BY_BUILDER: Record<string, Builder[]> = {
  'pip-cache-removed': BOTH_BUILDERS,
  'dir-deleted': BOTH_BUILDERS,
  'opaque-whiteout': BOTH_BUILDERS,
  'dotenv-deleted': BOTH_BUILDERS,
  'file-overwritten': BOTH_BUILDERS,
  'whiteout-heavy': BOTH_BUILDERS,
  'steps-history-cannot-place': ['classic'],
  'pip-no-cache-env': ['buildkit'],
  'user-numeric': ['buildkit'],
  'user-numeric-passwd': ['buildkit'],
  'user-0': ['buildkit'],
  'user-named-uid-0': ['buildkit']
}

/** startScan, then scanStatus until the scan ends; it must end `done`. */
async function scanToEnd(ref: string): Promise<ScanStatus> {
  let status = valueOf(await service.startScan(ref))
  while (status.state === 'running') {
    await new Promise((resolvePoll) => setTimeout(resolvePoll, POLL_MS))
    status = valueOf(await service.scanStatus(status.imageId))
  }
  expect(status.error, ref).toBeUndefined()
  expect(status.state, ref).toBe('done')
  return status
}

const scans = new Map<string, ScanStatus>()
const scanOf = (ref: string): ScanStatus => {
  const status = scans.get(ref)
  if (status === undefined) throw new Error(`${ref} was not scanned`)
  return status
}

beforeAll(async () => {
  const refs = Object.entries(SHAPES_BY_BUILDER).flatMap(([shape, builders]) => builders.map((builder) => contentsImage(shape, builder)))
  const missing = refs.filter((ref) => !imageExists(ref))
  if (missing.length > 0) throw new Error(`Fixture images missing: ${missing.join(', ')}. Build them with \`npm run fixtures\`.`)
  for (const ref of [...refs, PYTHON_SLIM]) scans.set(ref, await scanToEnd(ref))
})

function imageExists(ref: string): boolean {
  try {
    dockerCliFormat(['image', 'inspect', ref], '{{.Id}}')
    return true
  } catch {
    return false
  }
}

const files = async (status: ScanStatus, layerIndex: number, view: FileView): Promise<FileRow[]> =>
  valueOf(await service.layerFiles(status.imageId, layerIndex, view))
const lastLayer = (status: ScanStatus): number => status.analysis.layers.length - 1
const stepOfLayer = (analysis: ImageAnalysis, layerIndex: number): number => {
  const step = analysis.steps.find((candidate) => candidate.layerIndex === layerIndex)
  if (step === undefined) throw new Error(`no step made layer ${layerIndex}`)
  return step.index
}
const findingsOf = (status: ScanStatus, rule: RuleId) => status.analysis.findings.filter((finding) => finding.rule === rule)
const wasteAt = (status: ScanStatus, path: string): WasteStatement | undefined => status.contents?.waste.find((statement) => statement.path === path)
const rowAt = (rows: readonly FileRow[], path: string): FileRow | undefined => rows.find((row) => row.path === path)
const isUnder = (path: string, directory: string): boolean => path === directory || path.startsWith(`${directory}/`)

/**
 * The waste statement for `path`: its bytes, who removed them and who still ships them, and a
 * sentence naming the removing step by its command and both steps by number.
 */
function expectWaste(
  status: ScanStatus,
  expected: { path: string; reason: WasteStatement['reason']; bytes: number; removedInLayer: number; shippedInLayer: number }
): void {
  const { analysis } = status
  const statement = wasteAt(status, expected.path)
  expect(statement, `waste statement for ${expected.path}`).toBeDefined()
  const removedByStep = stepOfLayer(analysis, expected.removedInLayer)
  const shippedByStep = stepOfLayer(analysis, expected.shippedInLayer)
  expect(statement).toMatchObject({
    path: expected.path,
    reason: expected.reason,
    removedByStep,
    bytes: expected.bytes,
    shippedBy: [{ stepIndex: shippedByStep, bytes: expected.bytes }]
  })
  // e.g. "RUN rm -rf /opt/dataset in step 3 freed nothing: 4 MB of /opt/dataset still ship in step 2." (steps count from 1).
  const remover = analysis.steps[removedByStep]!
  expect(statement!.sentence.startsWith(`${remover.instruction} ${remover.args}`.slice(0, SENTENCE_COMMAND_PREFIX))).toBe(true)
  expect(statement!.sentence).toMatch(new RegExp(`in step ${removedByStep + 1}\\b.* step ${shippedByStep + 1}\\b`))
}

/** Reclaimable bytes: in total, and for each layer the Dockerfile added on top of the single-layer base. */
function expectReclaimable(status: ScanStatus, byLayer: number[]): void {
  const contents = status.contents!
  expect(contents.layers.map((layer) => layer.reclaimableBytes)).toEqual(byLayer)
  expect(contents.reclaimableBytes).toBe(byLayer.reduce((sum, bytes) => sum + bytes, 0))
}

/** What the filesystem holds after `layerIndex`: the cumulative view without the rows it marks removed. */
async function filesystemAfter(status: ScanStatus, layerIndex: number): Promise<FileRow[]> {
  return (await files(status, layerIndex, 'cumulative')).filter((row) => row.change !== 'removed')
}

/**
 * The final filesystem holds nothing at or under `path`; the layer that removed it lists it as removed, with
 * the bytes it took away, in its own view and (marked removed) in the cumulative one.
 */
async function expectRemoved(status: ScanStatus, path: string, removedInLayer: number, bytes: number): Promise<void> {
  expect((await filesystemAfter(status, lastLayer(status))).filter((row) => isUnder(row.path, path))).toEqual([])
  const removedRow = { change: 'removed', size: bytes, layerIndex: removedInLayer }
  expect(rowAt(await files(status, removedInLayer, 'layer'), path)).toMatchObject(removedRow)
  expect(rowAt(await files(status, removedInLayer, 'cumulative'), path)).toMatchObject(removedRow)
}

describe.each(BOTH_BUILDERS)('contents-dir-deleted:%s (rm -rf of a 4,000,000-byte directory)', (builder) => {
  const ref = contentsImage('dir-deleted', builder)

  it('reclaims exactly the deleted bytes, shipped by the step that wrote them', () => {
    const status = scanOf(ref)
    expectReclaimable(status, [0, 4_000_000, 0])
    expectWaste(status, { path: '/opt/dataset', reason: 'deleted', bytes: 4_000_000, removedInLayer: 2, shippedInLayer: 1 })
    expect(status.contents!.waste).toHaveLength(1)
  })

  it('shows the directory in its own layer, removed in the next and gone from the final view', async () => {
    const status = scanOf(ref)
    const added = await files(status, 1, 'layer')
    expect(rowAt(added, '/opt/dataset/raw/part-1.bin')).toMatchObject({ type: 'file', size: 2_500_000, change: 'added', layerIndex: 1 })
    expect(rowAt(added, '/opt/dataset/raw/part-2.bin')).toMatchObject({ size: 1_000_000, change: 'added' })
    expect(rowAt(added, '/opt/dataset/index.bin')).toMatchObject({ size: 500_000, change: 'added' })
    await expectRemoved(status, '/opt/dataset', 2, 4_000_000)
  })
})

describe('contents-steps-history-cannot-place:classic (a WORKDIR, a RUN that deletes and a RUN that changes nothing, all 0 B)', () => {
  const ref = contentsImage('steps-history-cannot-place', 'classic')

  it('places each step on its layer by the export config, and blames the RUN that deleted', () => {
    const status = scanOf(ref)
    const userSteps = status.analysis.steps.slice(1).map((step) => [step.instruction, step.layerIndex])
    expect(userSteps).toEqual([
      ['COPY', 1],
      ['WORKDIR', undefined],
      ['RUN', 2],
      ['RUN', 3],
      ['RUN', undefined]
    ])
    expectWaste(status, { path: '/root/.cache', reason: 'deleted', bytes: 3_000_000, removedInLayer: 3, shippedInLayer: 2 })
    const wasted = status.analysis.findings.find((finding) => finding.rule === 'wasted-bytes')
    // The RUN that shipped the bytes, then the one that deleted them.
    expect(wasted?.evidence.steps).toEqual([3, 4])
  })
})

describe.each(BOTH_BUILDERS)('contents-opaque-whiteout:%s (a directory removed and recreated in one RUN)', (builder) => {
  const ref = contentsImage('opaque-whiteout', builder)

  it('writes an opaque whiteout, as the witness sees it', () => {
    expect(layerListing(ref)[2]!.map(([path]) => path)).toContain('srv/assets/.wh..wh..opq')
  })

  it('counts the hidden 2,300,000 bytes as reclaimable, shipped by the first RUN', () => {
    const status = scanOf(ref)
    expectReclaimable(status, [0, 2_300_000, 0])
    expectWaste(status, { path: '/srv/assets', reason: 'hidden-by-opaque', bytes: 2_300_000, removedInLayer: 2, shippedInLayer: 1 })
  })

  it('keeps only the recreated content in the final view', async () => {
    const status = scanOf(ref)
    const final = await filesystemAfter(status, lastLayer(status))
    expect(final.filter((row) => isUnder(row.path, '/srv/assets')).map((row) => [row.path, row.size])).toEqual([
      ['/srv/assets', 0],
      ['/srv/assets/bundle-v2.bin', 700_000]
    ])
    const changes = await files(status, 2, 'layer')
    expect(rowAt(changes, '/srv/assets/bundle-v2.bin')).toMatchObject({ change: 'added', size: 700_000 })
    const removed = changes.filter((row) => row.change === 'removed' && isUnder(row.path, '/srv/assets'))
    expect(removed.reduce((sum, row) => sum + row.size, 0)).toBe(2_300_000)
  })
})

describe.each(BOTH_BUILDERS)('contents-dotenv-deleted:%s (a .env copied, then deleted)', (builder) => {
  const ref = contentsImage('dotenv-deleted', builder)
  const dotenvBytes = 112 // test/fixtures/apps/dotenv-deleted/.env

  it('finds the secret file in the COPY layer although a later step deleted it', () => {
    const status = scanOf(ref)
    const [finding, ...others] = findingsOf(status, 'secret-file')
    expect(others).toEqual([])
    expect(finding).toMatchObject({ confidence: 'confirmed', lessonPart: 'dockerignore' })
    expect(finding!.evidence.paths).toEqual(['/app/.env'])
    expect(finding!.evidence.bytes).toBe(dotenvBytes)
    expect(finding!.evidence.steps).toContain(stepOfLayer(status.analysis, 2))
  })

  it('reclaims the 112 bytes and drops .env from the final view, keeping settings.toml', async () => {
    const status = scanOf(ref)
    expectReclaimable(status, [0, 0, dotenvBytes, 0])
    expectWaste(status, { path: '/app/.env', reason: 'deleted', bytes: dotenvBytes, removedInLayer: 3, shippedInLayer: 2 })
    await expectRemoved(status, '/app/.env', 3, dotenvBytes)
    expect(rowAt(await files(status, 3, 'cumulative'), '/app/settings.toml')).toMatchObject({ size: 21, change: 'unchanged', layerIndex: 2 })
  })
})

describe.each(BOTH_BUILDERS)('contents-file-overwritten:%s (a rewritten file and a chmod copy-up)', (builder) => {
  const ref = contentsImage('file-overwritten', builder)

  it('reclaims the replaced 1,500,000 bytes and the 400,000 bytes a chmod copied up', () => {
    const status = scanOf(ref)
    expectReclaimable(status, [0, 1_900_000, 0])
    expectWaste(status, { path: '/opt/model/weights.bin', reason: 'overwritten', bytes: 1_500_000, removedInLayer: 2, shippedInLayer: 1 })
    expectWaste(status, { path: '/opt/model/run.sh', reason: 'overwritten', bytes: 400_000, removedInLayer: 2, shippedInLayer: 1 })
  })

  it('shows the newer copies as modified, and only those in the final view', async () => {
    const status = scanOf(ref)
    const changes = await files(status, 2, 'layer')
    expect(rowAt(changes, '/opt/model/weights.bin')).toMatchObject({ change: 'modified', size: 700_000, layerIndex: 2 })
    expect(rowAt(changes, '/opt/model/run.sh')).toMatchObject({ change: 'modified', size: 400_000, mode: 0o755 })
    const final = await filesystemAfter(status, 2)
    expect(rowAt(final, '/opt/model/weights.bin')).toMatchObject({ size: 700_000, layerIndex: 2 })
  })
})

describe.each(BOTH_BUILDERS)('contents-whiteout-heavy:%s (20,000 files, then 2,000 deleted)', (builder) => {
  const ref = contentsImage('whiteout-heavy', builder)
  const FILE_BYTES = 1024

  it('reclaims exactly the 2,000 deleted files', () => {
    const status = scanOf(ref)
    expectReclaimable(status, [0, 2_000 * FILE_BYTES, 0])
    for (const directory of ['d000', 'd001', 'd002', 'd003', 'd004']) {
      expectWaste(status, { path: `/data/${directory}`, reason: 'deleted', bytes: 100 * FILE_BYTES, removedInLayer: 2, shippedInLayer: 1 })
    }
    // Largest first: after the directories, single files (as many as the statement list holds).
    const fileStatements = status.contents!.waste.slice(5)
    expect(fileStatements.length).toBeGreaterThan(0)
    for (const statement of fileStatements) {
      expect(statement.path).toMatch(/^\/data\/d1\d\d\/f(0\d|1[0-4])$/)
      expectWaste(status, { path: statement.path, reason: 'deleted', bytes: FILE_BYTES, removedInLayer: 2, shippedInLayer: 1 })
    }
  })

  it('lists the 1,505 whiteouts as removed rows and keeps 18,000 files in the final view', async () => {
    const status = scanOf(ref)
    const changes = await files(status, 2, 'layer')
    const removed = changes.filter((row) => row.change === 'removed')
    expect(removed).toHaveLength(1_505)
    expect(removed.reduce((sum, row) => sum + row.size, 0)).toBe(2_000 * FILE_BYTES)
    const final = await filesystemAfter(status, 2)
    const dataFiles = final.filter((row) => row.type === 'file' && isUnder(row.path, '/data'))
    expect(dataFiles).toHaveLength(18_000)
    expect(dataFiles.every((row) => row.size === FILE_BYTES && row.layerIndex === 1)).toBe(true)
    expect(rowAt(final, '/data/d000')).toBeUndefined()
    expect(rowAt(final, '/data/d100/f14')).toBeUndefined()
    expect(rowAt(final, '/data/d100/f15')).toBeDefined()
  })
})

describe.each(BOTH_BUILDERS)('contents-pip-cache-removed:%s (pip cache removed in a later RUN)', (builder) => {
  const ref = contentsImage('pip-cache-removed', builder)
  const installLayer = 5
  const removeLayer = 6

  it('confirms the pip cache with the bytes that still ship in the install layer', () => {
    const status = scanOf(ref)
    const cacheBytes = witnessBytesUnder(ref, installLayer, 'root/.cache/pip')
    expect(cacheBytes).toBeGreaterThan(8_000_000) // the padding package's sdist and wheel, 4 MiB each
    const [finding, ...others] = findingsOf(status, 'pip-cache')
    expect(others).toEqual([])
    expect(finding).toMatchObject({ confidence: 'confirmed' })
    expect(finding!.evidence.bytes).toBe(cacheBytes)
    expect(finding!.evidence.steps).toContain(stepOfLayer(status.analysis, installLayer))
  })

  it('says the rm -rf freed nothing: the install step still ships the cache', async () => {
    const status = scanOf(ref)
    const cacheBytes = witnessBytesUnder(ref, installLayer, 'root/.cache')
    expectWaste(status, { path: '/root/.cache', reason: 'deleted', bytes: cacheBytes, removedInLayer: removeLayer, shippedInLayer: installLayer })
    // On top of what the base image already wastes, exactly the cache.
    const base = scanOf(PYTHON_SLIM).contents!
    expect(status.contents!.reclaimableBytes).toBe(base.reclaimableBytes + cacheBytes)
    expect(status.contents!.layers.slice(installLayer).map((layer) => layer.reclaimableBytes)).toEqual([cacheBytes, 0])
    await expectRemoved(status, '/root/.cache', removeLayer, cacheBytes)
  })
})

describe('contents-pip-no-cache-env:buildkit (ENV PIP_NO_CACHE_DIR=1, then pip install)', () => {
  const ref = contentsImage('pip-no-cache-env', 'buildkit')

  it('finds no pip cache, and the witness agrees there is none', () => {
    const status = scanOf(ref)
    expect(findingsOf(status, 'pip-cache')).toEqual([])
    expect(layerListing(ref).flat().filter(([path]) => path.startsWith('root/.cache'))).toEqual([])
    expect(status.contents!.layers.at(-1)!.reclaimableBytes).toBe(0)
    expect(status.contents!.reclaimableBytes).toBe(scanOf(PYTHON_SLIM).contents!.reclaimableBytes)
  })
})

describe('numeric and resolved users', () => {
  it.each([
    ['user-numeric', false],
    ['user-numeric-passwd', false],
    ['user-0', true],
    ['user-named-uid-0', true]
  ] as const)('contents-%s:buildkit runs as root: %s', (shape, root) => {
    const status = scanOf(contentsImage(shape, 'buildkit'))
    const findings = findingsOf(status, 'root-user')
    expect(findings).toHaveLength(root ? 1 : 0)
    if (root) expect(findings[0]!.confidence).toBe('confirmed')
  })

  it('resolves uid 0 behind a harmless-looking name through /etc/passwd', () => {
    const status = scanOf(contentsImage('user-named-uid-0', 'buildkit'))
    expect(status.analysis.config.user).toBe('deploy')
    expect(findingsOf(status, 'root-user')[0]!.evidence.paths).toContain('/etc/passwd')
  })
})

// ---- the witness: Python's tarfile over `docker save`, not Layerlens' reader ----

type WitnessEntry = [path: string, type: string, size: number]
const listings = new Map<string, WitnessEntry[][]>()

function layerListing(ref: string): WitnessEntry[][] {
  let listing = listings.get(ref)
  if (listing === undefined) {
    const script = resolve(projectRoot, 'scripts/fixtures/layer_listing.py')
    const json = execFileSync('/bin/sh', ['-c', '/usr/bin/docker save "$1" | /usr/bin/python3 "$2"', 'layer-listing', ref, script], {
      encoding: 'utf8',
      maxBuffer: 64 * 1024 * 1024
    })
    listing = JSON.parse(json) as WitnessEntry[][]
    listings.set(ref, listing)
  }
  return listing
}

function witnessBytesUnder(ref: string, layerIndex: number, directory: string): number {
  return layerListing(ref)[layerIndex]!.filter(([path, type]) => type === 'file' && path.startsWith(`${directory}/`)).reduce((sum, [, , size]) => sum + size, 0)
}
