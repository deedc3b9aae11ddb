// The fixture set on every engine of /run/layerlens/engines.json (Docker 20.10, Docker 26, Docker 26 with the
// containerd image store, podman), read through the service as the app reads it: the image list, the
// metadata-only analysis, and the full scan's findings, contents and final files must equal Docker 20.10's
// once the comparable*() functions (test/unit/engine/engine-parity.ts) have taken out what belongs to the
// engine. An engine the setup (scripts/engines/start.sh, load-fixtures.sh) marked as skipped is reported as
// skipped, with its reason. Every scan starts in beforeAll, so a `-t` filter still waits for all of them.
import { existsSync, readFileSync } from 'node:fs'
import { resolve } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { ImageAnalysis, ImageSummary } from '../../src-main/engine/model'
import { ScanRegistry } from '../../src-main/scans'
import { createService } from '../../src-main/service'
import type { Api, ScanStatus } from '../../src-preload/contract'
import { comparableAnalysis, comparableFinding, comparableSummary, withoutPodmanPrefix } from '../unit/engine/engine-parity'
import { projectRoot, valueOf } from './support'

const ENGINES_FILE = '/run/layerlens/engines.json'
const REFERENCE_ENGINE = 'docker-20.10'
/** Scans in flight at once, over all engines: the exports are CPU-bound in the daemons, on 2 cores. */
const SCANS_AT_ONCE = 3
/** Every engine's scans queue behind one another, so a scan may wait for many others before it starts. */
const SCAN_TIMEOUT_MS = 30 * 60_000

interface EngineEntry {
  name: string
  host: string
  version?: string
  skipped?: string
}

function enginesListed(): EngineEntry[] {
  if (!existsSync(ENGINES_FILE)) throw new Error(`${ENGINES_FILE} is missing: start the engines with scripts/engines/start.sh (.ci/run does).`)
  return JSON.parse(readFileSync(ENGINES_FILE, 'utf8')) as EngineEntry[]
}

/** The images load-fixtures.sh copies into every engine: its own IMAGES list, so the two cannot drift apart. */
function loadedFixtures(): string[] {
  const script = readFileSync(resolve(projectRoot, 'scripts/engines/load-fixtures.sh'), 'utf8')
  const prefix = /^PREFIX=(\S+)$/m.exec(script)?.[1]
  const list = /^IMAGES=\(([^)]*)\)/m.exec(script)?.[1] ?? ''
  const refs = [...list.matchAll(/"\$PREFIX\/([^"]+)"/g)].map((match) => `${prefix}/${match[1]}`)
  if (prefix === undefined || refs.length === 0) throw new Error('No PREFIX= and IMAGES=( "$PREFIX/…" ) in scripts/engines/load-fixtures.sh')
  return refs
}

/** A full scan: what it read from the files must match to the byte; its findings are made comparable. */
function comparableScan(read: ScanRead): unknown {
  const { status } = read
  return withoutPodmanPrefix({
    state: status.state,
    layersDone: status.layersDone,
    layerCount: status.layerCount,
    contents: status.contents,
    findings: status.analysis.findings.map(comparableFinding),
    finalFiles: read.finalFiles
  })
}

// ---- Reading an engine through the service ----

const serviceFor = (engine: EngineEntry, scans?: ScanRegistry): Api =>
  createService({ environment: { env: { ...process.env, DOCKER_HOST: engine.host } }, ...(scans === undefined ? {} : { scans }) })

interface MetadataRead {
  /** By fixture name; podman's `localhost/` names found under the plain one. */
  summaries: Map<string, ImageSummary>
  analyses: Map<string, ImageAnalysis>
}

async function readMetadata(engine: EngineEntry, refs: readonly string[]): Promise<MetadataRead> {
  const service = serviceFor(engine)
  const listed = valueOf(await service.listImages(), `${engine.name}: listImages`)
  const summaries = new Map<string, ImageSummary>()
  for (const summary of listed) for (const tag of withoutPodmanPrefix(summary.repoTags)) if (refs.includes(tag)) summaries.set(tag, summary)
  const analyses = new Map<string, ImageAnalysis>()
  for (const ref of refs) analyses.set(ref, valueOf(await service.analyzeImage(ref), `${engine.name}: analyzeImage(${ref})`))
  return { summaries, analyses }
}

interface ScanRead {
  status: ScanStatus
  /** `path type size mode uid:gid linkTarget` of every path in the final filesystem, sorted. */
  finalFiles: string[]
}

/** Seconds each engine spent scanning, for the summary at the end. */
const scanSeconds = new Map<string, number>()

