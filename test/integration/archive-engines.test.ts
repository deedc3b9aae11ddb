// The same image on every engine of /run/layerlens/engines.json (Docker 20.10, Docker 26, Docker 26 with
// the containerd store, podman): its export read by the same reader must give the same final files and
// the same findings. An engine the setup marked as skipped is reported as skipped, with its reason.
import { existsSync, readFileSync } from 'node:fs'
import { beforeAll, describe, expect, it } from 'vitest'
import type { Finding } from '../../src-main/engine/model'
import { ScanRegistry } from '../../src-main/scans'
import { createService } from '../../src-main/service'
import type { Result, ScanStatus } from '../../src-preload/contract'
import { FIXTURES } from './support'

const ENGINES_FILE = '/run/layerlens/engines.json'
const REFERENCE_ENGINE = 'docker-20.10'

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

function valueOf<T>(result: Result<T>, engine: string): T {
  if (!result.ok) throw new Error(`${engine}: ${result.error.code}: ${result.error.message}`)
  return result.value
}

interface EngineRead {
  status: ScanStatus
  /** `path type size` of every path in the final filesystem. */
  finalFiles: string[]
}

async function readOn(engine: EngineEntry): Promise<EngineRead> {
  const scans = new ScanRegistry()
  const service = createService({ environment: { env: { ...process.env, DOCKER_HOST: engine.host } }, scans })
  const started = valueOf(await service.startScan(FIXTURES.beforeBuildkit), engine.name)
  const status = await scans.settled(started.imageId)
  if (status.state !== 'done') throw new Error(`${engine.name}: the scan ended ${status.state}: ${status.error?.message}`)
  const rows = valueOf(await service.layerFiles(status.imageId, status.layerCount - 1, 'cumulative'), engine.name)
  const finalFiles = rows.filter((row) => row.change !== 'removed').map((row) => `${row.path} ${row.type} ${row.size}`)
  return { status, finalFiles: finalFiles.sort() }
}

/** What must not depend on the engine: rule, confidence, the files named, and bytes that come from files. */
function comparable(finding: Finding): unknown {
  const fromFiles = finding.evidence.paths !== undefined && finding.rule !== 'bloated-base'
  return { rule: finding.rule, confidence: finding.confidence, paths: finding.evidence.paths, bytes: fromFiles ? finding.evidence.bytes : undefined }
}

const engines = enginesListed()
const reads = new Map<string, EngineRead>()

beforeAll(async () => {
  const reference = engines.find((engine) => engine.name === REFERENCE_ENGINE && engine.skipped === undefined)
  if (reference === undefined) throw new Error(`${ENGINES_FILE} lists no running ${REFERENCE_ENGINE}, the reference engine`)
  reads.set(reference.name, await readOn(reference))
})

describe(`${FIXTURES.beforeBuildkit} read from each engine's export`, () => {
  for (const engine of engines) {
    if (engine.skipped !== undefined) {
      it.skip(`${engine.name}: skipped by the engine setup: ${engine.skipped}`, () => undefined)
      continue
    }
    it(`${engine.name} (${engine.version ?? 'unknown version'}) gives the same final files and findings as ${REFERENCE_ENGINE}`, async () => {
      const reference = reads.get(REFERENCE_ENGINE)!
      const read = reads.get(engine.name) ?? (await readOn(engine))
      expect(read.status.layersDone).toBe(reference.status.layerCount)
      expect(read.finalFiles.length).toBe(reference.finalFiles.length)
      expect(read.finalFiles).toEqual(reference.finalFiles)
      expect(read.status.analysis.findings.map(comparable)).toEqual(reference.status.analysis.findings.map(comparable))
      expect(read.status.contents?.finalBytes).toBe(reference.status.contents?.finalBytes)
    })
  }
})
