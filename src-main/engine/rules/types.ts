import type { BaseImage, ConfigSummary, Finding, LessonPartId, RuleId, Step } from '../model'
import type { LocalImage } from '../base'

export interface RuleContext {
  steps: readonly Step[]
  /** Steps after the base boundary: the user's own Dockerfile. */
  userSteps: readonly Step[]
  config: ConfigSummary
  base: BaseImage
  /** `3.11.2` when the base is a python image that says its version. */
  basePythonVersion?: string
  /** Per step index: what was masked in it (names or kinds). */
  maskedByStep: ReadonlyMap<number, readonly string[]>
  localImages: readonly LocalImage[]
}

export interface Rule {
  id: RuleId
  lessonPart: LessonPartId
  check(context: RuleContext): Finding[]
}
