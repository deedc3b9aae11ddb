// How rules about files name the steps behind the layers they look at.
import type { LayerFiles } from '../files/types'
import type { ImageAnalysis, Step } from '../model'
import type { FileRuleContext } from './types'

const COMMAND_DISPLAY_LIMIT = 70

export function stepOfLayer(analysis: ImageAnalysis, layer: number): Step | undefined {
  const stepIndex = analysis.layers[layer]?.stepIndex
  return stepIndex === undefined ? undefined : analysis.steps[stepIndex]
}

/** `RUN pip install -r requirements.txt`, cut short when long. */
export function commandOf(step: Step): string {
  const command = `${step.instruction} ${step.args}`.replace(/\s+/g, ' ').trim()
  return command.length > COMMAND_DISPLAY_LIMIT ? `${command.slice(0, COMMAND_DISPLAY_LIMIT - 1)}…` : command
}

/** `step 9` (1-based, as in the other findings), or `layer 4` when no history step made that layer. */
export function placeOfLayer(analysis: ImageAnalysis, layer: number): string {
  const step = stepOfLayer(analysis, layer)
  return step === undefined ? `layer ${layer + 1}` : `step ${step.index + 1}`
}

/** `step 7`, `steps 4 and 7`, `steps 3, 4 and 7`. */
export function listPlaces(analysis: ImageAnalysis, layers: readonly number[]): string {
  const places = [...new Set(layers)].sort((a, b) => a - b).map((layer) => placeOfLayer(analysis, layer))
  if (places.length <= 1) return places[0] ?? ''
  const numbers = places.map((place) => place.replace(/^\w+ /, ''))
  const noun = places.every((place) => place.startsWith('step')) ? 'steps' : 'layers'
  return `${noun} ${numbers.slice(0, -1).join(', ')} and ${numbers.at(-1)}`
}

export interface UserLayer {
  layer: number
  files: LayerFiles
  step: Step
}

/** The user's own layers read so far, with the step that made each. */
export function userLayers(context: FileRuleContext): UserLayer[] {
  const found: UserLayer[] = []
  context.layers.forEach((files, layer) => {
    if (files === undefined || layer < context.firstUserLayer) return
    const step = stepOfLayer(context.analysis, layer)
    if (step !== undefined && !step.inBase) found.push({ layer, files, step })
  })
  return found
}

export const isCopyStep = (step: Step): boolean => step.instruction === 'COPY' || step.instruction === 'ADD'
