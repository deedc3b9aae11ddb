// Links a Dockerfile's final stage to the image's history: which step each instruction
// produced, and which Dockerfile line each step came from. Steps and instructions are
// aligned in order (an ordered, weighted alignment), compared by instruction and by
// arguments normalised the way each builder records them.
import { formatExecForm, parseCopyArgs } from '../history'
import type { Instruction, SourceLocation, Step } from '../model'
import type { DockerfileInstruction, ParsedDockerfile } from './types'

/** `exact`: the recorded arguments are the written ones; `partial`: same instruction, other arguments; `base`: a base-image step. */
export type LinkKind = 'exact' | 'partial' | 'base'

export interface StepLink {
  stepIndex: number
  instructionIndex?: number
  location?: SourceLocation
  kind?: LinkKind
  /** Why the step has no line, or how a partial link differs. */
  reason?: string
}

export interface InstructionLink {
  instructionIndex: number
  keyword: Instruction
  location: SourceLocation
  stepIndex?: number
  kind?: LinkKind
  reason?: string
}

export interface DockerfileMapping {
  /** One per history step, oldest first. */
  steps: StepLink[]
  /** One per Dockerfile instruction, in file order. */
  instructions: InstructionLink[]
}

const EXACT = 4
const PARTIAL = 1

export function mapDockerfileToSteps(dockerfile: ParsedDockerfile, steps: readonly Step[]): DockerfileMapping {
  const chainStages = new Set(dockerfile.finalChain)
  const candidates = dockerfile.instructions.filter((instruction) => chainStages.has(instruction.stage) && instruction.keyword !== 'FROM')
  const userSteps = steps.filter((step) => !step.inBase)
  const pairs = align(candidates, userSteps)

  const rootStage = dockerfile.stages[dockerfile.finalChain[0] ?? -1]
  const rootFrom = rootStage?.instructions[0]
  const stepLinks: StepLink[] = steps.map((step) => {
    if (step.inBase) {
      const link: StepLink = { stepIndex: step.index, kind: 'base', reason: `Comes from the base image${rootStage ? ` (FROM ${rootStage.from.image})` : ''}.` }
      if (rootFrom) {
        link.instructionIndex = rootFrom.index
        link.location = rootFrom.location
      }
      return link
    }
    const pair = pairs.find((candidate) => candidate.step === step)
    if (!pair) {
      return {
        stepIndex: step.index,
        reason: 'No instruction of this Dockerfile produced this step: the image was probably built from another Dockerfile or another version of it.',
      }
    }
    const link: StepLink = { stepIndex: step.index, instructionIndex: pair.instruction.index, location: pair.instruction.location, kind: pair.kind }
    if (pair.kind === 'partial') link.reason = partialReason(pair.instruction, step)
    return link
  })

  const builders = new Set(userSteps.map((step) => step.builder))
  const instructionLinks: InstructionLink[] = dockerfile.instructions.map((instruction) => {
    const base: InstructionLink = { instructionIndex: instruction.index, keyword: instruction.keyword, location: instruction.location }
    const pair = pairs.find((candidate) => candidate.instruction === instruction)
    if (pair) {
      const link: InstructionLink = { ...base, stepIndex: pair.step.index, kind: pair.kind }
      if (pair.kind === 'partial') link.reason = partialReason(instruction, pair.step)
      return link
    }
    return { ...base, reason: unmappedReason(instruction, dockerfile, chainStages, builders) }
  })
  return { steps: stepLinks, instructions: instructionLinks }
}

interface Pair {
  instruction: DockerfileInstruction
  step: Step
  kind: 'exact' | 'partial'
}

/** The order-preserving pairing with the highest total score (a weighted longest common subsequence). */
function align(instructions: readonly DockerfileInstruction[], steps: readonly Step[]): Pair[] {
  const rows = instructions.length
  const columns = steps.length
  const scores = instructions.map((instruction) => steps.map((step) => score(instruction, step)))
  const best: number[][] = Array.from({ length: rows + 1 }, () => new Array<number>(columns + 1).fill(0))
  for (let row = rows - 1; row >= 0; row--) {
    for (let column = columns - 1; column >= 0; column--) {
      const here = scores[row]![column]!
      best[row]![column] = Math.max(best[row + 1]![column]!, best[row]![column + 1]!, here > 0 ? here + best[row + 1]![column + 1]! : 0)
    }
  }
  const pairs: Pair[] = []
  let row = 0
  let column = 0
  while (row < rows && column < columns) {
    const here = scores[row]![column]!
    if (here > 0 && best[row]![column] === here + best[row + 1]![column + 1]!) {
      pairs.push({ instruction: instructions[row]!, step: steps[column]!, kind: here === EXACT ? 'exact' : 'partial' })
      row++
      column++
    } else if (best[row]![column] === best[row + 1]![column]) row++
    else column++
  }
  return pairs
}

