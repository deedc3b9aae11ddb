// Normalises the created_by text of a history entry into a Dockerfile
// instruction and its arguments. The text comes in several dialects:
//
//   classic builder   /bin/sh -c #(nop)  CMD ["python3"]          metadata
//                     /bin/sh -c #(nop) COPY dir:<hash> in /app    COPY/ADD
//                     /bin/sh -c apt-get update                     RUN (shell form)
//                     |2 A=1 B=2 /bin/sh -c make                    RUN with build args
//                     python3 -m pip install x                      RUN (exec form: the argv joined by spaces)
//   BuildKit          RUN /bin/sh -c pip install x # buildkit       RUN, COPY, ADD carry `# buildkit`
//                     RUN |2 A=1 B=2 /bin/sh -c make # buildkit
//                     COPY . . # buildkit, WORKDIR /app, ENV K=V, CMD ["x"], EXPOSE map[8000/tcp:{}]
//   debuerreotype     # debian.sh --arch 'amd64' out/ 'bookworm' '@1700000000'
//   docker import     (empty), comment `Imported from -`
import { DOCKERFILE_INSTRUCTIONS, type BuilderKind, type Instruction } from './model'

export interface ParsedCreatedBy {
  instruction: Instruction
  /** Arguments as they would read in a Dockerfile. */
  args: string
  builder: BuilderKind
  /** Build args recorded for a RUN (`|N K=V …`), unmasked. */
  buildArgs?: Record<string, string>
  /** For RUN: whether the command ran through a shell (shell form) or as an argv (exec form). */
  runForm?: 'shell' | 'exec'
}


/** Instructions that only change the image config and never make a layer. */
export const METADATA_INSTRUCTIONS: ReadonlySet<Instruction> = new Set<Instruction>([
  'ENV',
  'ARG',
  'CMD',
  'ENTRYPOINT',
  'USER',
  'EXPOSE',
  'LABEL',
  'VOLUME',
  'HEALTHCHECK',
  'SHELL',
  'STOPSIGNAL',
  'ONBUILD',
  'MAINTAINER',
])

// `(?<!\s)`: a match starts where a run of whitespace starts, not at each of its characters, which would
// make a long run of spaces (the text is whatever the image's builder wrote) cost quadratic time.
const BUILDKIT_SUFFIX = /(?<!\s)\s+# buildkit\s*$/
const BUILDKIT_COMMENT = 'buildkit.dockerfile.v0'

/** `/bin/sh -c `, `/bin/bash -o pipefail -c `, `sh -c `: the shell a shell-form RUN is wrapped in. */
const SHELL_PREFIX = /^(?:\/(?:usr\/)?bin\/)?(?:sh|bash|ash|dash|zsh)(?:\s+-[a-zA-Z]+(?:\s+pipefail)?)*?\s+-c\s+/

const NOP_MARKER = /^(?:\/(?:usr\/)?bin\/)?(?:sh|bash|ash|dash|zsh)\s+(?:-[a-zA-Z]+\s+)*?-c\s+#\(nop\)\s*/

