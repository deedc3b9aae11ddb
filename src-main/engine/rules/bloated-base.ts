import { displayName, formatMegabytes, slimVariantOf } from '../base'
import type { Finding } from '../model'
import type { Rule } from './types'

/** python:3.12-slim on disk, amd64 (DESIGN.md): ≈120–125 MB. The upper end keeps the savings estimate modest. */
export const OFFICIAL_PYTHON_SLIM_BYTES = 125_000_000

export const bloatedBase: Rule = {
  id: 'bloated-base',
  lessonPart: 'base-image',
  check({ base, basePythonVersion, localImages }) {
    if (base.family !== 'python-full') return []
    const minor = basePythonVersion?.split('.').slice(0, 2).join('.')
    const fromName = base.name ?? (minor ? `python:${minor}` : 'python:3.12')
    const slimName = slimVariantOf(fromName)
    const localSlim = localImages.find((image) => image.repoTags.includes(slimName) && image.size !== undefined)
    const slimSize = localSlim?.size ?? OFFICIAL_PYTHON_SLIM_BYTES
    const savings = base.size - slimSize
    const notes = [
      ...base.evidence,
      `The base's layers add up to ${formatMegabytes(base.size)}.`,
      localSlim
        ? `The local image ${displayName(localSlim)} is ${formatMegabytes(slimSize)}.`
        : 'The official slim variant is about 120–125 MB on disk (amd64); the full one about 1.0–1.1 GB.',
    ]
    const finding: Finding = {
      rule: 'bloated-base',
      severity: 'medium',
      title: 'The base image is the full python image',
      detail:
        `${fromName} is the full variant: Debian plus compilers, -dev libraries and version-control tools, so that anything can be ` +
        `built in it. An app that only runs Python rarely needs them. ${slimName} has the same Python on a stripped Debian` +
        (savings > 0 ? `, and would save about ${formatMegabytes(savings)}.` : '.') +
        ' If a package needs a compiler to install, build it in a separate stage and copy the result over.',
      evidence: { steps: Array.from({ length: base.stepCount }, (_, i) => i), bytes: base.size, notes },
      confidence: 'confirmed',
      lessonPart: 'base-image',
      fix: { before: `FROM ${fromName}`, after: `FROM ${slimName}` },
    }
    if (savings > 0) finding.savingsBytes = savings
    return [finding]
  },
}
