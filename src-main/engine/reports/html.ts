// The HTML report of one image: a single self-contained page (inline CSS, the layer chart as inline SVG,
// no scripts), readable offline and fit for printing.
import type { Finding, LessonPart } from '../model'
import { formatBytes, formatPercent, imageName, plural, shortId } from './format'
import { verdictLine } from './markdown'
import { lessonUri, type AnalyzedImage, type ReportContext } from './types'

const escapeHtml = (text: string): string =>
  text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;')

const CHART_WIDTH = 760
const BAR_HEIGHT = 22
const LABEL_WIDTH = 300
const MAX_WASTE_ROWS = 10
/** The Markdown verdict's leading emoji: fonts for it are often missing offline, and the page has colour. */
const VERDICT_MARK = /^\S+\s/

/** One bar per layer, its length the layer's size, its reclaimable part hatched, base layers greyed. */
export function layerChartSvg(image: AnalyzedImage): string {
  const { analysis, contents } = image
  const largest = Math.max(1, ...analysis.layers.map((layer) => layer.size))
  const barSpace = CHART_WIDTH - LABEL_WIDTH - 90
  const reclaimable = new Map(contents?.layers.map((layer) => [layer.layerIndex, layer.reclaimableBytes]) ?? [])
  const rows = analysis.layers.map((layer, row) => {
    const step = layer.stepIndex === undefined ? undefined : analysis.steps[layer.stepIndex]
    const label = step === undefined ? `layer ${layer.index + 1}` : `${step.instruction} ${step.args}`
    const shortLabel = label.length > 38 ? `${label.slice(0, 37)}…` : label
    const y = row * (BAR_HEIGHT + 6)
    const width = Math.max(1, (layer.size / largest) * barSpace)
    const wasted = Math.min(width, ((reclaimable.get(layer.index) ?? 0) / largest) * barSpace)
    const fill = step?.inBase ? '#9aa5b1' : '#2f6fde'
    return [
      `<g transform="translate(0 ${y})">`,
      `<title>${escapeHtml(`${label} — ${formatBytes(layer.size)}`)}</title>`,
      `<text x="0" y="${BAR_HEIGHT - 7}" class="chart-label">${escapeHtml(shortLabel)}</text>`,
      `<rect x="${LABEL_WIDTH}" y="0" width="${width.toFixed(1)}" height="${BAR_HEIGHT}" rx="3" fill="${fill}"/>`,
      wasted > 0 ? `<rect x="${(LABEL_WIDTH + width - wasted).toFixed(1)}" y="0" width="${wasted.toFixed(1)}" height="${BAR_HEIGHT}" fill="url(#waste)"/>` : '',
      `<text x="${(LABEL_WIDTH + width + 6).toFixed(1)}" y="${BAR_HEIGHT - 7}" class="chart-size">${formatBytes(layer.size)}</text>`,
      '</g>',
    ].join('')
  })
  const height = analysis.layers.length * (BAR_HEIGHT + 6)
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" role="img" aria-label="Layer sizes" viewBox="0 0 ${CHART_WIDTH} ${height}" width="100%">`,
    '<defs><pattern id="waste" width="6" height="6" patternUnits="userSpaceOnUse" patternTransform="rotate(45)"><rect width="6" height="6" fill="#d64545"/><rect width="3" height="6" fill="#f2a7a7"/></pattern></defs>',
    ...rows,
    '</svg>',
  ].join('\n')
}

function findingHtml(finding: Finding, lessons: ReadonlyMap<string, LessonPart>): string {
  const lesson = lessons.get(finding.lessonPart)
  const paths = finding.evidence.paths ?? []
  const notes = finding.evidence.notes.map((note) => `<li>${escapeHtml(note)}</li>`).join('')
  return `<article class="finding finding--${finding.severity}">
<h3><span class="severity">${finding.severity}</span> ${escapeHtml(finding.title)}${finding.confidence === 'hint' ? ' <span class="hint">(hint from history)</span>' : ''}</h3>
<p>${escapeHtml(finding.detail)}</p>
${notes === '' ? '' : `<ul>${notes}</ul>`}
${paths.length === 0 ? '' : `<p class="paths">Paths: ${paths.slice(0, 10).map((path) => `<code>${escapeHtml(path)}</code>`).join(', ')}${paths.length > 10 ? `, and ${paths.length - 10} more` : ''}</p>`}
${finding.savingsBytes ? `<p><strong>Savings:</strong> about ${formatBytes(finding.savingsBytes)}</p>` : ''}
<div class="fix"><div><h4>Before</h4><pre>${escapeHtml(finding.fix.before)}</pre></div><div><h4>After</h4><pre>${escapeHtml(finding.fix.after)}</pre></div></div>
<p class="lesson">Rule <code>${escapeHtml(finding.rule)}</code> · Lesson: <a href="${escapeHtml(lessonUri(finding.lessonPart))}">${escapeHtml(lesson?.title ?? finding.lessonPart)}</a></p>
</article>`
}

