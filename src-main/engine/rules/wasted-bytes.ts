// Bytes the user's steps deleted, overwrote or hid: they still ship in the layer that added them.
import type { Finding } from '../model'
import { formatBytes } from '../reports/format'
import { stepOfLayer } from './layer-steps'
import type { FileRule } from './types'

/** Below this, reclaimable bytes are the normal churn of package databases and caches of ld.so. */
export const WASTED_BYTES_THRESHOLD = 1_000_000
const MEDIUM_AT = 10_000_000
const NOTES_SHOWN = 5

export const wastedBytes: FileRule = {
  id: 'wasted-bytes',
  lessonPart: 'wasted-bytes',
  check(context) {
    const final = context.final
    if (final === undefined) return []
    const userRemovals = final.waste.removals.filter((removal) => removal.layer >= context.firstUserLayer && removal.bytes > 0)
    const bytes = userRemovals.reduce((sum, removal) => sum + removal.bytes, 0)
    if (bytes < WASTED_BYTES_THRESHOLD) return []
    const userSteps = new Set(userRemovals.flatMap((removal) => stepOfLayer(context.analysis, removal.layer)?.index ?? []))
    const statements = final.statements.filter((statement) => userSteps.has(statement.removedByStep))
    const adding = [...new Set(statements.flatMap((statement) => statement.shippedBy.map((share) => share.stepIndex)))].filter((index) => index >= 0)
    const removing = [...userSteps].sort((a, b) => a - b)
    const steps = [...new Set([...adding, ...removing])].sort((a, b) => a - b)
    const stepArgs = (index: number | undefined): string => (index === undefined ? '…' : `${context.analysis.steps[index]?.instruction ?? 'RUN'} ${context.analysis.steps[index]?.args ?? '…'}`)
    const firstAdd = statements[0]?.shippedBy[0]?.stepIndex
    const firstRemove = statements[0]?.removedByStep
    const finding: Finding = {
      rule: 'wasted-bytes',
      severity: bytes >= MEDIUM_AT ? 'medium' : 'low',
      title: `${formatBytes(bytes)} removed by later steps still ship in the image`,
      detail:
        'Some of your steps delete or replace files that an earlier step added. The final filesystem no longer has them, but ' +
        'the earlier layers still carry every byte, so the image is no smaller. Remove files in the same RUN that creates them.',
      evidence: { steps, paths: statements.map((statement) => statement.path), bytes, notes: statements.slice(0, NOTES_SHOWN).map((statement) => statement.sentence) },
      confidence: 'confirmed',
      savingsBytes: bytes,
      lessonPart: 'wasted-bytes',
      fix: {
        before: `${stepArgs(firstAdd !== undefined && firstAdd >= 0 ? firstAdd : undefined)}\n${stepArgs(firstRemove !== undefined && firstRemove >= 0 ? firstRemove : undefined)}`,
        after: '# one RUN that creates, uses and removes the files:\nRUN <create> \\\n && <use> \\\n && rm -rf <the files>'
      }
    }
    return [finding]
  }
}