/** A scan with a registry of its own: a shared layer cache would spare later images part of their export, or all of it. */
async function scanOn(engine: EngineEntry, ref: string): Promise<ScanRead> {
  const started = Date.now()
  const scans = new ScanRegistry()
  const service = serviceFor(engine, scans)
  const what = `${engine.name}: ${ref}`
  const status = await scans.settled(valueOf(await service.startScan(ref), `${what}: startScan`).imageId)
  if (status.state !== 'done') throw new Error(`${what}: the scan ended ${status.state}: ${status.error?.message}`)
  const rows = valueOf(await service.layerFiles(status.imageId, status.layerCount - 1, 'cumulative'), `${what}: layerFiles`)
  const finalFiles = rows
    .filter((row) => row.change !== 'removed')
    .map((row) => `${row.path} ${row.type} ${row.size} ${row.mode.toString(8)} ${row.uid}:${row.gid} ${row.linkTarget ?? ''}`)
  scanSeconds.set(engine.name, (scanSeconds.get(engine.name) ?? 0) + (Date.now() - started) / 1000)
  return { status, finalFiles: finalFiles.sort() }
}

/** Runs at most `limit` of the tasks given to it at once, in the order given. */
function limiter(limit: number): <T>(task: () => Promise<T>) => Promise<T> {
  let running = 0
  const waiting: Array<() => void> = []
  return async (task) => {
    if (running < limit) running++
    // A finishing task hands its slot straight over, so `running` never counts a waiter twice.
    else await new Promise<void>((resolveSlot) => waiting.push(resolveSlot))
    try {
      return await task()
    } finally {
      const next = waiting.shift()
      if (next !== undefined) next()
      else running--
    }
  }
}

// ---- The tests ----

const engines = enginesListed()
const reference = engines.find((engine) => engine.name === REFERENCE_ENGINE && engine.skipped === undefined)
const running = engines.filter((engine) => engine.skipped === undefined)
const refs = loadedFixtures()
const metadata = new Map<string, Promise<MetadataRead>>()
const scanReads = new Map<string, Promise<ScanRead>>()
const scanKey = (engine: EngineEntry, ref: string): string => `${engine.name} ${ref}`
const suiteStarted = Date.now()

beforeAll(() => {
  if (reference === undefined) throw new Error(`${ENGINES_FILE} lists no running ${REFERENCE_ENGINE}, the reference engine`)
  for (const engine of running) metadata.set(engine.name, readMetadata(engine, refs))
  // Image by image, each on every engine: the engines' exports run side by side rather than one engine's in a row.
  const slot = limiter(SCANS_AT_ONCE)
  for (const ref of refs) for (const engine of running) scanReads.set(scanKey(engine, ref), slot(() => scanOn(engine, ref)))
  // Each is awaited by its test; a rejection is reported there, not as unhandled.
  for (const read of [...metadata.values(), ...scanReads.values()]) read.catch(() => undefined)
})

afterAll(async () => {
  await Promise.allSettled(scanReads.values())
  const perEngine = [...scanSeconds].map(([name, seconds]) => `${name} ${seconds.toFixed(0)} s`).join(', ')
  const total = ((Date.now() - suiteStarted) / 1000).toFixed(0)
  console.log(`engines parity: ${refs.length} images on ${running.length} engines, ${SCANS_AT_ONCE} scans at once: ${total} s in all; scanning per engine: ${perEngine}`)
}, SCAN_TIMEOUT_MS)

describe.each(engines.filter((engine) => engine.name !== REFERENCE_ENGINE))('$name', (engine) => {
  if (engine.skipped !== undefined) {
    console.warn(`engines parity: ${engine.name} is not tested here: ${engine.skipped}`)
    it.skip(`skipped by the engine setup: ${engine.skipped}`, () => undefined)
    return
  }
  const against = async () => ({ mine: await metadata.get(engine.name)!, theirs: await metadata.get(REFERENCE_ENGINE)! })

  it(`(${engine.version}) lists every fixture image as ${REFERENCE_ENGINE} does, sized alike`, async () => {
    const { mine, theirs } = await against()
    expect([...mine.summaries.keys()].sort()).toEqual([...refs].sort())
    for (const ref of refs) {
      const summary = mine.summaries.get(ref)!
      const referenceSummary = theirs.summaries.get(ref)!
      expect(comparableSummary(summary), ref).toEqual(comparableSummary(referenceSummary))
      // The list's id is the one the image view opens.
      expect(summary.id, ref).toBe(mine.analyses.get(ref)!.image.id)
      // Engines count an image's bytes their own way (file bytes, or tar bytes with a header per entry), never
      // fewer than its files hold; a size counting the content twice (the containerd store's list Size) fails.
      expect(summary.size, ref).toBeGreaterThanOrEqual(referenceSummary.size)
      expect(summary.size, ref).toBeLessThanOrEqual(referenceSummary.size * 1.1)
    }
  })

  it(`analyses every fixture image's metadata as ${REFERENCE_ENGINE} does`, async () => {
    const { mine, theirs } = await against()
    for (const ref of refs) expect(comparableAnalysis(mine.analyses.get(ref)!), ref).toEqual(comparableAnalysis(theirs.analyses.get(ref)!))
  })

  it.each(refs)(
    'scans %s to the same findings, contents and final files',
    async (ref) => {
      const read = await scanReads.get(scanKey(engine, ref))!
      const referenceRead = await scanReads.get(scanKey(reference!, ref))!
      expect(read.finalFiles.length).toBe(referenceRead.finalFiles.length)
      expect(comparableScan(read)).toEqual(comparableScan(referenceRead))
    },
    SCAN_TIMEOUT_MS
  )
})
