// The workshop walk: the lesson told on the lesson-before sample, one finding at a time.
import type { Finding, ImageAnalysis, RuleId } from '../../../src-main/engine/model'

export const WORKSHOP_SAMPLE = 'lesson-before'
export const WORKSHOP_AFTER_SAMPLE = 'lesson-after'

export interface WalkStep {
  title: string
  /** What to look at, said to the room. */
  talk: string
  /** The findings this step is about, the first found leading. */
  rules: RuleId[]
  /** Which of the finding's history steps to select: its largest, its first, or the image's CMD. */
  focus: 'largest' | 'first' | 'cmd' | 'last'
}

export const WALK: readonly WalkStep[] = [
  {
    title: 'The base image',
    talk: 'Most of this image is its base: the full python image, with compilers and headers the app never uses at run time. The grey bars are the base layers.',
    rules: ['bloated-base'],
    focus: 'largest'
  },
  {
    title: 'Layer caching: the order of COPY',
    talk: 'The whole project is copied before the dependencies are installed, so any edit to any file re-runs pip install on the next build.',
    rules: ['copy-before-install'],
    focus: 'first'
  },
  {
    title: 'The pip cache',
    talk: 'pip keeps every downloaded wheel in /root/.cache/pip. Nothing needs it at run time, yet it ships in the dependency layer.',
    rules: ['pip-cache'],
    focus: 'first'
  },
  {
    title: 'What the build context leaked',
    talk: 'With no .dockerignore, COPY . . took everything in the folder: the .env with its secrets, .git, the local virtualenv. Deleting them later would not help: the layer keeps them.',
    rules: ['secret-file', 'context-leak'],
    focus: 'first'
  },
  {
    title: 'Running as root',
    talk: 'No USER instruction: the app runs as root inside the container, so a bug in the app is a bug with root rights.',
    rules: ['root-user'],
    focus: 'last'
  },
  {
    title: 'The form of CMD',
    talk: 'The shell form wraps the server in /bin/sh -c, which does not pass on signals: docker stop waits ten seconds, then kills it.',
    rules: ['shell-form-cmd'],
    focus: 'cmd'
  },
  {
    title: 'Before and after',
    talk: 'The same app with every fix applied: compare the sizes and the findings, then open the after sample to see its layers.',
    rules: [],
    focus: 'last'
  }
]

export interface StepFocus {
  finding: Finding | undefined
  stepIndex: number
  path: string | undefined
}

/** The finding of a walk step in this analysis, and the history step and path to show with it. */
export function focusOf(step: WalkStep, analysis: ImageAnalysis): StepFocus {
  const finding = step.rules.map((rule) => analysis.findings.find((candidate) => candidate.rule === rule)).find((found) => found !== undefined)
  const withLayer = (finding?.evidence.steps ?? []).filter((index) => analysis.steps[index]?.layerIndex !== undefined)
  const lastStep = analysis.steps.length - 1
  let stepIndex = lastStep
  if (step.focus === 'cmd') stepIndex = analysis.steps.findLastIndex((candidate) => candidate.instruction === 'CMD')
  else if (step.focus === 'first' && withLayer.length > 0) stepIndex = withLayer[0]!
  else if (step.focus === 'largest' && withLayer.length > 0) stepIndex = withLayer.reduce((best, index) => (analysis.steps[index]!.size > analysis.steps[best]!.size ? index : best))
  return { finding, stepIndex: stepIndex < 0 ? lastStep : stepIndex, path: finding?.evidence.paths?.[0] }
}
