// One cold scan in this process: a fresh service (empty layer cache), startScan → done,
// with memory sampled at every poll. The parent runs this in a child process under /usr/bin/time.
import type { Result } from '../../src-preload/contract'
import { preferThroughputGarbageCollection } from '../../src-main/garbage-collection'
import { createService } from '../../src-main/service'
import { secondsSince } from './export-floor'

export interface ScanMeasurement {
  ref: string
  seconds: number
  bytesRead: number
  fileCount: number
  peakRssBytes: number
  peakHeapUsedBytes: number
}

const POLL_MS = 10

/** As `layerlens serve` and `audit` run it, and the desktop app (scripts/start.js passes the same flag to Electron). */
export async function scanOnce(ref: string): Promise<ScanMeasurement> {
  preferThroughputGarbageCollection()
  const service = createService()
  let peakRssBytes = 0
  let peakHeapUsedBytes = 0
  const sampleMemory = (): void => {
    const { rss, heapUsed } = process.memoryUsage()
    peakRssBytes = Math.max(peakRssBytes, rss)
    peakHeapUsedBytes = Math.max(peakHeapUsedBytes, heapUsed)
  }
  const started = process.hrtime.bigint()
  let status = valueOf(await service.startScan(ref))
  while (status.state === 'running') {
    sampleMemory()
    await new Promise((resolve) => setTimeout(resolve, POLL_MS))
    status = valueOf(await service.scanStatus(status.imageId))
  }
  const seconds = secondsSince(started)
  sampleMemory()
  if (status.state !== 'done') throw new Error(`scan of ${ref} ended ${status.state}: ${status.error?.message ?? 'no reason given'}`)
  return {
    ref,
    seconds,
    bytesRead: status.bytesRead,
    fileCount: status.contents?.fileCount ?? 0,
    peakRssBytes,
    peakHeapUsedBytes
  }
}

function valueOf<T>(result: Result<T>): T {
  if (!result.ok) throw new Error(`${result.error.code}: ${result.error.message}`)
  return result.value
}
