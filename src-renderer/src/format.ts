// Number, size, date and id formatting shared by every view.

const BYTE_UNITS = ['B', 'kB', 'MB', 'GB', 'TB'] as const

/** Decimal units like `docker images`: 1.02 GB, 12.3 MB, 512 B. */
export function formatBytes(bytes: number): string {
  if (!Number.isFinite(bytes) || bytes < 0) return '—'
  let value = bytes
  let unit = 0
  while (value >= 1000 && unit < BYTE_UNITS.length - 1) {
    value /= 1000
    unit += 1
  }
  if (unit === 0) return `${value} B`
  const digits = value >= 100 ? 0 : value >= 10 ? 1 : 2
  return `${value.toFixed(digits)} ${BYTE_UNITS[unit]}`
}

const RELATIVE_STEPS: Array<[Intl.RelativeTimeFormatUnit, number]> = [
  ['year', 365 * 24 * 3600],
  ['month', 30 * 24 * 3600],
  ['week', 7 * 24 * 3600],
  ['day', 24 * 3600],
  ['hour', 3600],
  ['minute', 60],
  ['second', 1]
]

const relativeFormat = new Intl.RelativeTimeFormat('en', { numeric: 'auto' })
const absoluteFormat = new Intl.DateTimeFormat('en', { dateStyle: 'medium', timeStyle: 'medium' })

export function formatRelativeTime(iso: string, now: number = Date.now()): string {
  const time = Date.parse(iso)
  if (Number.isNaN(time) || time <= 0) return 'unknown'
  const seconds = Math.round((time - now) / 1000)
  for (const [unit, unitSeconds] of RELATIVE_STEPS) {
    if (Math.abs(seconds) >= unitSeconds || unit === 'second') {
      return relativeFormat.format(Math.round(seconds / unitSeconds), unit)
    }
  }
  return 'just now'
}

export function formatAbsoluteTime(iso: string): string {
  const time = Date.parse(iso)
  if (Number.isNaN(time) || time <= 0) return 'Creation time unknown'
  return absoluteFormat.format(time)
}

/** `sha256:0123456789ab…` → `0123456789ab`, like the docker CLI. */
export function shortId(id: string): string {
  return id.replace(/^sha256:/, '').slice(0, 12)
}

export function plural(count: number, singular: string, pluralForm = `${singular}s`): string {
  return `${count} ${count === 1 ? singular : pluralForm}`
}

/** 0.934 → `93.4%`. */
export function formatPercent(fraction: number): string {
  if (!Number.isFinite(fraction)) return '—'
  return `${(fraction * 100).toFixed(1)}%`
}
