// Thresholds on an image as a whole, and whether an analysis stays within them.
import type { ContentsSummary, ImageAnalysis } from '../model'
import { formatBytes, formatPercent } from '../reports/format'
import { parseBytes, parseRatio } from './units'

export type ThresholdName = 'maxImageSize' | 'maxReclaimableBytes' | 'maxReclaimableRatio' | 'minEfficiency'

export type Thresholds = Partial<Record<ThresholdName, number>>

interface ThresholdDefinition {
  kind: 'bytes' | 'ratio'
  /** dive's `.dive-ci` rule name for the same limit. */
  diveAlias?: string
  describe: string
}

export const THRESHOLDS: Readonly<Record<ThresholdName, ThresholdDefinition>> = {
  maxImageSize: { kind: 'bytes', describe: 'image size' },
  maxReclaimableBytes: { kind: 'bytes', diveAlias: 'highestWastedBytes', describe: 'reclaimable bytes' },
  maxReclaimableRatio: {
    kind: 'ratio',
    diveAlias: 'highestUserWastedPercent',
    describe: "reclaimable share of the bytes the image's own layers ship",
  },
  minEfficiency: { kind: 'ratio', diveAlias: 'lowestEfficiency', describe: "dive's efficiency score" },
}

export const THRESHOLD_NAMES = Object.keys(THRESHOLDS) as ThresholdName[]

/** A Layerlens threshold name for a name or a dive alias, e.g. `highestWastedBytes` → `maxReclaimableBytes`. */
export function thresholdNamed(name: string): ThresholdName | undefined {
  return THRESHOLD_NAMES.find((threshold) => threshold === name || THRESHOLDS[threshold].diveAlias === name)
}

/** Parses a limit for a threshold; undefined when the value does not fit its kind. */
export function parseThresholdValue(name: ThresholdName, value: unknown): number | undefined {
  return THRESHOLDS[name].kind === 'bytes' ? parseBytes(value) : parseRatio(value)
}

export const thresholdValueHint = (name: ThresholdName): string =>
  THRESHOLDS[name].kind === 'bytes'
    ? 'expected a size such as 500MB, 1.5GB or a number of bytes'
    : 'expected a ratio between 0 and 1, or a percentage such as 90%'

/** `--fail-on highestWastedBytes=20MB`: one threshold from a command-line argument. */
export function parseThresholdArgument(argument: string): { name: ThresholdName; limit: number } | { error: string } {
  const equals = argument.indexOf('=')
  const rawName = equals < 0 ? argument : argument.slice(0, equals)
  const name = thresholdNamed(rawName)
  if (name === undefined) return { error: `unknown threshold "${rawName}"; known: ${thresholdNameList()}` }
  const limit = equals < 0 ? undefined : parseThresholdValue(name, argument.slice(equals + 1))
  if (limit === undefined) return { error: `${rawName}: ${thresholdValueHint(name)}` }
  return { name, limit }
}

export const thresholdNameList = (): string =>
  THRESHOLD_NAMES.flatMap((name) => [name, THRESHOLDS[name].diveAlias].filter((text): text is string => text !== undefined)).join(', ')

export interface ThresholdCheck {
  threshold: ThresholdName
  limit: number
  /** Undefined when it cannot be measured without the layer contents. */
  actual?: number
  breached: boolean
  message: string
}

/** Bytes shipped by layers after the base image's: the part of the image its Dockerfile is responsible for. */
function userShippedBytes(analysis: ImageAnalysis, contents: ContentsSummary): number {
  return contents.layers.filter((layer) => layer.layerIndex >= analysis.base.layerCount).reduce((sum, layer) => sum + layer.shippedBytes, 0)
}

function measure(name: ThresholdName, analysis: ImageAnalysis, contents: ContentsSummary | undefined): number | undefined {
  if (name === 'maxImageSize') return analysis.image.size
  if (contents === undefined) return undefined
  if (name === 'maxReclaimableBytes') return contents.reclaimableBytes
  if (name === 'minEfficiency') return contents.dive.efficiency
  const shipped = userShippedBytes(analysis, contents)
  return shipped === 0 ? 0 : contents.reclaimableBytes / shipped
}

const show = (name: ThresholdName, value: number): string => (THRESHOLDS[name].kind === 'bytes' ? formatBytes(value) : formatPercent(value))

/** Every configured threshold, measured; the content thresholds need the contents summary of a layer scan. */
export function checkThresholds(analysis: ImageAnalysis, contents: ContentsSummary | undefined, thresholds: Thresholds): ThresholdCheck[] {
  return THRESHOLD_NAMES.flatMap((name): ThresholdCheck[] => {
    const limit = thresholds[name]
    if (limit === undefined) return []
    const actual = measure(name, analysis, contents)
    const { describe } = THRESHOLDS[name]
    if (actual === undefined) {
      return [{ threshold: name, limit, breached: false, message: `${name}: ${describe} not measured (the layer contents were not read)` }]
    }
    const breached = name === 'minEfficiency' ? actual < limit : actual > limit
    const relation = breached ? (name === 'minEfficiency' ? 'is below' : 'exceeds') : 'is within'
    return [{ threshold: name, limit, actual, breached, message: `${name}: ${describe} ${show(name, actual)} ${relation} the limit of ${show(name, limit)}` }]
  })
}
