// Waste as sentences about steps: which step removed which bytes, and which steps still ship them.
import type { WasteReport } from './files/waste'
import type { ImageAnalysis, WasteStatement } from './model'
import { formatBytes } from './reports/format'
import { commandOf, listPlaces, stepOfLayer } from './rules/layer-steps'

/** Enough for any screen; the totals cover the rest. */
export const WASTE_STATEMENT_LIMIT = 200

/** The removals that took shipped bytes out of the final filesystem, largest first. */
export function wasteStatements(analysis: ImageAnalysis, waste: WasteReport, limit = WASTE_STATEMENT_LIMIT): WasteStatement[] {
  return waste.removals
    .filter((removal) => removal.bytes > 0)
    .slice(0, limit)
    .map((removal) => {
      const remover = stepOfLayer(analysis, removal.layer)
      const who = remover === undefined ? `Layer ${removal.layer + 1}` : `${commandOf(remover)} in step ${remover.index + 1}`
      const size = formatBytes(removal.bytes)
      const where = listPlaces(analysis, removal.bytesByAddingLayer.map((share) => share.layer))
      const sentence =
        removal.reason === 'deleted'
          ? `${who} freed nothing: ${size} of ${removal.path} still ship in ${where}.`
          : removal.reason === 'overwritten'
            ? `${who} replaced ${removal.path}: the ${size} it replaced still ship in ${where}.`
            : `${who} emptied ${removal.path} (opaque whiteout): the ${size} it hid still ship in ${where}.`
      return {
        path: removal.path,
        reason: removal.reason,
        removedByStep: remover?.index ?? -1,
        bytes: removal.bytes,
        shippedBy: removal.bytesByAddingLayer.map((share) => ({ stepIndex: stepOfLayer(analysis, share.layer)?.index ?? -1, bytes: share.bytes })),
        sentence
      }
    })
}
