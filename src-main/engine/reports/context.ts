// The build-context check as text and Markdown: what a build would send, with and without .dockerignore.
import type { ContextReport } from '../dockerfile'
import { formatBytes, plural } from './format'

const tally = (files: number, bytes: number): string => `${plural(files, 'file')}, ${formatBytes(bytes)}`

export function formatContextText(context: ContextReport): string {
  const lines = context.dockerignore.present
    ? [
        'Build context',
        `  Sent with the current .dockerignore: ${tally(context.sent.files, context.sent.bytes)}`,
        `  Sent with none: ${tally(context.withoutDockerignore.files, context.withoutDockerignore.bytes)}`,
      ]
    : ['Build context', `  Sent (there is no .dockerignore): ${tally(context.sent.files, context.sent.bytes)}`]
  if (context.biggestFolders.length > 0) {
    lines.push('  Biggest folders sent:', ...context.biggestFolders.map((folder) => `    ${formatBytes(folder.bytes).padStart(9)}  ${folder.path}/ (${plural(folder.files, 'file')})`))
  }
  if (context.secrets.length > 0) lines.push('  Secrets that would be sent:', ...context.secrets.map((secret) => `    ${secret.path} (${secret.kind})`))
  if (context.proposed.length > 0) {
    lines.push('  Add to .dockerignore:', ...context.proposed.map((entry) => `    ${entry.pattern.padEnd(16)} keeps out ${tally(entry.files, entry.bytes)}, e.g. ${entry.examples.join(', ')}`))
  }
  return lines.join('\n')
}

export function formatContextMarkdown(context: ContextReport): string {
  const lines = [
    '### Build context',
    '',
    context.dockerignore.present
      ? `Sent with the current \`.dockerignore\`: ${tally(context.sent.files, context.sent.bytes)}; with none: ${tally(context.withoutDockerignore.files, context.withoutDockerignore.bytes)}.`
      : `Sent (there is no \`.dockerignore\`): ${tally(context.sent.files, context.sent.bytes)}.`,
    '',
  ]
  if (context.secrets.length > 0) lines.push(`⚠️ Secrets that would be sent: ${context.secrets.map((secret) => `\`${secret.path}\` (${secret.kind})`).join(', ')}`, '')
  if (context.proposed.length > 0) {
    lines.push('Proposed `.dockerignore` entries:', '', '```', ...context.proposed.map((entry) => entry.pattern), '```', '')
  }
  return lines.join('\n')
}