function score(instruction: DockerfileInstruction, step: Step): number {
  if (instruction.keyword !== step.instruction) return 0
  return argumentsMatch(instruction, step) ? EXACT : PARTIAL
}

const squash = (text: string): string => text.replace(/\s+/g, ' ').trim()

function argumentsMatch(instruction: DockerfileInstruction, step: Step): boolean {
  const recorded = squash(step.args)
  switch (instruction.keyword) {
    case 'RUN':
      if (instruction.heredocs.length > 0) {
        return instruction.heredocs.every((heredoc) => recorded.includes(squash(heredoc.content)))
      }
      return recorded === squash(instruction.execForm ? instruction.execForm.join(' ') : instruction.args)
    case 'CMD':
    case 'ENTRYPOINT':
      return recorded === formatExecForm(instruction.execForm ?? [...(instruction.shell ?? ['/bin/sh', '-c']), instruction.args])
    case 'EXPOSE':
      return normalisePorts(recorded) === normalisePorts(instruction.args)
    case 'COPY':
    case 'ADD':
      return copyMatches(instruction, step)
    default:
      return matchesWithUnknowns(squash(instruction.args), recorded, instruction.unresolved)
  }
}

/** Variables the Dockerfile leaves to the base image (`$PATH`) match whatever value was recorded. */
function matchesWithUnknowns(written: string, recorded: string, unresolved: readonly string[]): boolean {
  if (unresolved.length === 0) return written === recorded
  const names = unresolved.map((name) => name.replace(/[^A-Za-z0-9_]/g, '')).join('|')
  const pattern = written
    .split(new RegExp(`(\\$\\{(?:${names})\\}|\\$(?:${names})(?![A-Za-z0-9_]))`))
    .map((part, position) => (position % 2 === 1 ? '[\\s\\S]*' : part.replace(/[\\^$.*+?()[\]{}|]/g, '\\$&')))
    .join('')
  return new RegExp(`^${pattern}$`).test(recorded)
}

const normalisePorts = (ports: string): string =>
  ports
    .split(/\s+/)
    .filter((port) => port !== '')
    .map((port) => (port.includes('/') ? port.toLowerCase() : `${port}/tcp`))
    .sort()
    .join(' ')

const trimSlash = (path: string): string => (path.length > 1 ? path.replace(/\/+$/, '') : path)

function copyMatches(instruction: DockerfileInstruction, step: Step): boolean {
  const recorded = parseCopyArgs(step.args)
  const written = parseCopyArgs(instruction.args)
  if (trimSlash(recorded.destination) !== trimSlash(written.destination)) return false
  // The classic builder records a content hash instead of the sources.
  if (recorded.hashedKind !== undefined) return true
  return recorded.sources.join(' ') === written.sources.join(' ')
}

function partialReason(instruction: DockerfileInstruction, step: Step): string {
  return `Same ${instruction.keyword}, different arguments: the image recorded \`${squash(step.args).slice(0, 120)}\`; the image was probably built from another version of this line.`
}

function unmappedReason(
  instruction: DockerfileInstruction,
  dockerfile: ParsedDockerfile,
  chainStages: ReadonlySet<number>,
  builders: ReadonlySet<Step['builder']>,
): string {
  if (instruction.stage < 0) return 'An ARG before the first FROM only feeds the FROM lines; it makes no step.'
  if (!chainStages.has(instruction.stage)) {
    const stage = dockerfile.stages[instruction.stage]
    const name = stage?.name ? `"${stage.name}"` : `${instruction.stage + 1}`
    return `Stage ${name} is not part of the final image: only what a later COPY --from takes from it ships.`
  }
  if (instruction.keyword === 'FROM') return 'FROM picks the base image; the base image\'s own steps stand for it.'
  if (instruction.keyword === 'ARG' && !builders.has('classic')) return 'BuildKit records no history step for ARG.'
  return 'No history step matches this instruction: the image was probably built from another version of this Dockerfile.'
}
