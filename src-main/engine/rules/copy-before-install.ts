import { parseCopyArgs } from '../history'
import type { Finding, Step } from '../model'
import { isPipInstall, simpleCommands } from './shell'
import type { Rule } from './types'

interface DependencyInstall {
  command: string
  /** The files the install reads, to copy on their own first. */
  files: string[]
}

const INSTALLERS: ReadonlyArray<{ pattern: RegExp; files: (command: string) => string[] }> = [
  { pattern: /\bpoetry\s+install\b/, files: () => ['pyproject.toml', 'poetry.lock'] },
  { pattern: /\bpipenv\s+(?:install|sync)\b/, files: () => ['Pipfile', 'Pipfile.lock'] },
  { pattern: /\buv\s+sync\b/, files: () => ['pyproject.toml', 'uv.lock'] },
  { pattern: /\bpdm\s+(?:install|sync)\b/, files: () => ['pyproject.toml', 'pdm.lock'] },
  { pattern: /\bnpm\s+(?:ci|install|i)\b/, files: () => ['package.json', 'package-lock.json'] },
  { pattern: /\byarn(?:\s+install)?\s*(?:--\S+\s*)*$/, files: () => ['package.json', 'yarn.lock'] },
  { pattern: /\bpnpm\s+(?:install|i)\b/, files: () => ['package.json', 'pnpm-lock.yaml'] },
  { pattern: /\bbundle\s+install\b/, files: () => ['Gemfile', 'Gemfile.lock'] },
  { pattern: /\bcomposer\s+install\b/, files: () => ['composer.json', 'composer.lock'] },
  { pattern: /\bgo\s+mod\s+download\b/, files: () => ['go.mod', 'go.sum'] },
]

function dependencyInstall(step: Step): DependencyInstall | null {
  if (step.instruction !== 'RUN') return null
  for (const command of simpleCommands(step.args)) {
    if (isPipInstall(command) || /\buv\s+pip\s+(?:install|sync)\b/.test(command)) {
      const requirements = [...command.matchAll(/(?:-r|--requirement)[=\s]+(\S+)/g)].map((match) => match[1] ?? '')
      const files = requirements.length > 0 ? requirements : /\sinstall\s+(?:-e\s+|--editable\s+)?\.(?:\s|$|\[)/.test(command) ? ['pyproject.toml'] : ['requirements.txt']
      return { command, files }
    }
    const installer = INSTALLERS.find(({ pattern }) => pattern.test(command))
    if (installer) return { command, files: installer.files(command) }
  }
  return null
}

interface ContextCopy {
  step: Step
  destination: string
  /** True when the history names `.` as the source; false when only the classic builder's `dir:` hash says so. */
  explicit: boolean
}

/** A COPY/ADD of the whole build context: `COPY . .`, or the classic builder's `COPY dir:<hash> in <workdir>`. */
function contextCopy(step: Step, workdir: string): ContextCopy | null {
  if (step.instruction !== 'COPY' && step.instruction !== 'ADD') return null
  const copy = parseCopyArgs(step.args)
  if (copy.hashedKind === 'dir') {
    const destination = copy.destination.replace(/\/+$/, '') || '/'
    const intoWorkdir = destination === '.' || destination === workdir.replace(/\/+$/, '')
    return intoWorkdir ? { step, destination: copy.destination, explicit: false } : null
  }
  if (copy.hashedKind === undefined && copy.sources.some((source) => source === '.' || source === './' || source === '*')) {
    return { step, destination: copy.destination, explicit: true }
  }
  return null
}

export const copyBeforeInstall: Rule = {
  id: 'copy-before-install',
  lessonPart: 'layer-caching',
  check({ steps, userSteps }) {
    let workdir = '/'
    let copy: ContextCopy | null = null
    const firstUserIndex = userSteps[0]?.index ?? steps.length
    for (const step of steps) {
      if (step.instruction === 'WORKDIR') workdir = step.args.startsWith('/') ? step.args : `${workdir.replace(/\/+$/, '')}/${step.args}`
      if (step.index < firstUserIndex) continue
      copy ??= contextCopy(step, workdir)
      const install = copy ? dependencyInstall(step) : null
      if (!copy || !install) continue
      const copyLine = copy.explicit ? `${copy.step.instruction} ${copy.step.args}` : `COPY . ${copy.destination}`
      const destination = copy.destination === '.' ? (install.files.length > 1 ? './' : '.') : copy.destination.replace(/\/*$/, '/')
      const notes = [
        `Step ${copy.step.index + 1} copies the whole build context; step ${step.index + 1} installs dependencies after it.`,
        'Any change to any file in the context invalidates the cache of every later step, so the install runs again on every code change.',
      ]
      if (!copy.explicit) {
        notes.push('The classic builder records a content hash instead of the source path; a directory copied into the working directory is taken to be the context.')
      }
      const finding: Finding = {
        rule: 'copy-before-install',
        severity: 'medium',
        title: 'All files are copied before the dependencies are installed',
        detail:
          `The dependency install (\`${install.command}\`) comes after a copy of the whole project, so editing a single source file ` +
          'makes Docker reinstall every dependency. Copy only the dependency files first, install, then copy the rest.',
        evidence: { steps: [copy.step.index, step.index], notes },
        confidence: copy.explicit ? 'confirmed' : 'hint',
        lessonPart: 'layer-caching',
        fix: {
          before: `${copyLine}\nRUN ${step.args}`,
          after: `COPY ${install.files.join(' ')} ${destination}\nRUN ${step.args}\n${copyLine}`,
        },
      }
      return [finding]
    }
    return []
  },
}
