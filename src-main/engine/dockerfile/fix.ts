// Turns a Dockerfile and its findings into a patched Dockerfile (and a .dockerignore), as
// diff hunks that each say which finding they fix. Pure: writing is the caller's business.
import { formatExecForm } from '../history'
import type { Finding, RuleId } from '../model'
import { formatBytes, plural } from '../reports/format'
import { buildToolsInstalled, pipInstalls, plainWords, requirementFiles } from './commands'
import type { ContextReport } from './context-check'
import { diffLines, hunksOf, unifiedDiff } from './diff'
import { copiesWholeContext, dependencyInstallAfter, isFloatingTag, NON_ROOT_USER_LINES, slimTag } from './findings'
import type { DockerfileInstruction, DockerfileStage, ParsedDockerfile } from './types'

export interface FixReason {
  /** The finding this change fixes; absent for a change that only follows from another. */
  rule?: RuleId
  text: string
}

export interface PatchHunk {
  oldStart: number
  oldLines: number
  newStart: number
  newLines: number
  /** The change as it reads in a unified diff, header included, without context lines. */
  text: string
  reasons: FixReason[]
}

export interface PatchedFile {
  name: string
  /** Empty when the file does not exist yet. */
  original: string
  patched: string
  /** One per contiguous change, each with the findings it fixes. */
  hunks: PatchHunk[]
  /** The whole change as a unified diff with three lines of context. */
  diff: string
}

export interface FixPlan {
  dockerfile: PatchedFile
  /** Present when a context check proposed entries. */
  dockerignore?: PatchedFile
  /** Findings the generator could not fix, and why. */
  unfixed: Array<{ finding: Finding; reason: string }>
}

export interface FixOptions {
  /** The Python version to pin a floating python tag to, e.g. `3.11` (from the analysed image). */
  pythonVersion?: string
  context?: ContextReport
  /** The .dockerignore as it is now (null when absent). */
  dockerignore?: string | null
}

/** `pip install`, `pip3 install`, `python3 -m pip install`. */
const PIP_INSTALL_COMMAND = /\b(?:python[0-9.]*\s+-m\s+pip|pip[0-9.]*)\s+install\b/g

interface Line {
  text: string
  reasons: FixReason[]
}

/** Per instruction: lines put before it, instead of it, and after it. */
interface Edit {
  before: Line[]
  replace?: Line[]
  after: Line[]
}

export function generateFixes(dockerfile: ParsedDockerfile, findings: readonly Finding[], options: FixOptions = {}): FixPlan {
  const plan = new Planner(dockerfile, findings, options)
  plan.run()
  const result: FixPlan = { dockerfile: plan.patchedDockerfile(), unfixed: plan.unfixed }
  const dockerignore = patchDockerignore(options)
  if (dockerignore) result.dockerignore = dockerignore
  return result
}

class Planner {
  readonly unfixed: FixPlan['unfixed'] = []
  private readonly handled = new Set<Finding>()
  /** Set when the final stage installs prebuilt wheels: it then needs no requirement files of its own. */
  private installsWheels = false
  private readonly edits = new Map<number, Edit>()
  private readonly oldLineReasons = new Map<number, FixReason[]>()
  private readonly final: DockerfileStage
  private readonly root: DockerfileStage
  private readonly chain: DockerfileInstruction[]
  /** The chain's instruction on each line it spans: looked up once per finding. */
  private readonly chainInstructionOnLine = new Map<number, DockerfileInstruction>()

  constructor(
    private readonly dockerfile: ParsedDockerfile,
    private readonly findings: readonly Finding[],
    private readonly options: FixOptions,
  ) {
    const stages = dockerfile.finalChain.map((index) => dockerfile.stages[index]!)
    this.final = stages[stages.length - 1]!
    this.root = stages[0]!
    this.chain = stages.flatMap((stage) => stage.instructions)
    for (const instruction of this.chain) {
      for (let line = instruction.location.line; line <= (instruction.location.endLine ?? instruction.location.line); line++) {
        this.chainInstructionOnLine.set(line, instruction)
      }
    }
  }

