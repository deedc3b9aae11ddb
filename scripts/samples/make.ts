// Writes the bundled samples (resources/samples/*.layerlens.json) from real scans of the fixture images
// (`npm run fixtures` builds them) on the engine the environment names. Run with `node scripts/samples/make.js`.
import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { ScanRegistry } from '../../src-main/scans'
import { createService, engineScanSource } from '../../src-main/service'
import { snapshotInputOf } from '../../src-main/snapshots'
import { writeSnapshotFile } from '../../src-main/sources/snapshot-file'

/** Which fixture image each sample is made from. */
const SAMPLE_IMAGES: Record<string, string> = {
  'lesson-before': 'layerlens-fixtures/lesson-before:buildkit',
  'lesson-after': 'layerlens-fixtures/lesson-after:buildkit',
  'pip-cache-removed': 'layerlens-fixtures/contents-pip-cache-removed:buildkit',
  'dotenv-deleted': 'layerlens-fixtures/contents-dotenv-deleted:buildkit'
}

const samplesDir = join(process.cwd(), 'resources', 'samples')
const index = JSON.parse(await readFile(join(samplesDir, 'samples.json'), 'utf8')) as Array<{ id: string; file: string }>
const scans = new ScanRegistry()
const service = createService({ scans })

for (const { id, file } of index) {
  const ref = SAMPLE_IMAGES[id]
  if (ref === undefined) throw new Error(`samples.json names ${id}, which has no fixture image here`)
  const started = await service.startScan(ref)
  if (!started.ok) throw new Error(`${ref}: ${started.error.message} ${started.error.fix}`)
  await scans.settled(started.value.imageId)
  const input = await snapshotInputOf(scans, engineScanSource(), started.value.imageId, new Date().toISOString())
  const bytes = await writeSnapshotFile(join(samplesDir, file), input)
  process.stdout.write(`${file}: ${ref}, ${input.analysis.findings.length} findings, ${(bytes / 1e6).toFixed(2)} MB\n`)
}
