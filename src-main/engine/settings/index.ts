// Project settings (`.layerlens.yml`): parse, apply to findings, check thresholds. Pure.
export { applySettings } from './apply'
export { compilePathGlob, pathMatcher } from './path-glob'
export { DEFAULT_SETTINGS, parseSettings, SETTINGS_FILE_NAME, SettingsError, type RuleSetting, type Settings, type SettingsProblem } from './schema'
export {
  checkThresholds,
  parseThresholdArgument,
  THRESHOLD_NAMES,
  thresholdNamed,
  type ThresholdCheck,
  type ThresholdName,
  type Thresholds,
} from './thresholds'
export { parseBytes, parseRatio } from './units'
