// Applying a project's settings to an analysis' findings. Pure: findings in, findings out.
import { SEVERITIES, type Finding } from '../model'
import { pathMatcher } from './path-glob'
import type { Settings } from './schema'

const ENV_CONFIG_PREFIX = 'Env.'

/** Drops the paths the project ignores; a finding left with no paths of its own is dropped. */
function withoutIgnoredPaths(finding: Finding, isIgnored: (path: string) => boolean): Finding | undefined {
  const paths = finding.evidence.paths
  if (paths === undefined || paths.length === 0) return finding
  const kept = paths.filter((path) => !isIgnored(path))
  if (kept.length === paths.length) return finding
  if (kept.length === 0) return undefined
  const ignored = paths.length - kept.length
  return {
    ...finding,
    evidence: { ...finding.evidence, paths: kept, notes: [...finding.evidence.notes, `${ignored} path${ignored === 1 ? '' : 's'} left out by ignorePaths.`] },
  }
}

/** Env keys the project says are not secrets stop counting as evidence; a finding left with none is dropped. */
function withoutAllowedEnv(finding: Finding, allowed: ReadonlySet<string>): Finding | undefined {
  const config = finding.evidence.config
  if (allowed.size === 0 || config === undefined) return finding
  const isAllowed = (entry: string): boolean => entry.startsWith(ENV_CONFIG_PREFIX) && allowed.has(entry.slice(ENV_CONFIG_PREFIX.length))
  const allowedHere = config.filter(isAllowed)
  if (allowedHere.length === 0) return finding
  const kept = config.filter((entry) => !isAllowed(entry))
  if (!kept.some((entry) => entry.startsWith(ENV_CONFIG_PREFIX))) return undefined
  const allowedKeys = allowedHere.map((entry) => entry.slice(ENV_CONFIG_PREFIX.length))
  return {
    ...finding,
    evidence: {
      ...finding.evidence,
      config: kept,
      notes: [
        ...finding.evidence.notes.filter((note) => !allowedKeys.some((key) => note.startsWith(`${key} `))),
        `${allowedKeys.join(', ')} ${allowedKeys.length === 1 ? 'is' : 'are'} allowed by allowEnv.`,
      ],
    },
  }
}

/**
 * The findings as the project wants them reported: rules switched off are gone, severities changed,
 * ignored paths and allowed env keys no longer count as evidence. Sorted by severity again, keeping the
 * engine's order within a severity.
 */
export function applySettings(findings: readonly Finding[], settings: Settings): Finding[] {
  const isIgnored = pathMatcher(settings.ignorePaths)
  const allowedEnv = new Set(settings.allowEnv)
  return findings
    .flatMap((finding) => {
      const rule = settings.rules[finding.rule]
      if (rule?.enabled === false) return []
      const adjusted = rule?.severity === undefined ? finding : { ...finding, severity: rule.severity }
      const withPaths = withoutIgnoredPaths(adjusted, isIgnored)
      const withEnv = withPaths && withoutAllowedEnv(withPaths, allowedEnv)
      return withEnv === undefined ? [] : [withEnv]
    })
    .map((finding, order) => ({ finding, order }))
    .sort((a, b) => SEVERITIES.indexOf(a.finding.severity) - SEVERITIES.indexOf(b.finding.severity) || a.order - b.order)
    .map(({ finding }) => finding)
}
