// `npm run bench [-- IMAGE...]`: the full analysis against the physical floor, measured in the same run.
// For each image, three times in turn: `docker save IMAGE > /dev/null`, then a cold scan (a fresh
// process, so an empty layer cache) under /usr/bin/time for the peak RSS; the best of each is compared.
// Prints figures and ratios; asserts nothing on time.
import { spawn } from 'node:child_process'
import { availableParallelism, loadavg } from 'node:os'
import { fileURLToPath } from 'node:url'
import { secondsSince, timeExport } from './export-floor'
import { scanOnce, type ScanMeasurement } from './scan-once'

const DEFAULT_IMAGES = [
  'layerlens-fixtures/lesson-before:buildkit',
  'layerlens-fixtures/contents-whiteout-heavy:buildkit',
  'layerlens-fixtures/contents-whiteout-heavy:classic'
]
const RUNS = 3
const SCAN_ONCE_FLAG = '--scan-once'

interface ChildScan extends ScanMeasurement {
  /** From /usr/bin/time: the whole process, node itself included. */
  maxRssBytes: number
  /** User + system CPU seconds of the scanning process: its own work, whatever else the machine does. */
  cpuSeconds: number
}

interface BenchRow {
  ref: string
  floorSeconds: number
  scan: ChildScan
}

async function main(args: string[]): Promise<void> {
  if (args[0] === SCAN_ONCE_FLAG) {
    process.stdout.write(`${JSON.stringify(await scanOnce(args[1]!))}\n`)
    return
  }
  const refs = args.length > 0 ? args : DEFAULT_IMAGES
  const loadAtStart = loadavg()[0]!
  const rows: BenchRow[] = []
  for (const ref of refs) {
    const floors: number[] = []
    const scans: ChildScan[] = []
    // Alternated, so a change in what else the machine does hits both alike.
    for (let run = 0; run < RUNS; run++) {
      floors.push(await timeExport(ref))
      scans.push(await scanInChild(ref))
    }
    const fastest = scans.reduce((best, scan) => (scan.seconds < best.seconds ? scan : best))
    rows.push({ ref, floorSeconds: Math.min(...floors), scan: { ...fastest, maxRssBytes: Math.max(...scans.map((scan) => scan.maxRssBytes)) } })
    process.stderr.write(`${ref}: export ${floors.map(seconds).join(' / ')} s, scan ${scans.map((scan) => seconds(scan.seconds)).join(' / ')} s\n`)
  }
  // Other work on the machine skews both figures: say how busy it was.
  process.stdout.write(`${table(rows)}\n\n${availableParallelism()} CPUs; 1-minute load average ${loadAtStart.toFixed(1)} at the start, ${loadavg()[0]!.toFixed(1)} at the end.\n`)
}

/** A cold scan in a child process under `/usr/bin/time -v`, which reports its maximum RSS. */
function scanInChild(ref: string): Promise<ChildScan> {
  const started = process.hrtime.bigint()
  return new Promise((resolve, reject) => {
    const child = spawn('/usr/bin/time', ['-v', process.execPath, fileURLToPath(import.meta.url), SCAN_ONCE_FLAG, ref])
    let stdout = ''
    let stderr = ''
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()))
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()))
    child.on('error', reject)
    child.on('close', (code) => {
      const maxRssKbytes = /Maximum resident set size \(kbytes\): (\d+)/.exec(stderr)?.[1]
      const userSeconds = /User time \(seconds\): ([\d.]+)/.exec(stderr)?.[1]
      const systemSeconds = /System time \(seconds\): ([\d.]+)/.exec(stderr)?.[1]
      if (code !== 0 || maxRssKbytes === undefined || userSeconds === undefined || systemSeconds === undefined) {
        reject(new Error(`scan of ${ref} failed after ${seconds(secondsSince(started))} s (exit ${code}):\n${stderr}`))
        return
      }
      resolve({
        ...(JSON.parse(stdout) as ScanMeasurement),
        maxRssBytes: Number(maxRssKbytes) * 1024,
        cpuSeconds: Number(userSeconds) + Number(systemSeconds)
      })
    })
  })
}

function table(rows: readonly BenchRow[]): string {
  const header = ['image', 'export bytes', 'files', 'docker save (s)', 'analysis (s)', 'ratio', 'beyond export (s)', 'analysis CPU (s)', 'max RSS (MB)', 'peak heap (MB)']
  const lines = rows.map(({ ref, floorSeconds, scan }) => [
    ref,
    megabytes(scan.bytesRead),
    scan.fileCount.toLocaleString('en-US'),
    seconds(floorSeconds),
    seconds(scan.seconds),
    `${(scan.seconds / floorSeconds).toFixed(2)}×`,
    seconds(scan.seconds - floorSeconds),
    seconds(scan.cpuSeconds),
    (scan.maxRssBytes / 1e6).toFixed(0),
    (scan.peakHeapUsedBytes / 1e6).toFixed(0)
  ])
  return [header, header.map(() => '---'), ...lines].map((cells) => `| ${cells.join(' | ')} |`).join('\n')
}

const seconds = (value: number): string => value.toFixed(2)
const megabytes = (bytes: number): string => `${(bytes / 1e6).toFixed(0)} MB`

main(process.argv.slice(2)).catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`)
  process.exit(1)
})
