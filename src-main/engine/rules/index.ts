// The rule registry: every rule, in the order findings of equal severity are listed.
import type { Finding, RuleId } from '../model'
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

/** Every rule id, from the image and the Dockerfile alike (a record, so a new RuleId cannot be left out). */
const RULE_ID_SET: Record<RuleId, true> = {
  'root-user': true,
  'shell-form-cmd': true,
  'pip-cache': true,
  'copy-before-install': true,
  'secret-env': true,
  'secret-build-arg': true,
  'bloated-base': true,
  'no-healthcheck': true,
  'no-expose': true,
  'unpinned-base': true,
  'no-workdir': true,
  'apt-lists': true,
  'package-cache': true,
  'context-leak': true,
  'secret-file': true,
  'wasted-bytes': true,
  'build-tools': true,
  'setuid-files': true,
}

/** What `.layerlens.yml` may name under `rules`. */
export const RULE_IDS = Object.keys(RULE_ID_SET) as RuleId[]

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