export function parseCreatedBy(createdBy: string | null | undefined, comment: string | null | undefined): ParsedCreatedBy {
  const text = (createdBy ?? '').trim()
  const note = (comment ?? '').trim()

  if (text === '') {
    if (/^Imported from\b/i.test(note)) return { instruction: 'ROOTFS', args: note, builder: 'import' }
    return { instruction: 'UNKNOWN', args: '', builder: 'unknown' }
  }
  if (text.startsWith('# ') || /^debuerreotype\b/i.test(note)) {
    return { instruction: 'ROOTFS', args: text.replace(/^#\s*/, ''), builder: 'debuerreotype' }
  }

  const nop = NOP_MARKER.exec(text)
  if (nop) return parseInstructionLine(text.slice(nop[0].length), 'classic')

  const hasBuildkitSuffix = BUILDKIT_SUFFIX.test(text)
  const withoutSuffix = text.replace(BUILDKIT_SUFFIX, '')
  const firstWord = /^([A-Z]+)(?:\s|$)/.exec(withoutSuffix)?.[1]
  if (firstWord && (DOCKERFILE_INSTRUCTIONS as readonly string[]).includes(firstWord)) {
    return parseInstructionLine(withoutSuffix, 'buildkit')
  }
  if (hasBuildkitSuffix || note === BUILDKIT_COMMENT) return parseRun(withoutSuffix, 'buildkit')
  return parseRun(text, 'classic')
}

function parseInstructionLine(line: string, builder: BuilderKind): ParsedCreatedBy {
  const match = /^([A-Z]+)\s*([\s\S]*)$/.exec(line.trim())
  const word = match?.[1] ?? ''
  const rest = (match?.[2] ?? '').trim()
  if (!(DOCKERFILE_INSTRUCTIONS as readonly string[]).includes(word)) return { instruction: 'UNKNOWN', args: line.trim(), builder }
  const instruction = word as Instruction
  switch (instruction) {
    case 'RUN':
      return parseRun(rest, builder)
    case 'CMD':
    case 'ENTRYPOINT':
    case 'SHELL': {
      const argv = parseQuotedList(rest)
      return { instruction, args: argv ? formatExecForm(argv) : rest, builder }
    }
    case 'EXPOSE':
      return { instruction, args: normaliseExpose(rest), builder }
    case 'COPY':
    case 'ADD':
      return { instruction, args: rest.replace(/\s+/g, ' ').trim(), builder }
    default:
      return { instruction, args: rest, builder }
  }
}

function parseRun(text: string, builder: BuilderKind): ParsedCreatedBy {
  const { buildArgs, rest } = splitBuildArgs(text.trim())
  const shell = SHELL_PREFIX.exec(rest)
  const parsed: ParsedCreatedBy = shell
    ? { instruction: 'RUN', args: rest.slice(shell[0].length).trim(), builder, runForm: 'shell' }
    : { instruction: 'RUN', args: rest, builder, runForm: 'exec' }
  if (buildArgs) parsed.buildArgs = buildArgs
  return parsed
}

/**
 * `|2 A=1 B=two words /bin/sh -c …`: N build args then the command. Values are
 * recorded raw, so one may hold spaces; a value runs up to the next `NAME=` (or,
 * for the last one, up to the shell).
 */
function splitBuildArgs(text: string): { buildArgs?: Record<string, string>; rest: string } {
  const header = /^\|(\d+)\s+/.exec(text)
  if (!header) return { rest: text }
  const count = Number(header[1])
  let rest = text.slice(header[0].length)
  const buildArgs: Record<string, string> = {}
  for (let i = 0; i < count; i++) {
    const name = /^([A-Za-z_][A-Za-z0-9_]*)=/.exec(rest)
    if (!name?.[1]) break
    rest = rest.slice(name[0].length)
    const isLast = i === count - 1
    const end = isLast ? endOfLastBuildArg(rest) : rest.search(/(?<!\s)\s+[A-Za-z_][A-Za-z0-9_]*=/)
    const stop = end < 0 ? rest.length : end
    buildArgs[name[1]] = rest.slice(0, stop)
    rest = rest.slice(stop).trimStart()
  }
  return { buildArgs, rest }
}

function endOfLastBuildArg(rest: string): number {
  const shellAt = rest.search(/(?<!\s)\s+(?:\/(?:usr\/)?bin\/)?(?:sh|bash|ash|dash|zsh)\s+(?:-[a-zA-Z]+\s+)*?-c\s/)
  if (shellAt >= 0) return shellAt
  return rest.search(/\s/)
}

/** `["a" "b"]` (Go's %q of a string slice, as both builders record it) or `["a", "b"]` (JSON). */
export function parseQuotedList(text: string): string[] | null {
  const trimmed = text.trim()
  if (!trimmed.startsWith('[') || !trimmed.endsWith(']')) return null
  const inner = trimmed.slice(1, -1)
  const items: string[] = []
  const item = /"((?:[^"\\]|\\.)*)"\s*,?\s*/gy
  let match: RegExpExecArray | null
  let consumed = 0
  while ((match = item.exec(inner)) !== null) {
    items.push(unescapeQuoted(match[1] ?? ''))
    consumed = item.lastIndex
  }
  return consumed === inner.trim().length || inner.trim() === '' ? items : null
}

function unescapeQuoted(text: string): string {
  return text.replace(/\\(u[0-9a-fA-F]{4}|x[0-9a-fA-F]{2}|.)/g, (_m, esc: string) => {
    if (esc.startsWith('u') || esc.startsWith('x')) return String.fromCharCode(parseInt(esc.slice(1), 16))
    const simple: Record<string, string> = { n: '\n', t: '\t', r: '\r', '0': '\0' }
    return simple[esc] ?? esc
  })
}

/** An argv as a Dockerfile writes it: `["uvicorn", "main:app"]`. */
export const formatExecForm = (argv: readonly string[]): string => `[${argv.map((arg) => JSON.stringify(arg)).join(', ')}]`

/** BuildKit writes `map[8000/tcp:{} 9000/udp:{}]`; the classic builder writes the ports as given. */
function normaliseExpose(text: string): string {
  const map = /^map\[(.*)\]$/.exec(text.trim())
  if (!map) return text
  return [...(map[1] ?? '').matchAll(/([^\s:]+):\{\}/g)].map((port) => port[1]).join(' ')
}

export interface CopySource {
  sources: string[]
  destination: string
  /** Classic builder: what kind of source it hashed (`file:`, `dir:`, `multi:`); BuildKit keeps the paths. */
  hashedKind?: 'file' | 'dir' | 'multi'
}

/** Splits COPY/ADD arguments into sources and destination. */
export function parseCopyArgs(args: string): CopySource {
  const classic = /^(file|dir|multi):[0-9a-f]+ in (.+)$/.exec(args.trim())
  if (classic) {
    return { sources: [], destination: (classic[2] ?? '').trim(), hashedKind: classic[1] as CopySource['hashedKind'] }
  }
  const words = args
    .trim()
    .split(/\s+/)
    .filter((word) => word !== '' && !word.startsWith('--'))
  return { sources: words.slice(0, -1), destination: words[words.length - 1] ?? '' }
}
