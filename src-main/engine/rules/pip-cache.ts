import type { Finding, Step } from '../model'
import { parseAssignments } from '../steps'
import { isPipInstall, isTruthy, simpleCommands, withNoCacheDir } from './shell'
import type { Rule } from './types'

/** Whether `PIP_NO_CACHE_DIR` was truthy for this step: the ENV value before it, a build arg, or inline. */
function cacheDisabledFor(step: Step, envValue: string | undefined): boolean {
  if (isTruthy(envValue)) return true
  if (isTruthy(step.buildArgs?.['PIP_NO_CACHE_DIR'])) return true
  const inline = /\bPIP_NO_CACHE_DIR=("?[^\s"]*"?)/.exec(step.args)?.[1]
  return isTruthy(inline)
}

export const pipCache: Rule = {
  id: 'pip-cache',
  lessonPart: 'pip-cache',
  check({ steps, userSteps }) {
    const findings: Finding[] = []
    const own = new Set(userSteps)
    // One pass in order: each RUN sees the PIP_NO_CACHE_DIR of the last ENV before it.
    let envValue: string | undefined
    for (const step of steps) {
      if (step.instruction === 'ENV') envValue = parseAssignments(step.args).filter(({ name }) => name === 'PIP_NO_CACHE_DIR').pop()?.value ?? envValue
      if (step.instruction !== 'RUN' || !own.has(step) || cacheDisabledFor(step, envValue)) continue
      const offending = simpleCommands(step.args).filter((command) => isPipInstall(command) && !/--no-cache-dir\b/.test(command))
      if (offending.length === 0) continue
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
        fix: { before: `RUN ${step.args}`, after: `RUN ${withNoCacheDir(step.args, offending)}` },
      })
    }
    return findings
  },
}
