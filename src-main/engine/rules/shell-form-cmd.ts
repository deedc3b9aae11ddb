import { formatExecForm } from '../history'
import type { Finding } from '../model'
import { isCompound, plainWords } from './shell'
import type { Rule } from './types'

const SHELLS = new Set(['/bin/sh', '/bin/bash', 'sh', 'bash', '/bin/ash', '/bin/dash'])

/** The command a `["/bin/sh", "-c", "…"]` argv wraps, unless it already execs into the app. */
export function shellWrappedCommand(argv: readonly string[] | null): string | null {
  if (!argv || argv.length !== 3 || !SHELLS.has(argv[0] ?? '') || argv[1] !== '-c') return null
  const command = (argv[2] ?? '').trim()
  return command.startsWith('exec ') ? null : command
}

export const shellFormCmd: Rule = {
  id: 'shell-form-cmd',
  lessonPart: 'cmd-form',
  check({ config }) {
    const entrypointCommand = shellWrappedCommand(config.entrypoint)
    const cmdCommand = entrypointCommand === null ? shellWrappedCommand(config.cmd) : null
    const command = entrypointCommand ?? cmdCommand
    if (command === null) return []
    const instruction = entrypointCommand !== null ? 'ENTRYPOINT' : 'CMD'
    const key = entrypointCommand !== null ? 'Entrypoint' : 'Cmd'
    const argv = entrypointCommand !== null ? config.entrypoint : config.cmd
    const words = plainWords(command)
    const notes = [`${key} is ${formatExecForm(argv ?? [])}: the shell form, wrapped in ${argv?.[0] ?? '/bin/sh'} -c.`]
    let after: string
    if (words) {
      after = `${instruction} ${formatExecForm(words)}`
    } else if (!isCompound(command)) {
      after = `${instruction} ${formatExecForm([argv?.[0] ?? '/bin/sh', '-c', `exec ${command}`])}`
      notes.push('The command uses shell features, so the fix keeps the shell but lets it exec into the app.')
    } else {
      after = `COPY start.sh .\n${instruction} ["./start.sh"]`
      notes.push('The command chains several commands; move them into start.sh and end it with `exec` on the app.')
    }
    const finding: Finding = {
      rule: 'shell-form-cmd',
      severity: 'medium',
      title: `${instruction} uses the shell form`,
      detail:
        `The start command runs under a shell, which becomes process 1 and does not pass SIGTERM on to the app. ` +
        '`docker stop` then waits out its timeout and kills the app without a clean shutdown. The JSON array form runs the app directly.',
      evidence: { config: [key], notes },
      confidence: 'confirmed',
      lessonPart: 'cmd-form',
      fix: { before: `${instruction} ${command}`, after },
    }
    return [finding]
  },
}
