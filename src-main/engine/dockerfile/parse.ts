// Parses a Dockerfile with dockerfile-ast into stages and instructions, with the arguments
// read the way the builder reads them (continuations, comments, heredocs, ARG/ENV values).
import { DockerfileParser, type Copy, type From, type Instruction as AstInstruction, type ModifiableInstruction, type PropertyInstruction } from 'dockerfile-ast'
import type { Instruction, SourceLocation } from '../model'
import { expandWord, type Variables } from './expand'
import type {
  BaseReference,
  DockerfileComment,
  DockerfileInstruction,
  DockerfileStage,
  Heredoc,
  ParsedDockerfile,
  ParseOptions,
} from './types'

interface AstRange {
  start: { line: number; character: number }
  end: { line: number; character: number }
}

const KEYWORDS: ReadonlySet<string> = new Set([
  'FROM', 'RUN', 'COPY', 'ADD', 'ENV', 'ARG', 'CMD', 'ENTRYPOINT', 'WORKDIR', 'USER', 'EXPOSE',
  'LABEL', 'VOLUME', 'HEALTHCHECK', 'SHELL', 'STOPSIGNAL', 'ONBUILD', 'MAINTAINER',
])

/** Instructions whose arguments the builder expands itself; the rest go to the shell or stay literal. */
const EXPANDED: ReadonlySet<Instruction> = new Set<Instruction>([
  'FROM', 'COPY', 'ADD', 'ENV', 'ARG', 'LABEL', 'WORKDIR', 'USER', 'EXPOSE', 'VOLUME', 'STOPSIGNAL',
])

const DEFAULT_SHELL = ['/bin/sh', '-c']

export const toLocation = (range: AstRange): SourceLocation => ({
  line: range.start.line + 1,
  column: range.start.character + 1,
  endLine: range.end.line + 1,
  endColumn: range.end.character + 1,
})

