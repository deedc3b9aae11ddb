// Findings that only the Dockerfile can show, each at its line and column. Inline
// `# hadolint ignore=DL3006` and `# layerlens ignore=pip-cache` comments on the lines
// right above an instruction silence the findings on it; `# hadolint global ignore=`
// silences them everywhere.
import { formatExecForm } from '../history'
import type { Finding, RuleId, Severity, SourceLocation } from '../model'
import {
  buildToolsInstalled,
  installsWithApt,
  isTruthy,
  locate,
  mountsCache,
  pipInstalls,
  plainWords,
  removesAptLists,
  requirementFiles,
  withNoCacheDir,
} from './commands'
import type { DockerfileInstruction, DockerfileStage, ParsedDockerfile } from './types'

/** hadolint rules that mean the same as ours. */
export const HADOLINT_RULES: Readonly<Record<string, RuleId>> = {
  DL3002: 'root-user',
  DL3006: 'unpinned-base',
  DL3007: 'unpinned-base',
  DL3009: 'apt-lists',
  DL3025: 'shell-form-cmd',
  DL3042: 'pip-cache',
  DL3045: 'no-workdir',
}

export const NON_ROOT_USER_LINES = ['RUN adduser --disabled-password --no-create-home appuser', 'USER appuser']

interface Located {
  finding: Finding
  location: SourceLocation
  /** The instruction the finding is about: ignore comments sit right above it. */
  instruction: DockerfileInstruction
}

export function dockerfileFindings(dockerfile: ParsedDockerfile): Finding[] {
  const chain = dockerfile.finalChain.map((index) => dockerfile.stages[index]!)
  const chainInstructions = chain.flatMap((stage) => stage.instructions)
  const final = chain[chain.length - 1]
  const root = chain[0]
  if (!final || !root) return []
  const located: Located[] = [
    ...dockerfile.stages.flatMap(unpinnedBase),
    ...bloatedBase(root, chainInstructions),
    ...pipCache(chainInstructions),
    ...copyBeforeInstall(chainInstructions),
    ...shellFormCommands(chainInstructions),
    ...rootUser(final, chainInstructions),
    ...noWorkdir(final, chainInstructions),
    ...aptLists(chainInstructions),
  ]
  const ignored = ignoredRules(dockerfile)
  return located
    .filter(({ finding, instruction }) => !ignored(finding.rule, instruction))
    .sort((a, b) => a.location.line - b.location.line || a.location.column - b.location.column)
    .map(({ finding }) => finding)
}

function make(
  instruction: DockerfileInstruction,
  rule: RuleId,
  severity: Severity,
  lessonPart: Finding['lessonPart'],
  title: string,
  detail: string,
  location: SourceLocation,
  fix: Finding['fix'],
): Located {
  const finding: Finding = {
    rule,
    severity,
    title,
    detail,
    evidence: { notes: [`Line ${location.line}: \`${firstLine(instruction.source)}\``] },
    confidence: 'confirmed',
    lessonPart,
    fix,
    location,
  }
  return { finding, location, instruction }
}

const firstLine = (text: string): string => {
  const line = text.split('\n')[0] ?? ''
  return text.includes('\n') ? `${line.replace(/\s*\\$/, '')} …` : line
}

/** Tags that move: none, `latest`, a major version only (`3`, `3-slim`), or a bare variant. */
export function isFloatingTag(tag: string | undefined): boolean {
  if (tag === undefined) return true
  return tag === 'latest' || /^\d+(?:-[a-z][a-z0-9.-]*)?$/.test(tag) || /^(?:slim|alpine)$/.test(tag)
}

const isPythonRepository = (repository: string): boolean => /(?:^|\/)python$/.test(repository)

function unpinnedBase(stage: DockerfileStage): Located[] {
  const { from } = stage
  const fromInstruction = stage.instructions[0]!
  if (from.stage !== undefined || from.image.toLowerCase() === 'scratch' || from.digest !== undefined || fromInstruction.unresolved.length > 0) return []
  if (!isFloatingTag(from.tag) || from.image.includes('$')) return []
  const what = from.tag === undefined ? 'has no tag, so it means `latest`' : `uses the moving tag \`${from.tag}\``
  const suggestion = isPythonRepository(from.repository) ? `${from.repository}:3.12-slim` : `${from.repository}:<version>`
  return [
    make(
      fromInstruction,
      'unpinned-base',
      'medium',
      'base-image',
      'The base image is not pinned',
      `\`FROM ${from.image}\` ${what}. The next build can pull a different base without any change to this file: ` +
        'another Python, another Debian, other bugs. Pin a version tag (or a digest) and move it on purpose.',
      from.tagLocation ?? from.imageLocation ?? fromInstruction.location,
      { before: `FROM ${from.image}`, after: `FROM ${suggestion}` },
    ),
  ]
}

/** `3.11` → `3.11-slim`, `3.11-bookworm` → `3.11-slim-bookworm`, none → `slim`. */
export function slimTag(tag: string | undefined): string {
  if (tag === undefined || tag === 'latest') return 'slim'
  const [version, ...variant] = tag.split('-')
  return [version, 'slim', ...variant].join('-')
}

