import type { Finding, Step } from '../model'
import { parseAssignments } from '../steps'
import { isPipInstall, isTruthy, simpleCommands } from './shell'
import type { Rule } from './types'

/** Whether `PIP_NO_CACHE_DIR` was truthy for this step: ENV before it, a build arg, or inline. */
function cacheDisabledFor(step: Step, earlier: readonly Step[], command: string): boolean {
  const envValue = earlier
    .filter((previous) => previous.instruction === 'ENV')
    .flatMap((previous) => parseAssignments(previous.args))
    .filter(({ name }) => name === 'PIP_NO_CACHE_DIR')
    .pop()?.value
  if (isTruthy(envValue)) return true
  if (isTruthy(step.buildArgs?.['PIP_NO_CACHE_DIR'])) return true
  const inline = /\bPIP_NO_CACHE_DIR=("?[^\s"]*"?)/.exec(step.args)?.[1]
  if (isTruthy(inline)) return true
  return /--no-cache-dir\b/.test(command)
}

export const pipCache: Rule = {
  id: 'pip-cache',
  lessonPart: 'pip-cache',
  check({ steps, userSteps }) {
    const findings: Finding[] = []
    for (const step of userSteps) {
      if (step.instruction !== 'RUN') continue
      const offending = simpleCommands(step.args).filter(
        (command) => isPipInstall(command) && !cacheDisabledFor(step, steps.slice(0, step.index), command),
      )
      if (offending.length === 0) continue
      let fixed = step.args
      for (const command of offending) {
        fixed = fixed.replace(command, command.replace(/\binstall\b/, 'install --no-cache-dir'))
      }
      findings.push({
        rule: 'pip-cache',
        severity: 'medium',
        title: 'pip keeps its download cache in the image',
        detail:
          `Step ${step.index + 1} runs pip install without --no-cache-dir, and PIP_NO_CACHE_DIR is not set. pip then leaves its ` +
          'cache of downloaded wheels (often tens of MB) in the layer, where it is never used again. This is a hint from the ' +
          "build history; the layer's contents will confirm it (look for ~/.cache/pip).",
        evidence: {
          steps: [step.index],
          bytes: step.size,
          notes: offending.map((command) => `Step ${step.index + 1}: \`${command}\` has no --no-cache-dir.`),
        },
        confidence: 'hint',
        lessonPart: 'pip-cache',
        fix: { before: `RUN ${step.args}`, after: `RUN ${fixed}` },
      })
    }
    return findings
  },
}
