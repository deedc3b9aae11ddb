// The before/after comparison as text for a terminal and as Markdown for a pull request.
import type { FolderChange, ImageComparison, StepRow } from '../compare'
import { formatBytes, plural, shortId } from './format'

const signed = (bytes: number): string => (bytes < 0 ? `−${formatBytes(-bytes)}` : bytes > 0 ? `+${formatBytes(bytes)}` : '±0 B')

const ARGS_WIDTH = 60

const clip = (text: string): string => (text.length > ARGS_WIDTH ? `${text.slice(0, ARGS_WIDTH - 1)}…` : text)

const stepText = (step: StepRow['before']): string => (step === undefined ? '—' : clip(`${step.instruction} ${step.args}`.replace(/\s+/g, ' ')))

const baseName = (image: ImageComparison['before']): string => `${image.base.name ?? image.base.family} (${formatBytes(image.base.size)})`

const findingList = (findings: ImageComparison['findings']['resolved']): string =>
  findings.length === 0 ? 'none' : findings.map((finding) => `${finding.rule} (${finding.severity})`).join(', ')

function folderLines(folders: readonly FolderChange[], prefix: string): string[] {
  return folders.map((change) => `${prefix}${formatBytes(change.bytes).padStart(9)}  ${plural(change.files, 'file').padStart(11)}  ${change.folder}`)
}

export function formatCompareText(comparison: ImageComparison): string {
  const { before, after } = comparison
  const lines = [
    `Before: ${before.name}  (${shortId(before.id)})  ${formatBytes(before.size)}`,
    `After:  ${after.name}  (${shortId(after.id)})  ${formatBytes(after.size)}`,
    '',
    `Verdict: ${comparison.verdict}`,
    '',
    'Base images',
    `  before  ${baseName(before)}`,
    `  after   ${baseName(after)}`,
    '',
    'Sizes by step',
    `  ${'before'.padStart(9)}  ${'after'.padStart(9)}  ${'change'.padStart(10)}  step`,
    `  ${formatBytes(comparison.base.before).padStart(9)}  ${formatBytes(comparison.base.after).padStart(9)}  ${signed(comparison.base.delta).padStart(10)}  (base image)`,
  ]
  for (const row of comparison.steps) {
    const beforeSize = row.before === undefined ? '—' : formatBytes(row.before.size)
    const afterSize = row.after === undefined ? '—' : formatBytes(row.after.size)
    const label = row.match === 'changed' ? `${stepText(row.before)}  →  ${stepText(row.after)}` : stepText(row.after ?? row.before)
    lines.push(`  ${beforeSize.padStart(9)}  ${afterSize.padStart(9)}  ${signed(row.delta).padStart(10)}  ${row.match.padEnd(7)} ${label}`)
  }
  lines.push(`  ${formatBytes(before.size).padStart(9)}  ${formatBytes(after.size).padStart(9)}  ${signed(comparison.sizeDelta).padStart(10)}  total`, '')
  lines.push('Findings', `  resolved   ${findingList(comparison.findings.resolved)}`, `  new        ${findingList(comparison.findings.new)}`)
  lines.push(`  unchanged  ${findingList(comparison.findings.unchanged)}`)
  const { files } = comparison
  if (files === undefined) {
    lines.push('', 'Files: not compared (the layer contents were not read).')
  } else {
    lines.push('', `Files added: ${files.addedTotal.files} (${formatBytes(files.addedTotal.bytes)})`, ...folderLines(files.added, '  '))
    lines.push(`Files removed: ${files.removedTotal.files} (${formatBytes(files.removedTotal.bytes)})`, ...folderLines(files.removed, '  '))
  }
  return `${lines.join('\n')}\n`
}

const code = (text: string): string => `\`${text.replace(/`/g, "'").replace(/\|/g, '\\|')}\``

export function formatCompareMarkdown(comparison: ImageComparison): string {
  const { before, after } = comparison
  const lines = [
    '## Layerlens compare',
    '',
    `**${comparison.verdict}**`,
    '',
    '| | Before | After |',
    '| --- | --- | --- |',
    `| Image | ${code(before.name)} | ${code(after.name)} |`,
    `| Size | ${formatBytes(before.size)} | ${formatBytes(after.size)} |`,
    `| Base | ${code(before.base.name ?? before.base.family)} (${formatBytes(before.base.size)}) | ${code(after.base.name ?? after.base.family)} (${formatBytes(after.base.size)}) |`,
    '',
    '### Sizes by step',
    '',
    '| Step | Before | After | Change |',
    '| --- | ---: | ---: | ---: |',
    `| (base image) | ${formatBytes(comparison.base.before)} | ${formatBytes(comparison.base.after)} | ${signed(comparison.base.delta)} |`,
  ]
  for (const row of comparison.steps) {
    const label = row.match === 'changed' ? `${code(stepText(row.before))} → ${code(stepText(row.after))}` : `${code(stepText(row.after ?? row.before))} (${row.match})`
    lines.push(`| ${label} | ${row.before === undefined ? '—' : formatBytes(row.before.size)} | ${row.after === undefined ? '—' : formatBytes(row.after.size)} | ${signed(row.delta)} |`)
  }
  lines.push(`| **Total** | ${formatBytes(before.size)} | ${formatBytes(after.size)} | ${signed(comparison.sizeDelta)} |`, '', '### Findings', '')
  lines.push(`- Resolved: ${findingList(comparison.findings.resolved)}`, `- New: ${findingList(comparison.findings.new)}`, `- Unchanged: ${findingList(comparison.findings.unchanged)}`, '')
  const { files } = comparison
  if (files !== undefined) {
    lines.push('### Files by folder', '', '| Folder | Change | Files | Bytes |', '| --- | --- | ---: | ---: |')
    for (const change of files.added) lines.push(`| ${code(change.folder)} | added | ${change.files} | ${formatBytes(change.bytes)} |`)
    for (const change of files.removed) lines.push(`| ${code(change.folder)} | removed | ${change.files} | ${formatBytes(change.bytes)} |`)
    lines.push('')
  }
  return `${lines.join('\n')}\n`
}
