// Maps history entries (oldest first) onto the image's layers (RootFS.Layers).
//
// With an image config from a save stream, `empty_layer` says exactly which
// entries made a layer. The history API has no such flag, so it is inferred:
// an entry with bytes made a layer, a metadata instruction never does, and a
// RUN/COPY/ADD/WORKDIR with 0 bytes may have (a RUN that only makes symlinks, a
// WORKDIR that creates a directory). The choice among those is made so that the
// count matches RootFS.Layers exactly, preferring the instructions that most
// often leave a 0-byte layer. Mismatches never throw: they are reported.
import type { Instruction } from './model'
import { METADATA_INSTRUCTIONS } from './history'

/** The diff id of an empty tar: the layer of a step that changed no file. */
export const EMPTY_TAR_DIFF_ID = 'sha256:5f70bf18a086007016e948b04aed3b82103a36bea41755b6cddfaf10ace3c6ef'

export interface AlignableEntry {
  instruction: Instruction
  size: number
}

export interface Alignment {
  /** Per entry: the index of the layer it made, or undefined. */
  layerOfEntry: Array<number | undefined>
  /** Per entry: true when it made no layer (or none could be matched to it). */
  emptyLayer: boolean[]
  /** How the alignment was decided. */
  method: 'empty-layer-flags' | 'inferred' | 'partial'
  /** Plain-language notes on anything that could not be aligned. */
  notes: string[]
}

type LayerRole = 'always' | 'maybe' | 'never'

const roleOf = (entry: AlignableEntry): LayerRole => {
  if (entry.instruction === 'ROOTFS' || entry.size > 0) return 'always'
  if (METADATA_INSTRUCTIONS.has(entry.instruction)) return 'never'
  return 'maybe'
}

/** How likely a 0-byte entry is to have made a layer; only relative order matters. */
const ZERO_BYTE_LAYER_LIKELIHOOD: Partial<Record<Instruction, number>> = { COPY: 4, ADD: 4, WORKDIR: 3, RUN: 2 }

export function alignHistory(
  entries: readonly AlignableEntry[],
  layerDiffIds: readonly string[],
  emptyLayerFlags?: ReadonlyArray<boolean | null | undefined>,
): Alignment {
  if (emptyLayerFlags) {
    if (emptyLayerFlags.length === entries.length) return alignByFlags(entries, layerDiffIds, emptyLayerFlags)
    const inferred = inferAlignment(entries, layerDiffIds)
    inferred.notes.unshift(
      `The image config lists ${emptyLayerFlags.length} history entries but the engine reported ${entries.length}; its empty_layer flags were not used.`,
    )
    return inferred
  }
  return inferAlignment(entries, layerDiffIds)
}

function alignByFlags(
  entries: readonly AlignableEntry[],
  layerDiffIds: readonly string[],
  flags: ReadonlyArray<boolean | null | undefined>,
): Alignment {
  const layerOfEntry: Array<number | undefined> = []
  let next = 0
  for (let i = 0; i < entries.length; i++) {
    if (flags[i] === true || next >= layerDiffIds.length) {
      layerOfEntry.push(undefined)
    } else {
      layerOfEntry.push(next++)
    }
  }
  const nonEmpty = flags.filter((flag) => flag !== true).length
  const notes =
    nonEmpty === layerDiffIds.length
      ? []
      : [`The image config marks ${nonEmpty} history entries as layers but the image has ${layerDiffIds.length} layers.`]
  return {
    layerOfEntry,
    emptyLayer: layerOfEntry.map((layer) => layer === undefined),
    method: notes.length === 0 ? 'empty-layer-flags' : 'partial',
    notes,
  }
}

function inferAlignment(entries: readonly AlignableEntry[], layerDiffIds: readonly string[]): Alignment {
  const exact = bestExactAlignment(entries, layerDiffIds)
  if (exact) {
    return { layerOfEntry: exact, emptyLayer: exact.map((layer) => layer === undefined), method: 'inferred', notes: [] }
  }
  return alignInOrder(entries, layerDiffIds)
}

/**
 * Dynamic programme over (entries used, layers used): every layer gets exactly
 * one entry, 'always' entries must take one, 'never' entries must not; among the
 * exact alignments the one giving layers to the likeliest 0-byte entries wins.
 */
function bestExactAlignment(entries: readonly AlignableEntry[], layers: readonly string[]): Array<number | undefined> | null {
  const n = entries.length
  const m = layers.length
  const impossible = Number.NEGATIVE_INFINITY
  const score: number[][] = Array.from({ length: n + 1 }, () => new Array<number>(m + 1).fill(impossible))
  const tookLayer: boolean[][] = Array.from({ length: n + 1 }, () => new Array<boolean>(m + 1).fill(false))
  score[0]![0] = 0
  for (let i = 0; i < n; i++) {
    const entry = entries[i]!
    const role = roleOf(entry)
    for (let j = 0; j <= m; j++) {
      const current = score[i]![j]!
      if (current === impossible) continue
      if (role !== 'always' && current > score[i + 1]![j]!) {
        score[i + 1]![j] = current
        tookLayer[i + 1]![j] = false
      }
      if (role !== 'never' && j < m) {
        const gain = layerGain(entry, role, layers[j]!)
        if (gain !== null && current + gain > score[i + 1]![j + 1]!) {
          score[i + 1]![j + 1] = current + gain
          tookLayer[i + 1]![j + 1] = true
        }
      }
    }
  }
  if (score[n]![m] === impossible) return null
  const layerOfEntry: Array<number | undefined> = new Array<number | undefined>(n).fill(undefined)
  let j = m
  for (let i = n; i > 0; i--) {
    if (tookLayer[i]![j]) {
      j--
      layerOfEntry[i - 1] = j
    }
  }
  return layerOfEntry
}

function layerGain(entry: AlignableEntry, role: LayerRole, diffId: string): number | null {
  const isEmptyTar = diffId === EMPTY_TAR_DIFF_ID
  if (role === 'always') return entry.size > 0 && isEmptyTar ? null : 0
  return (ZERO_BYTE_LAYER_LIKELIHOOD[entry.instruction] ?? 1) + (isEmptyTar ? 1 : 0)
}

/** Fallback when no exact alignment exists: hand out layers in order, and say what is left over. */
function alignInOrder(entries: readonly AlignableEntry[], layers: readonly string[]): Alignment {
  const layerOfEntry: Array<number | undefined> = []
  let next = 0
  let unmatchedEntries = 0
  for (const entry of entries) {
    const role = roleOf(entry)
    if (role === 'always' && next < layers.length) {
      layerOfEntry.push(next++)
    } else {
      if (role === 'always') unmatchedEntries++
      layerOfEntry.push(undefined)
    }
  }
  const notes = [
    `The history does not fit the ${layers.length} layers of the image; layers were matched to steps with bytes in order.`,
  ]
  if (next < layers.length) notes.push(`${layers.length - next} layer(s) could not be matched to a history step.`)
  if (unmatchedEntries > 0) notes.push(`${unmatchedEntries} step(s) with bytes could not be matched to a layer.`)
  return { layerOfEntry, emptyLayer: layerOfEntry.map((layer) => layer === undefined), method: 'partial', notes }
}