export function parseDockerfile(text: string, options: ParseOptions = {}): ParsedDockerfile {
  const ast = DockerfileParser.parse(text)
  const escape = ast.getEscapeCharacter()
  const lines = text.split(/\r?\n/)
  const buildArgs = options.buildArgs ?? {}
  const directives: ParsedDockerfile['directives'] = { escape }
  // A `# key=value` comment at the very top reads as a parser directive; the unknown ones are comments.
  const topComments: DockerfileComment[] = []
  for (const directive of ast.getDirectives()) {
    const name = directive.getName().toLowerCase()
    if (name === 'syntax') directives.syntax = directive.getValue()
    else if (name !== 'escape') {
      const line = directive.getRange().start.line
      topComments.push({ line: line + 1, content: (lines[line] ?? '').replace(/^\s*#/, '').trim() })
    }
  }

  const globalValues = new Map<string, string>()
  const globalArgs: DockerfileInstruction[] = []
  const stages: DockerfileStage[] = []
  /** Lower-cased stage names, each to the first stage that has it. */
  const stageNamed = new Map<string, number>()
  const instructions: DockerfileInstruction[] = []
  const scopes = new Map<number, StageScope>()
  let scope: StageScope | null = null

  for (const node of ast.getInstructions()) {
    const keyword = (KEYWORDS.has(node.getKeyword()) ? node.getKeyword() : 'UNKNOWN') as Instruction
    if (keyword === 'FROM') {
      const from = readFrom(node as From, globalValues, stageNamed, escape)
      const parent = from.stage === undefined ? undefined : stages[from.stage]
      const stage: DockerfileStage = { index: stages.length, from, instructions: [] }
      const name = (node as From).getBuildStage()
      if (name) stage.name = name
      if (name && !stageNamed.has(name.toLowerCase())) stageNamed.set(name.toLowerCase(), stage.index)
      stages.push(stage)
      scope = {
        stage,
        args: new Map(),
        env: new Map(parent ? scopes.get(parent.index)?.env : undefined),
        shell: parent ? [...(scopes.get(parent.index)?.shell ?? DEFAULT_SHELL)] : [...DEFAULT_SHELL],
      }
      scopes.set(stage.index, scope)
    }
    const variables: Variables = scope ? new Map([...scope.args, ...scope.env]) : globalValues
    const instruction = readInstruction(node, keyword, instructions.length, scope?.stage.index ?? -1, lines, escape, variables)
    if (scope && (keyword === 'RUN' || keyword === 'CMD' || keyword === 'ENTRYPOINT') && !instruction.execForm) {
      instruction.shell = [...scope.shell]
    }
    instructions.push(instruction)

    if (keyword === 'ARG') {
      for (const { name, value } of instruction.assignments ?? []) {
        const resolved = buildArgs[name] ?? value ?? (scope ? globalValues.get(name) : undefined)
        const target = scope ? scope.args : globalValues
        if (resolved !== undefined && resolved !== null) target.set(name, resolved)
      }
    }
    if (keyword === 'ENV' && scope) {
      for (const { name, value } of instruction.assignments ?? []) scope.env.set(name, value ?? '')
    }
    if (keyword === 'SHELL' && scope && instruction.execForm) scope.shell = [...instruction.execForm]

    if (scope) scope.stage.instructions.push(instruction)
    else if (keyword === 'ARG') globalArgs.push(instruction)
  }

  const finalStage = chooseFinalStage(stages, options.target)
  return {
    text,
    directives,
    globalArgs,
    stages,
    instructions,
    comments: [...topComments, ...ast.getComments().map((comment) => ({ line: comment.getRange().start.line + 1, content: comment.getContent() }))],
    finalStage,
    finalChain: chainOf(stages, finalStage),
  }
}

/** What one stage has defined so far: its ARGs, its ENV (inherited from a parent stage) and its SHELL. */
interface StageScope {
  stage: DockerfileStage
  args: Map<string, string>
  env: Map<string, string>
  shell: string[]
}

function chooseFinalStage(stages: readonly DockerfileStage[], target: string | undefined): number {
  if (target !== undefined) {
    const named = stages.find((stage) => stage.name?.toLowerCase() === target.toLowerCase())
    if (named) return named.index
  }
  return stages.length - 1
}

function chainOf(stages: readonly DockerfileStage[], final: number): number[] {
  const chain = new Set<number>()
  let current: DockerfileStage | undefined = stages[final]
  while (current && !chain.has(current.index)) {
    chain.add(current.index)
    current = current.from.stage === undefined ? undefined : stages[current.from.stage]
  }
  return [...chain].reverse()
}

function readFrom(node: From, globals: Variables, stageNamed: ReadonlyMap<string, number>, escape: string): BaseReference {
  const written = node.getImage() ?? ''
  const image = expandWord(written, globals, escape).text
  const stage = stageNamed.get(image.toLowerCase())
  const reference: BaseReference = { image, ...splitImageReference(image) }
  if (stage !== undefined) reference.stage = stage
  const imageRange = node.getImageRange()
  if (imageRange) reference.imageLocation = toLocation(imageRange)
  const tagRange = node.getImageTagRange()
  if (tagRange) reference.tagLocation = toLocation(tagRange)
  return reference
}

/** `registry:5000/org/name:tag@sha256:…` into repository, tag and digest. */
export function splitImageReference(image: string): { repository: string; tag?: string; digest?: string } {
  const [nameAndTag = '', digest] = image.split('@', 2)
  const slash = nameAndTag.lastIndexOf('/')
  const colon = nameAndTag.lastIndexOf(':')
  const hasTag = colon > slash
  const result: { repository: string; tag?: string; digest?: string } = { repository: hasTag ? nameAndTag.slice(0, colon) : nameAndTag }
  if (hasTag) result.tag = nameAndTag.slice(colon + 1)
  if (digest) result.digest = digest
  return result
}

function readInstruction(
  node: AstInstruction,
  keyword: Instruction,
  index: number,
  stage: number,
  lines: readonly string[],
  escape: string,
  variables: Variables,
): DockerfileInstruction {
  const range = node.getRange()
  const heredocs = readHeredocs(node, keyword, lines)
  const raw = node.getRawArgumentsContent() ?? ''
  const joined = heredocs.length > 0 ? raw : joinContinuations(raw, escape)
  const instruction: DockerfileInstruction = {
    index,
    keyword,
    stage,
    location: toLocation(range),
    source: sliceLines(lines, range),
    args: joined.trim(),
    unresolved: [],
    flags: readFlags(node),
    heredocs,
  }
  if (keyword === 'ENV' || keyword === 'ARG' || keyword === 'LABEL') {
    instruction.assignments = (node as PropertyInstruction).getProperties().map((property) => {
      const written = property.getUnescapedValue()
      if (written === null) return { name: property.getName(), value: null }
      const expanded = expandWord(written, variables, escape)
      instruction.unresolved.push(...expanded.unresolved)
      return { name: property.getName(), value: expanded.text }
    })
    instruction.args = instruction.assignments.map(({ name, value }) => (value === null ? name : `${name}=${value}`)).join(' ')
  } else if (EXPANDED.has(keyword) && keyword !== 'FROM') {
    // A heredoc's body is file content, not arguments.
    const written = heredocs.length > 0 ? (instruction.args.split('\n')[0] ?? '') : instruction.args
    const words = splitWords(written).map((word) => expandWord(word, variables, escape))
    instruction.unresolved = words.flatMap((word) => word.unresolved)
    instruction.args = words.map((word) => word.text).join(' ')
  }
  if (keyword === 'RUN' || keyword === 'CMD' || keyword === 'ENTRYPOINT' || keyword === 'SHELL') {
    const argv = parseExecForm(instruction.args)
    if (argv) instruction.execForm = argv
  }
  return instruction
}

/** Docker joins continuation lines as written (whitespace kept) and skips comment and empty lines inside them. */
export function joinContinuations(raw: string, escape: string): string {
  const continuation = new RegExp(`${escape.replace(/[\\^$.*+?()[\]{}|]/g, '\\$&')}[ \\t]*$`)
  const parts = raw.split(/\r?\n/)
  let joined = ''
  parts.forEach((part, position) => {
    if (position > 0 && (/^\s*#/.test(part) || part.trim() === '')) return
    joined += part.replace(continuation, '')
  })
  return joined
}

function parseExecForm(args: string): string[] | undefined {
  if (!args.startsWith('[')) return undefined
  try {
    const parsed: unknown = JSON.parse(args)
    return Array.isArray(parsed) && parsed.every((item) => typeof item === 'string') ? (parsed as string[]) : undefined
  } catch {
    return undefined
  }
}

/** Words separated by whitespace outside quotes. */
function splitWords(text: string): string[] {
  return [...text.matchAll(/(?:"(?:[^"\\]|\\.)*"|'[^']*'|\S)+/g)].map((match) => match[0])
}

function readFlags(node: AstInstruction): DockerfileInstruction['flags'] {
  const modifiable = node as Partial<ModifiableInstruction>
  if (typeof modifiable.getFlags !== 'function') return []
  return modifiable.getFlags.call(node).map((flag) => ({ name: flag.getName(), value: flag.getValue() }))
}

function readHeredocs(node: AstInstruction, keyword: Instruction, lines: readonly string[]): Heredoc[] {
  if (keyword !== 'RUN' && keyword !== 'COPY' && keyword !== 'ADD') return []
  return (node as Copy).getHeredocs().map((heredoc) => {
    const content = heredoc.getContentRange()
    const read: Heredoc = { name: heredoc.getName(), content: content ? sliceLines(lines, content) : '' }
    if (heredoc.getDelimiterRange() === null) read.unclosed = true
    return read
  })
}

function sliceLines(lines: readonly string[], range: AstRange): string {
  const { start, end } = range
  if (start.line === end.line) return (lines[start.line] ?? '').slice(start.character, end.character)
  const first = (lines[start.line] ?? '').slice(start.character)
  const middle = lines.slice(start.line + 1, end.line)
  const last = (lines[end.line] ?? '').slice(0, end.character)
  return [first, ...middle, last].join('\n')
}
