// Writes the golden snapshot from a real fixture image and measures snapshot sizes. Runs only on request:
//   LAYERLENS_WRITE_GOLDEN=1 npx vitest run test/unit/snapshot/write-golden.test.ts
import { writeFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { createSnapshot, serializeSnapshot } from '../../../src-main/engine/snapshot'
import { GOLDEN_CREATED_AT, GOLDEN_SNAPSHOT_PATH, GOLDEN_TOOL_VERSION } from './golden'
import { readRealImage } from './real-image'

describe.runIf(process.env['LAYERLENS_WRITE_GOLDEN'] === '1')('golden snapshot writer', () => {
  it('writes lesson-after and measures lesson-before', async () => {
    for (const name of ['lesson-after_buildkit', 'lesson-before_buildkit'] as const) {
      const { analysis, layerFiles } = await readRealImage(name)
      const text = serializeSnapshot(createSnapshot({ analysis, layerFiles, toolVersion: GOLDEN_TOOL_VERSION, createdAt: GOLDEN_CREATED_AT }))
      const entries = layerFiles.reduce((sum, layer) => sum + layer.entries.length, 0)
      const verbose = JSON.stringify(layerFiles.map((layer) => layer.entries)).length
      console.log(`${name}: ${entries} entries, snapshot ${text.length} bytes; the same entries as plain objects: ${verbose} bytes`)
      if (name === 'lesson-after_buildkit') writeFileSync(GOLDEN_SNAPSHOT_PATH, text)
      expect(text.length).toBeGreaterThan(0)
    }
  })
})
