// `.layerlens.yml`: what a project can say about its audits, and the checks that give every mistake a
// line number and the key it is about.
import { isMap, isScalar, isSeq, LineCounter, parseDocument, type Document } from 'yaml'
import { z } from 'zod'
import { SEVERITIES, type Severity } from '../model'
import { THRESHOLD_NAMES, THRESHOLDS, parseThresholdValue, thresholdValueHint, type ThresholdName, type Thresholds } from './thresholds'

export const SETTINGS_FILE_NAME = '.layerlens.yml'

export interface RuleSetting {
  enabled: boolean
  severity?: Severity
}

export interface Settings {
  /** By rule id; rules not named keep their defaults. */
  rules: Record<string, RuleSetting>
  /** Globs over paths inside the image; file evidence under them is not reported. */
  ignorePaths: string[]
  thresholds: Thresholds
  /** Env keys that are not secrets, whatever their names suggest. */
  allowEnv: string[]
}

export const DEFAULT_SETTINGS: Settings = { rules: {}, ignorePaths: [], thresholds: {}, allowEnv: [] }

const severityList = SEVERITIES.join(', ')
const severity = z.enum(SEVERITIES, { error: () => `expected one of ${severityList}` })

/** `off`, `false`, a severity, or `{ enabled, severity }`. */
const ruleSetting = z.preprocess(
  (value) => {
    if (value === 'off' || value === false) return { enabled: false }
    if (value === 'on' || value === true) return { enabled: true }
    if (typeof value === 'string' && (SEVERITIES as readonly string[]).includes(value)) return { severity: value }
    return value
  },
  z
    .strictObject(
      { enabled: z.boolean({ error: () => 'expected true or false' }).default(true), severity: severity.optional() },
      { error: () => `expected off, a severity (${severityList}) or a mapping with enabled and severity` },
    )
    .transform((setting): RuleSetting => (setting.severity === undefined ? { enabled: setting.enabled } : setting)),
)

const thresholdValue = (name: ThresholdName) =>
  z.unknown().transform((value, context) => {
    const limit = parseThresholdValue(name, value)
    if (limit === undefined) context.addIssue({ code: 'custom', message: thresholdValueHint(name) })
    return limit ?? 0
  })

const thresholdShape = Object.fromEntries(
  THRESHOLD_NAMES.flatMap((name) => {
    const alias = THRESHOLDS[name].diveAlias
    return [[name, thresholdValue(name).optional()], ...(alias ? [[alias, thresholdValue(name).optional()]] : [])]
  }),
) as Record<string, z.ZodOptional<ReturnType<typeof thresholdValue>>>

const thresholds = z.strictObject(thresholdShape).transform((given, context): Thresholds => {
  const result: Thresholds = {}
  for (const name of THRESHOLD_NAMES) {
    const alias = THRESHOLDS[name].diveAlias
    if (alias !== undefined && given[alias] !== undefined && given[name] !== undefined) {
      context.addIssue({ code: 'custom', path: [alias], message: `the same threshold as ${name}: give only one` })
    }
    const limit = given[name] ?? (alias === undefined ? undefined : given[alias])
    if (limit !== undefined) result[name] = limit
  }
  return result
})

const stringList = (item: string, list: string) =>
  z.array(z.string({ error: () => `expected ${item}` }).min(1, `expected ${item}`), { error: () => `expected ${list}` })

function settingsSchema(ruleIds: readonly string[]) {
  const ruleId = z.string().refine((id) => ruleIds.includes(id), { error: (issue) => `unknown rule "${String(issue.input)}"; known rules: ${ruleIds.join(', ')}` })
  return z.strictObject(
    {
      rules: z.record(ruleId, ruleSetting).default({}),
      ignorePaths: stringList('a path glob', 'a list of path globs').default([]),
      thresholds: thresholds.default({}),
      allowEnv: stringList('an env key', 'a list of env keys').default([]),
    },
    { error: () => 'expected a mapping with rules, ignorePaths, thresholds or allowEnv' },
  )
}

export interface SettingsProblem {
  /** 1-based; absent when the problem is about the file as a whole. */
  line?: number
  /** Dotted key path, e.g. `rules.root-user.severity`. */
  key: string
  message: string
}

export class SettingsError extends Error {
  override name = 'SettingsError'
  constructor(
    readonly fileName: string,
    readonly problems: readonly SettingsProblem[],
  ) {
    super(problems.map((problem) => `${fileName}${problem.line === undefined ? '' : `:${problem.line}`}: ${problem.key === '' ? '' : `${problem.key}: `}${problem.message}`).join('\n'))
  }
}

type YamlPath = ReadonlyArray<PropertyKey>

/** The line of the node at `path`, or of the closest ancestor that exists; for an unknown key, the key's own line. */
function lineOf(document: Document, lines: LineCounter, path: YamlPath, unknownKey?: string): number | undefined {
  const segments = unknownKey === undefined ? path : [...path, unknownKey]
  let node: unknown = document.contents
  let line = offsetLine(node, lines)
  for (const [position, segment] of segments.entries()) {
    if (isMap(node)) {
      const pair = node.items.find((item) => isScalar(item.key) && String(item.key.value) === String(segment))
      if (pair === undefined) break
      const keyLine = offsetLine(pair.key, lines)
      node = pair.value
      line = unknownKey !== undefined && position === segments.length - 1 ? keyLine : (offsetLine(node, lines) ?? keyLine)
    } else if (isSeq(node) && typeof segment === 'number') {
      node = node.items[segment]
      line = offsetLine(node, lines) ?? line
    } else break
  }
  return line
}

function offsetLine(node: unknown, lines: LineCounter): number | undefined {
  const range = (node as { range?: [number, number, number] } | null)?.range
  return range === undefined ? undefined : lines.linePos(range[0]).line
}

const keyPath = (path: YamlPath): string => path.map(String).join('.')

/**
 * Parses the text of a `.layerlens.yml`. `ruleIds` are the rules the engine knows, so a misspelt rule is
 * an error rather than a silent no-op. Throws SettingsError naming the file, line and key of each problem.
 */
export function parseSettings(text: string, options: { fileName: string; ruleIds: readonly string[] }): Settings {
  const lines = new LineCounter()
  const document = parseDocument(text, { lineCounter: lines, prettyErrors: true })
  if (document.errors.length > 0) {
    throw new SettingsError(
      options.fileName,
      document.errors.map((error) => ({ line: error.linePos?.[0].line, key: '', message: error.message.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, '') })),
    )
  }
  const data: unknown = document.toJS() ?? {}
  const parsed = settingsSchema(options.ruleIds).safeParse(data)
  if (parsed.success) return parsed.data
  throw new SettingsError(
    options.fileName,
    parsed.error.issues.flatMap((issue): SettingsProblem[] => {
      if (issue.code === 'unrecognized_keys') {
        return issue.keys.map((key) => ({ line: lineOf(document, lines, issue.path, key), key: keyPath([...issue.path, key]), message: `unknown key; expected one of ${expectedKeys(issue.path)}` }))
      }
      const message = issue.code === 'invalid_key' ? (issue.issues[0]?.message ?? issue.message) : issue.message
      return [{ line: lineOf(document, lines, issue.path), key: keyPath(issue.path), message }]
    }),
  )
}

function expectedKeys(path: YamlPath): string {
  if (path.length === 0) return 'rules, ignorePaths, thresholds, allowEnv'
  if (path[0] === 'thresholds') return Object.keys(thresholdShape).join(', ')
  return 'enabled, severity'
}
