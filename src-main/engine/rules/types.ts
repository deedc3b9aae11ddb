import type { BaseImage, ConfigSummary, Finding, ImageAnalysis, LessonPartId, RuleId, Step, WasteStatement } from '../model'
import type { LocalImage } from '../base'
import type { LayerFiles } from '../files/types'
import type { StackedImage } from '../files/waste'

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

/** What a rule about files sees: the metadata analysis and the layers read so far. */
export interface FileRuleContext {
  /** The analysis from config and history (its findings are the metadata ones), with the base refined by files once known. */
  analysis: ImageAnalysis
  /** By layer index; undefined while a layer has not been read. */
  layers: ReadonlyArray<LayerFiles | undefined>
  /** Layers from here on are the user's own (after the base boundary). */
  firstUserLayer: number
  /** Set once every layer is read: the stacked filesystem, its waste and the sentences about it. */
  final?: StackedImage & { statements: WasteStatement[] }
}

export interface FileRule {
  id: RuleId
  lessonPart: LessonPartId
  check(context: FileRuleContext): Finding[]
}
