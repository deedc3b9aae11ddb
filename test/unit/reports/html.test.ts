// The HTML report from a bundled sample (a real scan of the lesson's before image): one page, no scripts.
import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { formatHtmlReport, type AnalyzedImage } from '../../../src-main/engine/reports'
import { parseSnapshot } from '../../../src-main/engine/snapshot'

const sample = parseSnapshot(readFileSync(new URL('../../../resources/samples/lesson-before.layerlens.json', import.meta.url), 'utf8'))
const image: AnalyzedImage = { ref: 'lesson-before', status: 'analyzed', analysis: sample.analysis, ...(sample.contents && { contents: sample.contents }) }
const context = { tool: { name: 'layerlens' as const, version: '0.0.0-test' }, generatedAt: '2026-01-01T00:00:00.000Z', lessonParts: [] }

describe('formatHtmlReport', () => {
  const html = formatHtmlReport(image, context)

  it('is a single page with nothing to fetch and nothing to run', () => {
    expect(html.startsWith('<!doctype html>')).toBe(true)
    expect(html).not.toMatch(/<script|<link|<img|src=|url\(http/i)
    expect(html).toContain("default-src 'none'")
  })

  it('draws one bar per layer and one card per finding', () => {
    expect(html.match(/<rect x="\d+" y="0" width="[\d.]+" height="22" rx="3"/g)).toHaveLength(sample.analysis.layers.length)
    expect(html.match(/<article class="finding /g)).toHaveLength(sample.analysis.findings.length)
  })

  it('escapes what the image says about itself', () => {
    const hostile = structuredClone(image)
    hostile.analysis.image.repoTags = ['<img src=x onerror=alert(1)>']
    const page = formatHtmlReport(hostile, context)
    expect(page).not.toContain('<img src=x')
    expect(page).toContain('&lt;img src=x onerror=alert(1)&gt;')
  })
})