const STYLE = `
:root { color-scheme: light; }
body { font: 15px/1.5 system-ui, -apple-system, "Segoe UI", sans-serif; color: #1c2430; margin: 0; background: #f5f7fa; }
main { max-width: 900px; margin: 0 auto; padding: 32px 24px 48px; }
header { border-bottom: 3px solid #2f6fde; margin-bottom: 24px; padding-bottom: 12px; }
h1 { font-size: 26px; margin: 0 0 4px; word-break: break-all; }
h2 { font-size: 19px; margin: 32px 0 12px; }
h3 { font-size: 16px; margin: 0 0 6px; }
h4 { font-size: 12px; text-transform: uppercase; letter-spacing: .05em; color: #5b6675; margin: 0 0 4px; }
.meta, .generated { color: #5b6675; font-size: 13px; }
.verdict { font-size: 17px; font-weight: 600; }
.facts { display: flex; flex-wrap: wrap; gap: 8px 20px; padding: 0; list-style: none; }
.facts li { background: #fff; border: 1px solid #dde3ea; border-radius: 6px; padding: 6px 10px; }
.chart { background: #fff; border: 1px solid #dde3ea; border-radius: 8px; padding: 16px; }
.chart-label { font: 12px ui-monospace, Menlo, Consolas, monospace; fill: #1c2430; }
.chart-size { font: 12px system-ui, sans-serif; fill: #5b6675; }
.legend { font-size: 13px; color: #5b6675; }
.legend span { display: inline-block; width: 12px; height: 12px; border-radius: 2px; vertical-align: -1px; margin: 0 4px 0 12px; }
.finding { background: #fff; border: 1px solid #dde3ea; border-left: 5px solid #9aa5b1; border-radius: 8px; padding: 14px 16px; margin: 0 0 14px; break-inside: avoid; }
.finding--critical, .finding--high { border-left-color: #d64545; }
.finding--medium { border-left-color: #e08a1e; }
.finding--low { border-left-color: #d9b526; }
.severity { text-transform: uppercase; font-size: 11px; letter-spacing: .06em; background: #eef1f5; border-radius: 4px; padding: 2px 6px; vertical-align: 2px; }
.hint { color: #5b6675; font-weight: normal; font-size: 13px; }
.fix { display: grid; grid-template-columns: 1fr 1fr; gap: 12px; }
pre { background: #f0f3f7; border-radius: 6px; padding: 8px 10px; margin: 0; white-space: pre-wrap; word-break: break-word; font: 12.5px/1.45 ui-monospace, Menlo, Consolas, monospace; }
code { font: 12.5px ui-monospace, Menlo, Consolas, monospace; }
table { border-collapse: collapse; width: 100%; background: #fff; }
th, td { text-align: left; border-bottom: 1px solid #dde3ea; padding: 6px 8px; font-size: 13px; vertical-align: top; }
td.bytes { text-align: right; white-space: nowrap; }
a { color: #1f57b8; }
@media print {
  body { background: #fff; font-size: 11pt; }
  main { max-width: none; padding: 0; }
  .chart, .finding, table { border-color: #bbb; }
  a { color: inherit; }
}
`

/** The page for one analysed image. */
export function formatHtmlReport(image: AnalyzedImage, context: ReportContext): string {
  const { analysis, contents } = image
  const name = imageName(image.ref, analysis)
  const lessons = new Map(context.lessonParts.map((part) => [part.id as string, part]))
  const facts = [
    formatBytes(analysis.image.size),
    plural(analysis.layers.length, 'layer'),
    `base: ${analysis.base.name ?? analysis.base.family}`,
    `user: ${analysis.config.user === '' ? 'root (not set)' : analysis.config.user}`,
  ]
  if (contents !== undefined) facts.push(`${formatBytes(contents.reclaimableBytes)} reclaimable`, `dive efficiency ${formatPercent(contents.dive.efficiency)}`)
  const waste = (contents?.waste ?? []).slice(0, MAX_WASTE_ROWS)
  const wasteSection =
    waste.length === 0
      ? ''
      : `<h2>Where the waste is</h2>
<table><thead><tr><th>Path</th><th>Why</th><th>Bytes</th></tr></thead><tbody>
${waste.map((statement) => `<tr><td><code>${escapeHtml(statement.path)}</code></td><td>${escapeHtml(statement.sentence)}</td><td class="bytes">${formatBytes(statement.bytes)}</td></tr>`).join('\n')}
</tbody></table>`
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
<title>${escapeHtml(name)} — Layerlens report</title>
<style>${STYLE}</style>
</head>
<body>
<main>
<header>
<h1>${escapeHtml(name)}</h1>
<p class="meta">Image <code>${escapeHtml(shortId(analysis.image.id))}</code> · ${escapeHtml(analysis.image.os)}/${escapeHtml(analysis.image.architecture)} · created ${escapeHtml(analysis.image.created)}</p>
<p class="verdict">${escapeHtml(verdictLine(image).replace(VERDICT_MARK, ''))}</p>
</header>
<ul class="facts">${facts.map((fact) => `<li>${escapeHtml(fact)}</li>`).join('')}</ul>
<h2>Layers</h2>
<div class="chart">
${layerChartSvg(image)}
<p class="legend"><span style="background:#9aa5b1"></span>base image<span style="background:#2f6fde"></span>your layers<span style="background:#d64545"></span>reclaimable</p>
</div>
${wasteSection}
<h2>Findings (${analysis.findings.length})</h2>
${analysis.findings.length === 0 ? '<p>No findings.</p>' : analysis.findings.map((finding) => findingHtml(finding, lessons)).join('\n')}
<p class="generated">Generated by Layerlens ${escapeHtml(context.tool.version)} at ${escapeHtml(context.generatedAt)}.</p>
</main>
</body>
</html>
`
}
