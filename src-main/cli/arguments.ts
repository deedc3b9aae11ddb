// The command line, parsed into one of a few commands; anything else is a usage error.
import { parseArgs } from 'node:util'
import { SEVERITIES, type Severity } from '../engine/model'

export type FailOn = Severity | 'none'

export const FAIL_ON_LEVELS: readonly FailOn[] = [...SEVERITIES, 'none']

export type Command =
  | { kind: 'help' }
  | { kind: 'version' }
  | { kind: 'audit'; refs: string[]; json: boolean; failOn: FailOn; files: boolean }
  | { kind: 'serve'; port: number; host: string; open: boolean }

export class UsageError extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'UsageError'
  }
}

export const USAGE = `Usage:
  layerlens audit IMAGE... [--json] [--fail-on LEVEL] [--no-files]
      Check local images and print their findings.
      --json            print the full analysis as JSON
      --fail-on LEVEL   exit 1 when a finding is at or above LEVEL:
                        critical, high (default), medium, low, info, or none
      --no-files        skip reading the layers: config and history findings only
  layerlens serve [--port N] [--host ADDRESS] [--no-open]
      Serve the Layerlens app to a browser (on 127.0.0.1 unless told otherwise).
  layerlens --help | --version

Exit codes (audit): 0 nothing at or above the threshold, 1 findings at or above it,
2 usage error, 3 an engine or image could not be read.

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

function parseAudit(args: readonly string[]): Command {
  const { values, positionals } = asUsageError(() =>
    parseArgs({
      args: [...args],
      allowPositionals: true,
      strict: true,
      options: { json: { type: 'boolean' }, 'fail-on': { type: 'string' }, 'no-files': { type: 'boolean' }, help: { type: 'boolean', short: 'h' } }
    })
  )
  if (values.help) return { kind: 'help' }
  if (positionals.length === 0) throw new UsageError('Name at least one image to audit, e.g. `layerlens audit myapp:latest`.')
  const failOn = values['fail-on'] ?? 'high'
  if (!isFailOn(failOn)) throw new UsageError(`--fail-on must be one of ${FAIL_ON_LEVELS.join(', ')}; got "${failOn.slice(0, 32)}".`)
  return { kind: 'audit', refs: positionals, json: values.json ?? false, failOn, files: !values['no-files'] }
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
