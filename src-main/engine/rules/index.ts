// The rule registry: every rule, in the order findings of equal severity are listed.
import type { Finding } from '../model'
import { SEVERITIES } from '../model'
import { bloatedBase } from './bloated-base'
import { copyBeforeInstall } from './copy-before-install'
import { noExpose } from './no-expose'
import { noHealthcheck } from './no-healthcheck'
import { pipCache } from './pip-cache'
import { rootUser } from './root-user'
import { secretBuildArg } from './secret-build-arg'
import { secretEnv } from './secret-env'
import { shellFormCmd } from './shell-form-cmd'
import type { Rule, RuleContext } from './types'

export type { Rule, RuleContext } from './types'

export const RULES: readonly Rule[] = [
  secretEnv,
  secretBuildArg,
  rootUser,
  bloatedBase,
  copyBeforeInstall,
  pipCache,
  shellFormCmd,
  noHealthcheck,
  noExpose,
]

/** Runs every rule; findings sorted by severity, then by rule order. */
export function runRules(context: RuleContext, rules: readonly Rule[] = RULES): Finding[] {
  const findings = rules.flatMap((rule) => rule.check(context))
  return findings
    .map((finding, order) => ({ finding, order }))
    .sort((a, b) => SEVERITIES.indexOf(a.finding.severity) - SEVERITIES.indexOf(b.finding.severity) || a.order - b.order)
    .map(({ finding }) => finding)
}
