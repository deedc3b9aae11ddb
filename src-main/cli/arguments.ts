// The command line, parsed into one of a few commands; anything else is a usage error.
import { parseArgs } from 'node:util'
import { SEVERITIES, type Severity } from '../engine/model'
import { parseThresholdArgument, type Thresholds } from '../engine/settings'

export type FailOn = Severity | 'none'

export const FAIL_ON_LEVELS: readonly FailOn[] = [...SEVERITIES, 'none']

export const REPORT_FORMATS = ['text', 'json', 'markdown', 'sarif'] as const

export type ReportFormat = (typeof REPORT_FORMATS)[number]

/** Where an audited image comes from: the engine, an image archive file, or a snapshot file. */
export interface ImageSource {
  kind: 'engine' | 'archive' | 'snapshot'
  /** The image name or id, or the file's path. */
  ref: string
}

export interface AuditCommand {
  kind: 'audit'
  /** In the order given on the command line. */
  sources: ImageSource[]
  format: ReportFormat
  output?: string
  failOn: FailOn
  /** Thresholds from `--fail-on NAME=VALUE`; they take the place of the same thresholds in .layerlens.yml. */
  thresholds: Thresholds
  /** Read the layers for the file-level findings (the default); false for config and history only. */
  files: boolean
  dockerfile?: string
  context?: string
  config?: string
  saveSnapshot?: string
  /** Compare the two sources, before then after. */
  compare: boolean
}

export type Command =
  | { kind: 'help' }
  | { kind: 'version' }
  | AuditCommand
  | { kind: 'serve'; port: number; host: string; open: boolean }

export class UsageError extends Error {
  /** `showUsage` false for a mistake in a file the command named, where the usage text would only bury it. */
  constructor(
    message: string,
    readonly showUsage = true
  ) {
    super(message)
    this.name = 'UsageError'
  }
}

export const USAGE = `Usage:
  layerlens audit IMAGE... [options]
  layerlens audit --archive FILE | --snapshot FILE [options]
  layerlens audit --compare BEFORE AFTER [options]
  layerlens audit --dockerfile PATH [--context DIR] [options]
      Check images and report their findings. Images come from the engine (a name or id), from an
      image archive file (--archive, no engine needed) or from a Layerlens snapshot (--snapshot).
      With --dockerfile and no image, the Dockerfile and its build context are audited on their own.
      --format FORMAT     text (default), json, markdown (for a pull request) or sarif (2.1.0)
      --json              the same as --format json
      --output FILE       write the report to FILE instead of the standard output
      --fail-on LEVEL     exit 1 when a finding is at or above LEVEL:
                          critical, high (default), medium, low, info, or none
      --fail-on NAME=VALUE
                          exit 1 when the image is past a threshold (repeatable):
                          maxImageSize=500MB, maxReclaimableBytes=20MB (dive: highestWastedBytes),
                          maxReclaimableRatio=0.1 (dive: highestUserWastedPercent),
                          minEfficiency=0.9 (dive: lowestEfficiency)
      --no-files          skip reading the layers: config and history findings only
      --dockerfile PATH   add the Dockerfile's findings (with line and column) and map each
                          history step to its Dockerfile line
      --context DIR       check what a build would send from DIR (default: the Dockerfile's folder)
      --config FILE       the settings file (default: the nearest .layerlens.yml above the
                          Dockerfile, or above the working directory)
      --archive FILE      audit an image archive (docker save, OCI layout, podman); repeatable
      --snapshot FILE     audit a saved .layerlens.json snapshot; repeatable
      --save-snapshot FILE
                          write the audited image's snapshot (one image only)
      --compare           compare two images, before then after: sizes per step, findings
                          fixed and new, files added and removed, and a one-line verdict
  layerlens serve [--port N] [--host ADDRESS] [--no-open]
      Serve the Layerlens app to a browser (on 127.0.0.1 unless told otherwise).
  layerlens --help | --version

Exit codes (audit): 0 nothing at or above the threshold, 1 findings at or above it or a threshold
exceeded, 2 usage error or invalid settings file, 3 an engine, image, archive or snapshot could not
be read.

The engine is the one the docker CLI would use: DOCKER_HOST, else the current
docker context, else /var/run/docker.sock (or a Podman socket when there is none).`

export function parseCommand(argv: readonly string[]): Command {
  const [subcommand, ...rest] = argv
  switch (subcommand) {
    case undefined:
    case '--help':
    case '-h':
    case 'help':
      return { kind: 'help' }
    case '--version':
    case '-v':
    case 'version':
      return { kind: 'version' }
    case 'audit':
      return parseAudit(rest)
    case 'serve':
      return parseServe(rest)
    default:
      throw new UsageError(`Unknown command "${subcommand.slice(0, 64)}".`)
  }
}

function asUsageError<T>(parse: () => T): T {
  try {
    return parse()
  } catch (error) {
    throw new UsageError(error instanceof Error ? error.message.split('. ')[0] + '.' : 'Invalid arguments.')
  }
}

