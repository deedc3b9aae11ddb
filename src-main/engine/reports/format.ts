// Formatting shared by every report: sizes, ids, names and severity counts.
import { SEVERITIES, type Finding, type ImageAnalysis, type Severity } from '../model'

/** Decimal units, as `docker images` prints them: 512 B, 12.3 MB, 1.0 GB. */
export function formatBytes(bytes: number): string {
  if (bytes < 1000) return `${bytes} B`
  const units = ['kB', 'MB', 'GB', 'TB']
  let value = bytes
  let unit = -1
  while (value >= 1000 && unit < units.length - 1) {
    value /= 1000
    unit++
  }
  return `${value >= 100 ? value.toFixed(0) : value.toFixed(1)} ${units[unit]}`
}

export const formatPercent = (ratio: number): string => `${(ratio * 100).toFixed(1)}%`

export const shortId = (id: string): string => id.replace(/^sha256:/, '').slice(0, 12)

/** The name a report shows for an image: its first tag, else the reference it was asked for. */
export const imageName = (ref: string, analysis: ImageAnalysis): string => analysis.image.repoTags[0] ?? ref

export function severityCounts(findings: readonly Finding[]): Array<{ severity: Severity; count: number }> {
  return SEVERITIES.map((severity) => ({ severity, count: findings.filter((finding) => finding.severity === severity).length }))
}

/** `2 high, 1 medium`; empty when there are no findings. */
export function describeCounts(findings: readonly Finding[]): string {
  return severityCounts(findings)
    .filter(({ count }) => count > 0)
    .map(({ severity, count }) => `${count} ${severity}`)
    .join(', ')
}

export const plural = (count: number, noun: string): string => `${count} ${noun}${count === 1 ? '' : 's'}`
