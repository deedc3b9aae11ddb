// The before/after comparison on the real lesson images (captured metadata, golden snapshot files).
import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { compareImages } from '../../../src-main/engine/compare'
import type { ImageAnalysis } from '../../../src-main/engine/model'
import { formatCompareMarkdown, formatCompareText } from '../../../src-main/engine/reports'
import { parseSnapshot } from '../../../src-main/engine/snapshot'
import { analysisOf } from '../reports/report-data'
import { GOLDEN_SNAPSHOT_PATH } from '../snapshot/golden'

const BEFORE = 'layerlens-fixtures/lesson-before:buildkit'
const AFTER = 'layerlens-fixtures/lesson-after:buildkit'

const stepLabel = (step: { instruction: string; args: string } | undefined): string | undefined => (step ? `${step.instruction} ${step.args}` : undefined)

describe('compareImages', () => {
  const before = analysisOf('lesson-before_buildkit')
  const after = analysisOf('lesson-after_buildkit')
  const comparison = compareImages({ ref: BEFORE, analysis: before }, { ref: AFTER, analysis: after })

  it('gives the size change and a one-line verdict', () => {
    expect(comparison.sizeDelta).toBe(after.image.size - before.image.size)
    expect(comparison.sizeDelta).toBeLessThan(0)
    const percent = Math.round((-comparison.sizeDelta / before.image.size) * 100)
    const resolved = comparison.findings.resolved.length
    expect(comparison.verdict).toMatch(new RegExp(`^−\\d+ MB \\(−${percent}%\\), ${resolved} findings fixed, 0 new$`))
  })

  it('sorts findings into resolved, new and unchanged by rule', () => {
    const rules = (list: ReadonlyArray<{ rule: string }>): string[] => list.map((finding) => finding.rule).sort()
    const beforeRules = new Set(before.findings.map((finding) => finding.rule))
    const afterRules = new Set(after.findings.map((finding) => finding.rule))
    expect(rules(comparison.findings.resolved)).toEqual([...beforeRules].filter((rule) => !afterRules.has(rule)).sort())
    expect(rules(comparison.findings.unchanged)).toEqual([...afterRules].filter((rule) => beforeRules.has(rule)).sort())
    expect(comparison.findings.new).toEqual([])
    expect(rules(comparison.findings.resolved)).toContain('root-user')
  })

  it('matches steps by instruction even when the fix moved them, and names both bases', () => {
    const rows = comparison.steps.map((row) => [row.match, stepLabel(row.before), stepLabel(row.after)])
    expect(rows).toContainEqual(['same', 'COPY . .', 'COPY . .'])
    expect(rows).toContainEqual(['changed', 'RUN pip install -r requirements.txt', 'RUN pip install --no-cache-dir -r requirements.txt'])
    expect(rows).toContainEqual(['added', undefined, 'COPY requirements.txt .'])
    expect(comparison.base).toEqual({ before: before.base.size, after: after.base.size, delta: after.base.size - before.base.size })
    expect(comparison.before.base.family).toBe('python-full')
    expect(comparison.after.base.family).toBe('python-slim')
    const ownSteps = (analysis: ImageAnalysis): number => analysis.steps.filter((step) => !step.inBase && step.layerIndex !== undefined).length
    expect(comparison.steps.filter((row) => row.before !== undefined)).toHaveLength(ownSteps(before))
    expect(comparison.steps.filter((row) => row.after !== undefined)).toHaveLength(ownSteps(after))
  })

  it('leaves files out without layer files, and groups added and removed files by folder with them', () => {
    expect(comparison.files).toBeUndefined()
    const golden = parseSnapshot(readFileSync(GOLDEN_SNAPSHOT_PATH, 'utf8'))
    const layers = golden.layerFiles!
    const lastLayer = layers[layers.length - 1]!
    const shrunk = compareImages({ ref: AFTER, analysis: golden.analysis, layerFiles: layers }, { ref: 'without-last-layer', analysis: golden.analysis, layerFiles: layers.slice(0, -1) })
    const onlyInLast = lastLayer.entries.filter((entry) => entry.type === 'file' && !entry.whiteout)
    expect(shrunk.files!.addedTotal).toEqual({ files: 0, bytes: 0 })
    expect(shrunk.files!.removedTotal.files).toBeGreaterThan(0)
    expect(shrunk.files!.removedTotal.files).toBeLessThanOrEqual(onlyInLast.length)
    const listed = shrunk.files!.removed
    expect([...listed].sort((a, b) => b.bytes - a.bytes)).toEqual(listed)
    expect(compareImages({ ref: AFTER, analysis: golden.analysis, layerFiles: layers }, { ref: AFTER, analysis: golden.analysis, layerFiles: layers }).files).toEqual({
      added: [],
      removed: [],
      addedTotal: { files: 0, bytes: 0 },
      removedTotal: { files: 0, bytes: 0 },
    })
  })

  it('prints the comparison as text and as Markdown', () => {
    const text = formatCompareText(comparison)
    expect(text).toContain(`Verdict: ${comparison.verdict}`)
    expect(text).toContain('Files: not compared')
    const markdown = formatCompareMarkdown(comparison)
    expect(markdown).toContain(`**${comparison.verdict}**`)
    expect(markdown).toContain('| Step | Before | After | Change |')
  })
})