  run(): void {
    const blocker = this.unfixableBecause()
    if (blocker !== undefined) {
      for (const finding of this.findings) this.unfixed.push({ finding, reason: blocker })
      return
    }
    if (!this.multiStage()) this.base(this.take('bloated-base')[0], this.take('unpinned-base'))
    for (const finding of this.take('no-workdir')) this.workdir(finding)
    for (const finding of this.take('copy-before-install')) this.copyBeforeInstall(finding)
    for (const finding of this.take('pip-cache')) this.pipCache(finding)
    for (const finding of this.take('apt-lists')) this.aptLists(finding)
    for (const finding of this.take('root-user')) this.nonRootUser(finding)
    for (const finding of this.take('shell-form-cmd')) this.execForm(finding)
    this.expose()
    for (const finding of this.findings) {
      if (!this.handled.has(finding)) this.unfixed.push({ finding, reason: 'No automatic fix for this finding yet; the finding says what to change.' })
    }
  }

  /** Why no fix can be placed in this file at all, if so. */
  private unfixableBecause(): string | undefined {
    if (this.dockerfile.finalChain.length === 0) return 'The Dockerfile has no FROM line, so there is no image to fix.'
    // Lines added after it would land inside it.
    const unclosed = this.dockerfile.instructions.find((instruction) => instruction.heredocs.some((heredoc) => heredoc.unclosed))
    if (unclosed !== undefined) return `The heredoc that starts on line ${unclosed.location.line} is never closed; close it first.`
    return undefined
  }

  /** The findings of a rule that no fix has taken yet; they count as handled from now on. */
  private take(rule: RuleId, where: (finding: Finding) => boolean = () => true): Finding[] {
    const matching = this.findings.filter((finding) => finding.rule === rule && !this.handled.has(finding) && where(finding))
    for (const finding of matching) this.handled.add(finding)
    return matching
  }

  patchedDockerfile(): PatchedFile {
    const original = this.dockerfile.text
    const oldLines = splitLines(original)
    const newLines: Line[] = []
    const byStartLine = new Map(this.dockerfile.instructions.map((instruction) => [instruction.location.line, instruction]))
    for (let line = 1; line <= oldLines.length; ) {
      const instruction = byStartLine.get(line)
      if (!instruction) {
        newLines.push({ text: oldLines[line - 1]!, reasons: [] })
        line++
        continue
      }
      const end = instruction.location.endLine ?? line
      const edit = this.edits.get(instruction.index)
      newLines.push(...(edit?.before ?? []))
      newLines.push(...(edit?.replace ?? oldLines.slice(line - 1, end).map((text) => ({ text, reasons: [] }))))
      newLines.push(...(edit?.after ?? []))
      line = end + 1
    }
    const patched = joinLines(newLines.map((line) => line.text), original)
    return patchedFile('Dockerfile', original, patched, this.oldLineReasons, newLines)
  }

  private edit(instruction: DockerfileInstruction): Edit {
    let edit = this.edits.get(instruction.index)
    if (!edit) {
      edit = { before: [], after: [] }
      this.edits.set(instruction.index, edit)
    }
    return edit
  }

  private markOld(instruction: DockerfileInstruction, reason: FixReason): void {
    for (let line = instruction.location.line; line <= (instruction.location.endLine ?? instruction.location.line); line++) {
      this.oldLineReasons.set(line, [...(this.oldLineReasons.get(line) ?? []), reason])
    }
  }

  private replace(instruction: DockerfileInstruction, texts: readonly string[], reason: FixReason): void {
    const edit = this.edit(instruction)
    const current = edit.replace
    if (current) {
      // A second fix on the same instruction rewrites the already rewritten text.
      edit.replace = texts.map((text) => ({ text, reasons: [...(current[0]?.reasons ?? []), reason] }))
    } else edit.replace = texts.map((text) => ({ text, reasons: [reason] }))
    this.markOld(instruction, reason)
  }

  private currentText(instruction: DockerfileInstruction): string {
    return (this.edits.get(instruction.index)?.replace ?? splitLines(instruction.source).map((text) => ({ text }))).map((line) => line.text).join('\n')
  }

  private insert(where: 'before' | 'after', instruction: DockerfileInstruction, texts: readonly string[], reason: FixReason): void {
    this.edit(instruction)[where].push(...texts.map((text) => ({ text, reasons: [reason] })))
  }

  private fromInstruction(stage: DockerfileStage): DockerfileInstruction {
    return stage.instructions[0]!
  }

  private slimImage(): string | null {
    const { from } = this.root
    const pinnedTag = isFloatingTag(from.tag) ? this.pinnedVersion() : from.tag
    if (pinnedTag === undefined) return null
    return `${from.repository}:${/slim|alpine/.test(pinnedTag) ? pinnedTag : slimTag(pinnedTag)}`
  }

