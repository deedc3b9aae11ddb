// Sizes and ratios as people write them in a config file or on a command line.

const BYTE_UNITS: Record<string, number> = {
  b: 1,
  kb: 1e3,
  mb: 1e6,
  gb: 1e9,
  tb: 1e12,
  kib: 2 ** 10,
  mib: 2 ** 20,
  gib: 2 ** 30,
  tib: 2 ** 40,
}

/** `500MB`, `1.5 GB`, `20MiB`, `1048576` (bytes); decimal units as dive and `docker images` count them. */
export function parseBytes(value: unknown): number | undefined {
  if (typeof value === 'number') return Number.isSafeInteger(value) && value >= 0 ? value : undefined
  if (typeof value !== 'string') return undefined
  const match = /^\s*(\d+(?:\.\d+)?)\s*([a-z]*)\s*$/i.exec(value)
  if (!match) return undefined
  const factor = BYTE_UNITS[(match[2] || 'b').toLowerCase()]
  return factor === undefined ? undefined : Math.round(Number(match[1]) * factor)
}

/** `0.95` or `95%` → 0.95; anything outside 0…1 is refused. */
export function parseRatio(value: unknown): number | undefined {
  let ratio: number | undefined
  if (typeof value === 'number') ratio = value
  else if (typeof value === 'string') {
    const match = /^\s*(\d+(?:\.\d+)?)\s*(%?)\s*$/.exec(value)
    if (match) ratio = match[2] === '%' ? Number(match[1]) / 100 : Number(match[1])
  }
  return ratio !== undefined && Number.isFinite(ratio) && ratio >= 0 && ratio <= 1 ? ratio : undefined
}
