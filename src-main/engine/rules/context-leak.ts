// Build-context leftovers copied in by the user's COPY/ADD steps, each with the .dockerignore line that keeps it out.
import { findContextLeaks } from '../files/file-markers'
import type { Finding } from '../model'
import { formatBytes } from '../reports/format'
import { commandOf, isCopyStep, userLayers } from './layer-steps'
import type { FileRule } from './types'

export const contextLeak: FileRule = {
  id: 'context-leak',
  lessonPart: 'dockerignore',
  check(context) {
    return userLayers(context)
      .filter(({ step }) => isCopyStep(step))
      .flatMap(({ files, step }) => {
        const leaks = findContextLeaks(files)
        if (leaks.length === 0) return []
        const bytes = leaks.reduce((sum, leak) => sum + leak.bytes, 0)
        const names = [...new Set(leaks.map((leak) => leak.path.slice(leak.path.lastIndexOf('/') + 1)))]
        const entries = [...new Set(leaks.map((leak) => leak.dockerignore))]
        const serious = leaks.some((leak) => leak.kind === 'git' || leak.kind === 'virtualenv')
        const finding: Finding = {
          rule: 'context-leak',
          severity: serious ? 'medium' : 'low',
          title: `${step.instruction} copied build-context leftovers: ${names.slice(0, 5).join(', ')}${names.length > 5 ? '…' : ''}`,
          detail:
            `Step ${step.index + 1} (${commandOf(step)}) copied ${leaks.length === 1 ? 'a folder' : 'folders and files'} that only matter on the ` +
            `developer's machine (${formatBytes(bytes)}). ` +
            (leaks.some((leak) => leak.kind === 'git') ? 'The .git folder carries the whole project history, including anything ever committed. ' : '') +
            'They also bust the build cache whenever they change. A .dockerignore next to the Dockerfile keeps them out of the build context.',
          evidence: {
            steps: [step.index],
            paths: leaks.map((leak) => leak.path),
            bytes,
            notes: leaks.map((leak) => `${leak.path} (${leak.files} files, ${formatBytes(leak.bytes)}): .dockerignore entry \`${leak.dockerignore}\``)
          },
          confidence: 'confirmed',
          savingsBytes: bytes,
          lessonPart: 'dockerignore',
          fix: {
            before: `# no .dockerignore entry for ${entries.join(', ')}\n${step.instruction} ${step.args}`,
            after: `# .dockerignore\n${entries.join('\n')}`
          }
        }
        return [finding]
      })
  }
}