function bloatedBase(root: DockerfileStage, chain: readonly DockerfileInstruction[]): Located[] {
  const { from } = root
  if (from.stage !== undefined || !isPythonRepository(from.repository)) return []
  if (/slim|alpine/.test(from.tag ?? '') || (from.tag === undefined && from.digest !== undefined)) return []
  const tools = chain.filter((instruction) => instruction.keyword === 'RUN').flatMap(buildToolsInstalled)
  const fromInstruction = root.instructions[0]!
  const multiStage =
    tools.length > 0
      ? ` This Dockerfile installs build tools (${[...new Set(tools)].join(', ')}): build the wheels in a first stage on the full image and install them in a slim final stage, so the compilers stay out of the image.`
      : ''
  return [
    make(
      fromInstruction,
      'bloated-base',
      'medium',
      'base-image',
      'The full Python image is the base',
      `\`FROM ${from.image}\` is the full Python image: about 1 GB of compilers, headers and tools that a running app does not use. ` +
        `The -slim variant has the same Python in about an eighth of the size.${multiStage}`,
      from.imageLocation ?? fromInstruction.location,
      { before: `FROM ${from.image}`, after: `FROM ${from.repository}:${slimTag(from.tag)}` },
    ),
  ]
}

/** The PIP_NO_CACHE_DIR an ENV or ARG sets, as a boolean; undefined when it does not set it. */
function pipCacheDisabledBy(instruction: DockerfileInstruction): boolean | undefined {
  if (instruction.keyword !== 'ENV' && instruction.keyword !== 'ARG') return undefined
  const setting = (instruction.assignments ?? []).filter(({ name }) => name === 'PIP_NO_CACHE_DIR').pop()
  return setting === undefined ? undefined : isTruthy(setting.value ?? undefined)
}

function pipCache(chain: readonly DockerfileInstruction[]): Located[] {
  // One pass in file order: each RUN sees the PIP_NO_CACHE_DIR of the last ENV or ARG before it.
  let cacheDisabled = false
  const located: Located[] = []
  for (const instruction of chain) {
    cacheDisabled = pipCacheDisabledBy(instruction) ?? cacheDisabled
    if (instruction.keyword === 'RUN' && !cacheDisabled && !mountsCache(instruction, /pip/)) located.push(...pipCacheIn(instruction))
  }
  return located
}

function pipCacheIn(run: DockerfileInstruction): Located[] {
  const offending = pipInstalls(run).filter(
    (command) => !/--no-cache-dir\b/.test(command) && !isTruthy(/\bPIP_NO_CACHE_DIR=(\S+)/.exec(command)?.[1]),
  )
  const first = offending[0]
  if (first === undefined) return []
  return [
    make(
      run,
      'pip-cache',
      'medium',
      'pip-cache',
      'pip keeps its download cache in the image',
      `\`${first}\` runs without --no-cache-dir and PIP_NO_CACHE_DIR is not set, so pip leaves its cache of downloaded and built wheels in this layer, where nothing reads it again.`,
      locate(run, first, 'pip install', 'pip'),
      { before: `RUN ${run.args}`, after: `RUN ${withNoCacheDir(run.args, offending)}` },
    ),
  ]
}

/** `COPY . .`, `COPY ./ /app`, `ADD . /src`: the whole build context. */
export const copiesWholeContext = (instruction: DockerfileInstruction): boolean =>
  (instruction.keyword === 'COPY' || instruction.keyword === 'ADD') &&
  !instruction.flags.some((flag) => flag.name === 'from') &&
  instruction.args.split(/\s+/).slice(0, -1).some((source) => source === '.' || source === './' || source === '*')

/** The first RUN that installs Python dependencies, with the requirement files it reads. */
export function dependencyInstallAfter(chain: readonly DockerfileInstruction[], after: number): { run: DockerfileInstruction; command: string } | null {
  for (const run of chain.filter((instruction) => instruction.keyword === 'RUN' && instruction.index > after)) {
    const command = pipInstalls(run)[0]
    if (command !== undefined) return { run, command }
  }
  return null
}

function copyBeforeInstall(chain: readonly DockerfileInstruction[]): Located[] {
  const copy = chain.find(copiesWholeContext)
  if (!copy) return []
  const install = dependencyInstallAfter(chain, copy.index)
  if (!install) return []
  const files = requirementFiles(install.command)
  const copied = files.length > 0 ? files.join(' ') : 'requirements.txt'
  const destination = copy.args.split(/\s+/).pop() ?? '.'
  return [
    make(
      copy,
      'copy-before-install',
      'medium',
      'layer-caching',
      'The whole project is copied before the dependencies are installed',
      `Line ${copy.location.line} copies the whole build context and line ${install.run.location.line} installs dependencies after it. ` +
        'Any edit to any file then invalidates the cached install, so every code change reinstalls every package. ' +
        'Copy the requirement files first, install, then copy the rest.',
      locate(copy, copy.source),
      {
        before: `${copy.keyword} ${copy.args}\nRUN ${install.run.args}`,
        after: `COPY ${copied} ${destination}\nRUN ${install.run.args}\n${copy.keyword} ${copy.args}`,
      },
    ),
  ]
}