const AUDIT_OPTIONS = {
  json: { type: 'boolean' },
  format: { type: 'string' },
  output: { type: 'string' },
  'fail-on': { type: 'string', multiple: true },
  'no-files': { type: 'boolean' },
  dockerfile: { type: 'string' },
  context: { type: 'string' },
  config: { type: 'string' },
  archive: { type: 'string', multiple: true },
  snapshot: { type: 'string', multiple: true },
  'save-snapshot': { type: 'string' },
  compare: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' }
} as const

/** Images, archives and snapshots in the order they were given: --compare reads them as before, after. */
function sourcesInOrder(tokens: ReadonlyArray<{ kind: string; name?: string; value?: string | undefined }>): ImageSource[] {
  return tokens.flatMap((token): ImageSource[] => {
    if (token.kind === 'positional' && token.value !== undefined) return [{ kind: 'engine', ref: token.value }]
    if (token.kind === 'option' && (token.name === 'archive' || token.name === 'snapshot') && token.value !== undefined) return [{ kind: token.name, ref: token.value }]
    return []
  })
}

function parseFailOn(values: readonly string[]): { failOn: FailOn; thresholds: Thresholds } {
  let failOn: FailOn = 'high'
  const thresholds: Thresholds = {}
  for (const value of values) {
    if (isFailOn(value)) {
      failOn = value
      continue
    }
    if (!value.includes('=')) throw new UsageError(`--fail-on must be one of ${FAIL_ON_LEVELS.join(', ')}, or a threshold such as maxImageSize=500MB; got "${value.slice(0, 32)}".`)
    const threshold = parseThresholdArgument(value)
    if ('error' in threshold) throw new UsageError(`--fail-on ${threshold.error}.`)
    thresholds[threshold.name] = threshold.limit
  }
  return { failOn, thresholds }
}

function parseAudit(args: readonly string[]): Command {
  const { values, tokens } = asUsageError(() => parseArgs({ args: [...args], allowPositionals: true, strict: true, tokens: true, options: AUDIT_OPTIONS }))
  if (values.help) return { kind: 'help' }
  const sources = sourcesInOrder(tokens)
  if (sources.length === 0 && values.dockerfile === undefined) {
    throw new UsageError('Name at least one image to audit, e.g. `layerlens audit myapp:latest`, or give --archive FILE, --snapshot FILE or --dockerfile PATH.')
  }
  const format = values.json ? 'json' : (values.format ?? 'text')
  if (!isReportFormat(format)) throw new UsageError(`--format must be one of ${REPORT_FORMATS.join(', ')}; got "${format.slice(0, 32)}".`)
  if (values.json && values.format !== undefined && values.format !== 'json') throw new UsageError(`--json asks for JSON, --format for ${values.format.slice(0, 32)}: give one.`)
  const compare = values.compare ?? false
  if (compare && sources.length !== 2) throw new UsageError(`--compare takes two images, before then after; got ${sources.length}.`)
  if (compare && values.dockerfile !== undefined) throw new UsageError('--dockerfile describes one build: it cannot be used with --compare.')
  if (values['save-snapshot'] !== undefined && sources.length !== 1) throw new UsageError(`--save-snapshot writes one image's snapshot; ${sources.length} images were given.`)
  const command: AuditCommand = { kind: 'audit', sources, format, ...parseFailOn(values['fail-on'] ?? []), files: !values['no-files'], compare }
  if (values.output !== undefined) command.output = values.output
  if (values.dockerfile !== undefined) command.dockerfile = values.dockerfile
  if (values.context !== undefined) command.context = values.context
  if (values.config !== undefined) command.config = values.config
  if (values['save-snapshot'] !== undefined) command.saveSnapshot = values['save-snapshot']
  return command
}

function parseServe(args: readonly string[]): Command {
  const { values, positionals } = asUsageError(() =>
    parseArgs({
      args: [...args],
      allowPositionals: true,
      strict: true,
      options: { port: { type: 'string' }, host: { type: 'string' }, 'no-open': { type: 'boolean' }, help: { type: 'boolean', short: 'h' } }
    })
  )
  if (values.help) return { kind: 'help' }
  if (positionals.length > 0) throw new UsageError(`serve takes no image names; got "${positionals[0]?.slice(0, 64)}".`)
  const port = values.port === undefined ? 0 : Number(values.port)
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new UsageError('--port must be a number from 0 to 65535 (0 picks a free port).')
  const host = values.host ?? '127.0.0.1'
  if (host === '') throw new UsageError('--host must name an address, e.g. 127.0.0.1.')
  return { kind: 'serve', port, host, open: !values['no-open'] }
}

const isFailOn = (value: string): value is FailOn => (FAIL_ON_LEVELS as readonly string[]).includes(value)

const isReportFormat = (value: string): value is ReportFormat => (REPORT_FORMATS as readonly string[]).includes(value)
