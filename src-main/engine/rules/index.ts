// The rule registry: every rule, in the order findings of equal severity are listed.
import type { Finding } from '../model'
import { SEVERITIES } from '../model'
import { bloatedBase } from './bloated-base'
import { buildTools } from './build-tools'
import { aptListFiles, packageCacheFiles, pipCacheFiles } from './cache-files'
import { contextLeak } from './context-leak'
import { copyBeforeInstall } from './copy-before-install'
import { noExpose } from './no-expose'
import { noHealthcheck } from './no-healthcheck'
import { pipCache } from './pip-cache'
import { rootUser, rootUserFromPasswd } from './root-user'
import { secretBuildArg } from './secret-build-arg'
import { secretEnv } from './secret-env'
import { secretFile } from './secret-file'
import { setuidFiles } from './setuid-files'
import { shellFormCmd } from './shell-form-cmd'
import type { FileRule, Rule, RuleContext } from './types'
import { wastedBytes } from './wasted-bytes'

export type { FileRule, FileRuleContext, Rule, RuleContext } from './types'

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

/** The rules that read layer contents, in the order their findings of equal severity are listed. */
export const FILE_RULES: readonly FileRule[] = [
  secretFile,
  rootUserFromPasswd,
  buildTools,
  pipCacheFiles,
  aptListFiles,
  packageCacheFiles,
  contextLeak,
  wastedBytes,
  setuidFiles,
]

/** Runs every rule; findings sorted by severity, then by rule order. */
export function runRules(context: RuleContext, rules: readonly Rule[] = RULES): Finding[] {
  return sortBySeverity(rules.flatMap((rule) => rule.check(context)))
}

/** Most severe first; equal severities keep their order. */
export function sortBySeverity(findings: readonly Finding[]): Finding[] {
  return findings
    .map((finding, order) => ({ finding, order }))
    .sort((a, b) => SEVERITIES.indexOf(a.finding.severity) - SEVERITIES.indexOf(b.finding.severity) || a.order - b.order)
    .map(({ finding }) => finding)
}