  private pinnedVersion(): string | undefined {
    const version = /^(\d+\.\d+)/.exec(this.options.pythonVersion ?? '')?.[1]
    const variant = /^\d+-(.+)$/.exec(this.root.from.tag ?? '')?.[1] ?? (/^(slim|alpine)$/.test(this.root.from.tag ?? '') ? this.root.from.tag : undefined)
    if (version === undefined) return undefined
    return variant ? `${version}-${variant}` : version
  }

  private base(bloated: Finding | undefined, unpinned: readonly Finding[]): void {
    const rootFrom = this.fromInstruction(this.root)
    const rootUnpinned = unpinned.find((finding) => finding.location?.line === rootFrom.location.line)
    for (const finding of unpinned) {
      if (finding !== rootUnpinned) this.unfixed.push({ finding, reason: 'Only the final image\'s base is re-pinned automatically.' })
    }
    if (!bloated && !rootUnpinned) return
    const slim = bloated ? this.slimImage() : null
    const pinned = !bloated && rootUnpinned ? this.pinnedImage() : null
    const image = slim ?? pinned
    if (image === null) {
      for (const finding of [bloated, rootUnpinned]) {
        if (finding) this.unfixed.push({ finding, reason: 'The tag names no version; say which Python version to pin (the analysed image knows it).' })
      }
      return
    }
    const reason: FixReason = bloated
      ? { rule: 'bloated-base', text: `Slim base: ${image} has the same Python without compilers and build headers.${rootUnpinned ? ' Pinned to a version.' : ''}` }
      : { rule: 'unpinned-base', text: `Pinned base: ${image} instead of a moving tag.` }
    this.replace(rootFrom, [rewriteFrom(rootFrom, this.root, image)], reason)
  }

  private pinnedImage(): string | null {
    const version = this.pinnedVersion()
    return version === undefined ? null : `${this.root.from.repository}:${version}`
  }

  /** Build tools in a full-image build: compile wheels in a builder stage, install them in a slim final stage. */
  private multiStage(): boolean {
    const bloated = this.findings.find((finding) => finding.rule === 'bloated-base')
    if (!bloated || this.dockerfile.stages.length !== 1) return false
    const toolRuns = this.chain.filter((instruction) => instruction.keyword === 'RUN' && buildToolsInstalled(instruction).length > 0)
    const install = dependencyInstallAfter(this.chain, -1)
    const slim = this.slimImage()
    if (toolRuns.length === 0 || !install || slim === null) return false
    const requirements = requirementFiles(install.command)
    if (requirements.length === 0) return false
    this.take('bloated-base')
    this.take('unpinned-base', (finding) => finding.location?.line === this.root.instructions[0]!.location.line)
    // The build tools' RUNs move to the builder stage, where their apt lists do not ship.
    this.take('apt-lists', (finding) => toolRuns.some((run) => this.instructionAt(finding) === run))
    const tools = [...new Set(toolRuns.flatMap(buildToolsInstalled))]
    const reason: FixReason = {
      rule: 'bloated-base',
      text:
        `Multi-stage build: ${tools.join(', ')} compile the wheels in a builder stage on the full image; the final stage starts from ${slim} ` +
        'and only installs the built wheels, so no compiler ships. If the package needs a runtime library (libpq5 for libpq-dev, say), install that in the final stage.',
    }
    const rootFrom = this.fromInstruction(this.root)
    const builderImage = isFloatingTag(this.root.from.tag) ? this.pinnedImage() ?? this.root.from.image : this.root.from.image
    const workdir = this.chain.filter((instruction) => instruction.keyword === 'WORKDIR').pop()?.args ?? '/app'
    const wheelCommand = install.command
      .replace(/\s--no-cache-dir\b/g, '')
      .replace(/\binstall\b/, 'wheel --no-cache-dir --wheel-dir /wheels')
    const builder = [
      `FROM ${builderImage} AS builder`,
      `WORKDIR ${workdir}`,
      ...toolRuns.map((run) => this.currentText(run)),
      `COPY ${requirements.join(' ')} ${requirements.length > 1 ? './' : '.'}`,
      `RUN ${wheelCommand}`,
      '',
    ]
    this.insert('before', rootFrom, builder, reason)
    this.replace(rootFrom, [rewriteFrom(rootFrom, this.root, slim)], reason)
    for (const run of toolRuns) this.replace(run, [], reason)
    const installRun = install.run
    const wheelInstall = pipInstalls(installRun).length === 1 && installRun.args.trim() === install.command.trim()
    if (!wheelInstall) {
      this.unfixed.push({ finding: bloated, reason: 'The install RUN does more than one pip install; the wheels are built, but its final-stage install was left as it is.' })
      return true
    }
    this.replace(
      installRun,
      ['COPY --from=builder /wheels /wheels', 'RUN pip install --no-cache-dir --no-index --find-links=/wheels /wheels/*'],
      reason,
    )
    this.installsWheels = true
    return true
  }