function shellFormCommands(chain: readonly DockerfileInstruction[]): Located[] {
  return (['ENTRYPOINT', 'CMD'] as const).flatMap((keyword) => {
    const last = chain.filter((instruction) => instruction.keyword === keyword).pop()
    if (!last || last.execForm) return []
    const words = plainWords(last.args)
    const after = words ? `${keyword} ${formatExecForm(words)}` : `${keyword} ["./start.sh"]  # a script that ends with: exec ${last.args}`
    return [
      make(
        last,
        'shell-form-cmd',
        'medium',
        'cmd-form',
        `${keyword} is in shell form`,
        `\`${keyword} ${last.args}\` runs under /bin/sh -c, so the shell is process 1: it does not pass SIGTERM on, ` +
          'and `docker stop` waits its timeout and then kills the app without a clean shutdown. The exec (JSON) form runs the program directly.',
        last.location,
        { before: `${keyword} ${last.args}`, after },
      ),
    ]
  })
}

const isRootUser = (user: string): boolean => /^(?:root|0)(?::.*)?$/.test(user.trim())

function rootUser(final: DockerfileStage, chain: readonly DockerfileInstruction[]): Located[] {
  const lastUser = chain.filter((instruction) => instruction.keyword === 'USER').pop()
  if (lastUser && !isRootUser(lastUser.args)) return []
  const fromInstruction = final.instructions[0]!
  const anchor = lastUser ?? fromInstruction
  const detail = lastUser
    ? `The last USER is \`${lastUser.args}\`, so the app runs as root.`
    : 'The Dockerfile never sets USER, so the app runs as root (unless the base image sets another user).'
  return [
    make(
      anchor,
      'root-user',
      'high',
      'non-root-user',
      lastUser ? 'The final USER is root' : 'No USER: the container runs as root',
      `${detail} A flaw in the app or one of its packages then has root's rights inside the container, and over any mounted files.`,
      anchor.location,
      { before: lastUser ? `USER ${lastUser.args}` : '', after: NON_ROOT_USER_LINES.join('\n') },
    ),
  ]
}

function noWorkdir(final: DockerfileStage, chain: readonly DockerfileInstruction[]): Located[] {
  if (chain.some((instruction) => instruction.keyword === 'WORKDIR')) return []
  const fromInstruction = final.instructions[0]!
  return [
    make(
      fromInstruction,
      'no-workdir',
      'low',
      'workdir',
      'No WORKDIR',
      'Without WORKDIR every relative path is relative to `/` (unless the base image sets a folder): the project lands next to /etc and /usr, and relative paths in COPY, RUN and CMD depend on it.',
      fromInstruction.location,
      { before: `FROM ${final.from.image}`, after: `FROM ${final.from.image}\nWORKDIR /app` },
    ),
  ]
}

function aptLists(chain: readonly DockerfileInstruction[]): Located[] {
  return chain
    .filter((instruction) => instruction.keyword === 'RUN' && installsWithApt(instruction))
    .filter((run) => !removesAptLists(run) && !mountsCache(run, /\/var\/lib\/apt/))
    .map((run) =>
      make(
        run,
        'apt-lists',
        'low',
        'apt-cleanup',
        'apt package lists are left in the layer',
        'This RUN installs with apt but does not remove /var/lib/apt/lists/* in the same step, so the package lists (often 20–50 MB) ship in the layer. A later RUN cannot take them back out.',
        locate(run, 'apt-get install', 'apt install', 'apt-get'),
        { before: `RUN ${run.args}`, after: `RUN ${run.args} \\\n && rm -rf /var/lib/apt/lists/*` },
      ),
    )
}

/** Which rules the comments silence, for which instructions. */
function ignoredRules(dockerfile: ParsedDockerfile): (rule: RuleId, instruction: DockerfileInstruction) => boolean {
  const pragma = /^(hadolint|layerlens)\s+(global\s+)?ignore\s*=\s*([A-Za-z0-9_,\s-]+)$/
  const byLine = new Map<number, Set<RuleId>>()
  const everywhere = new Set<RuleId>()
  for (const comment of dockerfile.comments) {
    const match = pragma.exec(comment.content.trim())
    if (!match) continue
    const rules = match[3]!
      .split(/[\s,]+/)
      .filter((code) => code !== '')
      .map((code) => (match[1] === 'hadolint' ? HADOLINT_RULES[code.toUpperCase()] : (code as RuleId)))
      .filter((rule): rule is RuleId => rule !== undefined)
    const target = match[2] ? everywhere : byLine.get(comment.line) ?? new Set<RuleId>()
    for (const rule of rules) target.add(rule)
    if (!match[2]) byLine.set(comment.line, target)
  }
  const commentLines = new Set(dockerfile.comments.map((comment) => comment.line))
  return (rule, instruction) => {
    if (everywhere.has(rule)) return true
    for (let line = instruction.location.line - 1; commentLines.has(line); line--) {
      if (byLine.get(line)?.has(rule)) return true
    }
    return false
  }
}
