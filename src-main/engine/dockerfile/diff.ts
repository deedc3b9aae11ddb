// Line diffs in the unified format, with hunks small enough to explain one at a time.

export type DiffLine = { kind: ' ' | '-' | '+'; text: string; oldLine?: number; newLine?: number }

/** Past this many table cells (a few thousand lines on each side), the changed middle is diffed as one block. */
const MAX_TABLE_CELLS = 4_000_000

/**
 * The shortest edit between two line lists (longest common subsequence). Its table grows with the product
 * of the lengths, so for huge files only the unchanged start and end are kept as context.
 */
export function diffLines(before: readonly string[], after: readonly string[]): DiffLine[] {
  if ((before.length + 1) * (after.length + 1) > MAX_TABLE_CELLS) return blockDiff(before, after)
  const common: number[][] = Array.from({ length: before.length + 1 }, () => new Array<number>(after.length + 1).fill(0))
  for (let i = before.length - 1; i >= 0; i--) {
    for (let j = after.length - 1; j >= 0; j--) {
      common[i]![j] = before[i] === after[j] ? common[i + 1]![j + 1]! + 1 : Math.max(common[i + 1]![j]!, common[i]![j + 1]!)
    }
  }
  const lines: DiffLine[] = []
  let i = 0
  let j = 0
  while (i < before.length || j < after.length) {
    if (i < before.length && j < after.length && before[i] === after[j]) {
      lines.push({ kind: ' ', text: before[i]!, oldLine: i + 1, newLine: j + 1 })
      i++
      j++
    } else if (i < before.length && (j >= after.length || common[i + 1]![j]! >= common[i]![j + 1]!)) {
      lines.push({ kind: '-', text: before[i]!, oldLine: i + 1 })
      i++
    } else {
      lines.push({ kind: '+', text: after[j]!, newLine: j + 1 })
      j++
    }
  }
  return lines
}

/** Common first and last lines unchanged, everything between them removed then added. */
function blockDiff(before: readonly string[], after: readonly string[]): DiffLine[] {
  let start = 0
  while (start < before.length && start < after.length && before[start] === after[start]) start++
  let end = 0
  while (end < before.length - start && end < after.length - start && before[before.length - 1 - end] === after[after.length - 1 - end]) end++
  const lines: DiffLine[] = []
  for (let i = 0; i < start; i++) lines.push({ kind: ' ', text: before[i]!, oldLine: i + 1, newLine: i + 1 })
  for (let i = start; i < before.length - end; i++) lines.push({ kind: '-', text: before[i]!, oldLine: i + 1 })
  for (let j = start; j < after.length - end; j++) lines.push({ kind: '+', text: after[j]!, newLine: j + 1 })
  for (let k = end; k > 0; k--) {
    lines.push({ kind: ' ', text: before[before.length - k]!, oldLine: before.length - k + 1, newLine: after.length - k + 1 })
  }
  return lines
}

export interface DiffHunk {
  oldStart: number
  oldLines: number
  newStart: number
  newLines: number
  lines: DiffLine[]
  /** `@@ -a,b +c,d @@` and the lines, as in a unified diff. */
  text: string
}

/** Groups changes with `context` unchanged lines around them; changes closer than that share a hunk. */
export function hunksOf(lines: readonly DiffLine[], context = 3): DiffHunk[] {
  const changed = lines.flatMap((line, index) => (line.kind === ' ' ? [] : [index]))
  const groups: Array<[number, number]> = []
  for (const index of changed) {
    const last = groups[groups.length - 1]
    if (last && index - last[1] <= context * 2 + 1) last[1] = index
    else groups.push([index, index])
  }
  return groups.map(([first, last]) => {
    const slice = lines.slice(Math.max(0, first - context), Math.min(lines.length, last + context + 1))
    const oldLines = slice.filter((line) => line.kind !== '+').length
    const newLines = slice.filter((line) => line.kind !== '-').length
    const oldStart = oldLines === 0 ? startBefore(lines, first, 'oldLine') : slice.find((line) => line.oldLine !== undefined)!.oldLine!
    const newStart = newLines === 0 ? startBefore(lines, first, 'newLine') : slice.find((line) => line.newLine !== undefined)!.newLine!
    const header = `@@ -${oldStart},${oldLines} +${newStart},${newLines} @@`
    return { oldStart, oldLines, newStart, newLines, lines: slice, text: [header, ...slice.map((line) => `${line.kind}${line.text}`)].join('\n') }
  })
}

/** For an empty side, unified diffs name the line before the change. */
function startBefore(lines: readonly DiffLine[], index: number, side: 'oldLine' | 'newLine'): number {
  for (let position = index - 1; position >= 0; position--) {
    const line = lines[position]![side]
    if (line !== undefined) return line
  }
  return 0
}

export function unifiedDiff(oldName: string, newName: string, hunks: ReadonlyArray<{ text: string }>): string {
  if (hunks.length === 0) return ''
  return [`--- ${oldName}`, `+++ ${newName}`, ...hunks.map((hunk) => hunk.text)].join('\n') + '\n'
}