  private workdir(finding: Finding): void {
    const from = this.fromInstruction(this.final)
    this.insert('after', from, ['WORKDIR /app'], { rule: finding.rule, text: 'WORKDIR /app gives the app its own folder instead of /.' })
  }

  private copyBeforeInstall(finding: Finding): void {
    const copy = this.chain.find(copiesWholeContext)
    const install = copy ? dependencyInstallAfter(this.chain, copy.index) : null
    if (!copy || !install) return
    const original = this.currentText(copy)
    if (this.installsWheels) {
      this.replace(copy, [], { rule: finding.rule, text: 'Code after dependencies: the project is copied after the wheels are installed.' })
      this.insert('after', install.run, splitLines(original), { rule: finding.rule, text: 'Code after dependencies: the project is copied after the wheels are installed.' })
      return
    }
    const files = requirementFiles(install.command)
    if (files.length === 0 || files.some((file) => file.includes('/') || file.includes('$'))) {
      this.unfixed.push({ finding, reason: 'The install does not read plain requirement files next to the Dockerfile; copy what it needs first by hand.' })
      return
    }
    const destination = copy.args.split(/\s+/).pop() ?? '.'
    const target = destination === '.' || destination === './' ? (files.length > 1 ? './' : '.') : destination.replace(/\/*$/, '/')
    const reason: FixReason = {
      rule: finding.rule,
      text: `Requirements before code: ${files.join(', ')} is copied and installed first, so a code change no longer reinstalls every package.`,
    }
    this.replace(copy, [`COPY ${files.join(' ')} ${target}`], reason)
    this.insert('after', install.run, splitLines(original), reason)
  }

  private pipCache(finding: Finding): void {
    const run = this.instructionAt(finding)
    if (!run) return
    const text = this.currentText(run)
    // Per line: a pip install gets the flag unless the line has it after the install. (A lookahead for it
    // would scan to the end of the line from every install: quadratic on a long line.)
    const fixed = text
      .split('\n')
      .map((line) => {
        const lastFlag = line.lastIndexOf('--no-cache-dir')
        return line.replace(PIP_INSTALL_COMMAND, (install: string, at: number) => (lastFlag >= at + install.length ? install : `${install} --no-cache-dir`))
      })
      .join('\n')
    if (fixed !== text) this.replace(run, splitLines(fixed), { rule: finding.rule, text: '--no-cache-dir: pip keeps no download cache in the layer.' })
  }

  private aptLists(finding: Finding): void {
    const run = this.instructionAt(finding)
    if (!run) return
    if (run.heredocs.length > 0 || run.execForm) {
      this.unfixed.push({ finding, reason: 'Add `rm -rf /var/lib/apt/lists/*` at the end of this RUN by hand.' })
      return
    }
    const lines = splitLines(this.currentText(run))
    this.replace(run, [...lines.slice(0, -1), `${lines[lines.length - 1]} \\`, ' && rm -rf /var/lib/apt/lists/*'], {
      rule: finding.rule,
      text: 'apt lists removed in the same RUN, so they do not ship in its layer.',
    })
  }

  private nonRootUser(finding: Finding): void {
    const reason: FixReason = { rule: finding.rule, text: 'Non-root user: the app runs as appuser, created without a password or home folder.' }
    const lines = /alpine/.test(this.final.from.tag ?? '') ? ['RUN adduser -D -H appuser', 'USER appuser'] : NON_ROOT_USER_LINES
    const rootUser = this.chain.filter((instruction) => instruction.keyword === 'USER').pop()
    if (rootUser) {
      this.replace(rootUser, lines, reason)
      return
    }
    const lastChange = this.final.instructions.filter((instruction) => ['RUN', 'COPY', 'ADD'].includes(instruction.keyword)).pop()
    if (lastChange) this.insert('after', lastChange, lines, reason)
    else this.insert('after', this.fromInstruction(this.final), lines, reason)
  }

  private execForm(finding: Finding): void {
    const instruction = this.instructionAt(finding)
    if (!instruction) return
    const words = plainWords(instruction.args)
    if (!words) {
      this.unfixed.push({ finding, reason: 'The command needs a shell (operators, variables or quotes): put it in a script that ends with `exec`, and run the script in exec form.' })
      return
    }
    this.replace(instruction, [`${instruction.keyword} ${formatExecForm(words)}`], {
      rule: finding.rule,
      text: 'Exec-form command: the app is process 1 and receives SIGTERM from docker stop.',
    })
  }

  /** EXPOSE the port the command serves on, when it names one and nothing exposes it yet. */
  private expose(): void {
    const command = this.chain.filter((instruction) => instruction.keyword === 'CMD' || instruction.keyword === 'ENTRYPOINT').pop()
    if (!command) return
    const argv = command.execForm ?? plainWords(command.args)
    const port = argv ? portOf(argv) : undefined
    if (port === undefined) return
    const exposed = this.chain.filter((instruction) => instruction.keyword === 'EXPOSE').flatMap((instruction) => instruction.args.split(/\s+/))
    if (exposed.some((entry) => entry.split('/')[0] === port)) return
    this.insert('before', command, [`EXPOSE ${port}`], { rule: 'no-expose', text: `EXPOSE ${port}: the command serves on port ${port}; EXPOSE documents it for people and tools.` })
  }

  private instructionAt(finding: Finding): DockerfileInstruction | undefined {
    const line = finding.location?.line
    return line === undefined ? undefined : this.chainInstructionOnLine.get(line)
  }
}

/** `--port 8000`, `--port=8000`, `-p 8000`, `--bind 0.0.0.0:8000`, `-b :8000`. */
export function portOf(argv: readonly string[]): string | undefined {
  for (let position = 0; position < argv.length; position++) {
    const word = argv[position]!
    const inline = /^--(?:port|bind)=(?:.*:)?(\d+)$/.exec(word)
    if (inline) return inline[1]
    if (/^(?:--port|-p|--bind|-b)$/.test(word)) {
      const value = /^(?:.*:)?(\d+)$/.exec(argv[position + 1] ?? '')
      if (value) return value[1]
    }
  }
  return undefined
}

function rewriteFrom(from: DockerfileInstruction, stage: DockerfileStage, image: string): string {
  const platform = from.flags.find((flag) => flag.name === 'platform')
  return ['FROM', platform ? `--platform=${platform.value}` : '', image, stage.name ? `AS ${stage.name}` : ''].filter((part) => part !== '').join(' ')
}

function patchDockerignore(options: FixOptions): PatchedFile | undefined {
  const proposed = options.context?.proposed ?? []
  if (proposed.length === 0) return undefined
  const original = options.dockerignore ?? ''
  const kept = splitLines(original).map((text) => ({ text, reasons: [] as FixReason[] }))
  const added = proposed.map((entry) => ({
    text: entry.pattern,
    reasons: [{ text: `${entry.pattern}: keeps ${plural(entry.files, 'file')} (${formatBytes(entry.bytes)}) out of the build context, e.g. ${entry.examples.join(', ')}.` }],
  }))
  const lines = [...kept, ...added]
  return patchedFile('.dockerignore', original, joinLines(lines.map((line) => line.text), original || '\n'), new Map(), lines)
}

function patchedFile(name: string, original: string, patched: string, oldLineReasons: ReadonlyMap<number, FixReason[]>, newLines: readonly Line[]): PatchedFile {
  const lines = diffLines(splitLines(original), splitLines(patched))
  const hunks = hunksOf(lines, 0).map((hunk) => {
    const reasons: FixReason[] = []
    for (const line of hunk.lines) {
      const found = line.kind === '-' ? oldLineReasons.get(line.oldLine!) : line.kind === '+' ? newLines[line.newLine! - 1]?.reasons : undefined
      for (const reason of found ?? []) if (!reasons.some((known) => known.text === reason.text)) reasons.push(reason)
    }
    return { oldStart: hunk.oldStart, oldLines: hunk.oldLines, newStart: hunk.newStart, newLines: hunk.newLines, text: hunk.text, reasons }
  })
  return { name, original, patched, hunks, diff: unifiedDiff(`a/${name}`, `b/${name}`, hunksOf(lines)) }
}

/** Lines of a text, without the empty one a final newline leaves. */
export const splitLines = (text: string): string[] => {
  if (text === '') return []
  const lines = text.split(/\r?\n/)
  if (lines[lines.length - 1] === '') lines.pop()
  return lines
}

const joinLines = (lines: readonly string[], like: string): string =>
  lines.length === 0 ? '' : lines.join('\n') + (like.endsWith('\n') || like === '' ? '\n' : '')
