// Package-manager caches found in the user's layers: the files are the evidence, the history only a hint.
import { findCaches, type CacheHit, type CacheKind } from '../files/file-markers'
import type { Finding, LessonPartId, RuleId, Severity, Step } from '../model'
import { formatBytes, plural } from '../reports/format'
import { commandOf, userLayers } from './layer-steps'
import type { FileRule, FileRuleContext } from './types'

interface CacheFamily {
  rule: RuleId
  lessonPart: LessonPartId
  severity: Severity
  kinds: readonly CacheKind[]
}

const PIP: CacheFamily = { rule: 'pip-cache', lessonPart: 'pip-cache', severity: 'medium', kinds: ['pip'] }
const APT: CacheFamily = { rule: 'apt-lists', lessonPart: 'apt-cleanup', severity: 'low', kinds: ['apt-lists', 'apt-archives'] }
const OTHER: CacheFamily = {
  rule: 'package-cache',
  lessonPart: 'package-cache',
  severity: 'low',
  kinds: ['apk', 'npm', 'yarn', 'poetry', 'uv', 'conda']
}

const TOOL_OF: Record<CacheKind, string> = {
  pip: 'pip',
  'apt-lists': 'apt',
  'apt-archives': 'apt',
  apk: 'apk',
  npm: 'npm',
  yarn: 'yarn',
  poetry: 'poetry',
  uv: 'uv',
  conda: 'conda'
}

/** The same step, with the tool told not to keep (or to empty) its cache. */
function fixedCommand(kind: CacheKind, args: string): string {
  switch (kind) {
    case 'pip':
      return /\bpip[0-9.]*\s+install\b/.test(args) ? args.replace(/\b(pip[0-9.]*\s+install)\b/g, '$1 --no-cache-dir') : `PIP_NO_CACHE_DIR=1 ${args}`
    case 'apt-lists':
    case 'apt-archives':
      return `${args} \\\n && rm -rf /var/lib/apt/lists/*`
    case 'apk':
      return args.replace(/\bapk add\b/g, 'apk add --no-cache')
    case 'npm':
      return `${args} \\\n && npm cache clean --force`
    case 'yarn':
      return `${args} \\\n && yarn cache clean`
    case 'poetry':
      return args.replace(/\bpoetry install\b/g, 'poetry install --no-cache')
    case 'uv':
      return `UV_NO_CACHE=1 ${args}`
    case 'conda':
      return `${args} \\\n && conda clean --all --yes`
  }
}

function pipCacheDirs(context: FileRuleContext): string[] {
  return context.analysis.config.env.filter((variable) => variable.key === 'PIP_CACHE_DIR' && !variable.masked && variable.value.startsWith('/')).map((variable) => variable.value)
}

function cacheFinding(family: CacheFamily, step: Step, hits: CacheHit[], hintFix: Finding['fix'] | undefined): Finding {
  const bytes = hits.reduce((sum, hit) => sum + hit.bytes, 0)
  const files = hits.reduce((sum, hit) => sum + hit.files, 0)
  const roots = hits.map((hit) => hit.root)
  const tools = [...new Set(hits.map((hit) => TOOL_OF[hit.kind]))]
  const deletedLater = hits.some((hit) => hit.bytesInFinal !== undefined && hit.bytesInFinal < hit.bytes)
  const notes = hits.map(
    (hit) =>
      `${hit.root}: ${hit.files} files, ${formatBytes(hit.bytes)}` +
      (hit.bytesInFinal !== undefined && hit.bytesInFinal < hit.bytes ? `, of which ${formatBytes(hit.bytes - hit.bytesInFinal)} a later step deleted (they still ship).` : '.')
  )
  let fixedArgs = step.args
  for (const kind of new Set(hits.map((hit) => hit.kind))) fixedArgs = fixedCommand(kind, fixedArgs)
  return {
    rule: family.rule,
    severity: family.severity,
    title: `${tools.join(' and ')} left ${formatBytes(bytes)} of cache in the image`,
    detail:
      `Step ${step.index + 1} (${commandOf(step)}) left ${plural(files, 'cache file')} (${formatBytes(bytes)}) in ${roots.join(', ')}. ` +
      'Nothing reads them at run time; they only make the image bigger.' +
      (deletedLater ? ' A later step deletes some of them, which frees nothing: they still ship in this step\'s layer.' : ''),
    evidence: { steps: [step.index], paths: roots, bytes, notes },
    confidence: 'confirmed',
    savingsBytes: bytes,
    lessonPart: family.lessonPart,
    fix: hintFix ?? { before: `RUN ${step.args}`, after: `RUN ${fixedArgs}` }
  }
}

function cacheRule(family: CacheFamily): FileRule {
  return {
    id: family.rule,
    lessonPart: family.lessonPart,
    check(context) {
      const extraDirs = family.rule === 'pip-cache' ? pipCacheDirs(context) : []
      return userLayers(context).flatMap(({ layer, files, step }) => {
        const only = context.layers.map((_files, index) => (index === layer ? files : undefined))
        const hits = findCaches(only, context.final?.view, extraDirs).filter((hit) => family.kinds.includes(hit.kind))
        if (hits.length === 0) return []
        const hint = context.analysis.findings.find((finding) => finding.rule === family.rule && finding.evidence.steps?.[0] === step.index)
        return [cacheFinding(family, step, hits, hint?.fix)]
      })
    }
  }
}

export const pipCacheFiles = cacheRule(PIP)
export const aptListFiles = cacheRule(APT)
export const packageCacheFiles = cacheRule(OTHER)
