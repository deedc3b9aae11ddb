// Turns the raw history into the model's steps and layers: parsed, masked, aligned.
import { alignHistory, type Alignment } from './align'
import { parseCreatedBy, type ParsedCreatedBy } from './history'
import type { Layer, Step } from './model'
import type { RawHistoryItem, RawImageConfig } from './raw'
import { orEmptyArray } from './raw'
import { isSecretName, MASK, maskText, maskVariable, secretValuesOf } from './secrets'

export interface ParsedEntry {
  raw: RawHistoryItem
  parsed: ParsedCreatedBy
}

/** History as the API gives it (newest first), parsed, oldest first. */
export function parseHistory(historyNewestFirst: readonly RawHistoryItem[]): ParsedEntry[] {
  return [...historyNewestFirst].reverse().map((raw) => ({ raw, parsed: parseCreatedBy(raw.CreatedBy, raw.Comment) }))
}

/** `A=1 B="two words"` or the legacy `KEY value` form of ENV, ARG and LABEL. */
export function parseAssignments(args: string): Array<{ name: string; value: string }> {
  // A name starts a word: tried from inside a long word too, it would cost quadratic time.
  const pairs = [...args.matchAll(/(?<![A-Za-z0-9_.-])([A-Za-z_][A-Za-z0-9_.-]*)=("(?:[^"\\]|\\.)*"|'[^']*'|\S*)/g)].map((match) => ({
    name: match[1] ?? '',
    value: unquote(match[2] ?? ''),
  }))
  if (pairs.length > 0) return pairs
  const legacy = /^([A-Za-z_][A-Za-z0-9_.-]*)\s+([\s\S]+)$/.exec(args.trim())
  return legacy ? [{ name: legacy[1] ?? '', value: unquote((legacy[2] ?? '').trim()) }] : []
}

const unquote = (value: string): string =>
  (value.startsWith('"') && value.endsWith('"') && value.length >= 2) || (value.startsWith("'") && value.endsWith("'") && value.length >= 2)
    ? value.slice(1, -1)
    : value

/** Secret values recorded anywhere in the history: build args and ENV/ARG/LABEL assignments. */
export function secretValuesInHistory(entries: readonly ParsedEntry[]): string[] {
  const variables: Array<{ name: string; value: string }> = []
  for (const { parsed } of entries) {
    for (const [name, value] of Object.entries(parsed.buildArgs ?? {})) variables.push({ name, value })
    if (parsed.instruction === 'ENV' || parsed.instruction === 'ARG' || parsed.instruction === 'LABEL') {
      variables.push(...parseAssignments(parsed.args))
    }
  }
  return secretValuesOf(variables)
}

export interface BuiltSteps {
  steps: Step[]
  layers: Layer[]
  alignment: Alignment
  /** Per step index: what was masked in it (names or kinds, never values). */
  maskedByStep: Map<number, string[]>
}

export function buildSteps(
  entries: readonly ParsedEntry[],
  layerDiffIds: readonly string[],
  knownSecrets: readonly string[],
  savedConfig?: RawImageConfig,
): BuiltSteps {
  const flags = savedConfig?.history ? orEmptyArray(savedConfig.history).map((entry) => entry.empty_layer) : undefined
  const alignment = alignHistory(
    entries.map(({ raw, parsed }) => ({ instruction: parsed.instruction, size: raw.Size ?? 0 })),
    layerDiffIds,
    flags,
  )
  const maskedByStep = new Map<number, string[]>()
  const steps = entries.map(({ raw, parsed }, index): Step => {
    const masked = new Set<string>()
    const note = (reasons: readonly string[]): void => reasons.forEach((reason) => masked.add(reason))

    const args = maskText(maskLegacyAssignment(parsed), knownSecrets)
    note(args.masked)
    const createdBy = maskText(raw.CreatedBy ?? '', knownSecrets)
    note(createdBy.masked)

    const step: Step = {
      index,
      instruction: parsed.instruction,
      args: args.text,
      createdBy: createdBy.text,
      builder: parsed.builder,
      emptyLayer: alignment.emptyLayer[index] ?? true,
      size: Math.max(0, raw.Size ?? 0),
      inBase: false,
    }
    if (parsed.buildArgs) {
      step.buildArgs = {}
      for (const [name, value] of Object.entries(parsed.buildArgs)) {
        const variable = maskVariable(name, value, knownSecrets)
        step.buildArgs[name] = variable.value
        if (variable.masked) masked.add(name)
      }
    }
    const created = raw.Created ?? 0
    if (created > 0) step.created = new Date(created * 1000).toISOString()
    if (raw.Comment) step.comment = maskText(raw.Comment, knownSecrets).text
    const layerIndex = alignment.layerOfEntry[index]
    if (layerIndex !== undefined) step.layerIndex = layerIndex
    if (masked.size > 0) maskedByStep.set(index, [...masked])
    return step
  })

  const layers = layerDiffIds.map((diffId, index): Layer => {
    const stepIndex = alignment.layerOfEntry.indexOf(index)
    const layer: Layer = { index, diffId, size: stepIndex >= 0 ? (steps[stepIndex]?.size ?? 0) : 0 }
    if (stepIndex >= 0) layer.stepIndex = stepIndex
    return layer
  })
  return { steps, layers, alignment, maskedByStep }
}

/** The legacy `ENV KEY value` form has no `=`, so the generic masking would not see it. */
function maskLegacyAssignment(parsed: ParsedCreatedBy): string {
  if (parsed.instruction !== 'ENV' && parsed.instruction !== 'ARG' && parsed.instruction !== 'LABEL') return parsed.args
  const legacy = /^([A-Za-z_][A-Za-z0-9_.-]*)(\s+)(?!=)([\s\S]+)$/.exec(parsed.args.trim())
  if (!legacy || parsed.args.includes('=') || !isSecretName(legacy[1] ?? '')) return parsed.args
  return `${legacy[1]}${legacy[2]}${MASK}`
}
