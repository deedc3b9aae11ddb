// Reading the shell text of a Dockerfile RUN: where a command sits, what it installs.
import { isPipInstall, simpleCommands } from '../rules/shell'
import type { SourceLocation } from '../model'
import type { DockerfileInstruction } from './types'

export { isPipInstall, isTruthy, plainWords, simpleCommands, withNoCacheDir } from '../rules/shell'

export const APT_INSTALL = /\bapt(?:-get)?\s+(?:-\S+\s+)*install\b/
const APT_LISTS_REMOVED = /\brm\s+(?:-\S+\s+)*[^&|;]*\/var\/lib\/apt\/lists/
/** Packages that mean "this RUN compiles something". */
const BUILD_TOOLS = /(?:^|\s)(gcc|g\+\+|clang|make|build-essential|python3?(?:\.\d+)?-dev|lib\S+-dev|cargo|rustc)(?=\s|$)/

/** The text a RUN hands to its shell (heredoc bodies included). */
export const runText = (run: DockerfileInstruction): string =>
  [run.execForm ? run.execForm.join(' ') : run.args, ...run.heredocs.map((heredoc) => heredoc.content)].join('\n')

export const pipInstalls = (run: DockerfileInstruction): string[] => simpleCommands(runText(run)).filter(isPipInstall)

export const installsWithApt = (run: DockerfileInstruction): boolean => APT_INSTALL.test(runText(run))

export const removesAptLists = (run: DockerfileInstruction): boolean => APT_LISTS_REMOVED.test(runText(run))

/** A RUN with a cache mount for the given folder keeps that folder out of the layer. */
export const mountsCache = (run: DockerfileInstruction, folder: RegExp): boolean =>
  run.flags.some((flag) => flag.name === 'mount' && /type=cache/.test(flag.value ?? '') && folder.test(flag.value ?? ''))

export function buildToolsInstalled(run: DockerfileInstruction): string[] {
  const tools = new Set<string>()
  for (const command of simpleCommands(runText(run)).filter((command) => APT_INSTALL.test(command) || /\bapk\s+add\b/.test(command))) {
    for (const word of command.split(/\s+/)) {
      const tool = BUILD_TOOLS.exec(` ${word} `)?.[1]
      if (tool) tools.add(tool)
    }
  }
  return [...tools]
}

/** `-r requirements.txt` files of a pip install. */
export const requirementFiles = (command: string): string[] =>
  [...command.matchAll(/(?:-r|--requirement)[=\s]+(\S+)/g)].map((match) => match[1] ?? '')

/** Where the first of `needles` found sits inside an instruction's source; the instruction's start if none is. */
export function locate(instruction: DockerfileInstruction, ...needles: string[]): SourceLocation {
  for (const needle of needles) {
    const at = instruction.source.indexOf(needle)
    if (needle === '' || at < 0) continue
    const before = instruction.source.slice(0, at).split('\n')
    const line = instruction.location.line + before.length - 1
    const column = before.length === 1 ? instruction.location.column + at : (before[before.length - 1]?.length ?? 0) + 1
    const needleLines = needle.split('\n')
    const endColumn = needleLines.length === 1 ? column + needle.length : (needleLines[needleLines.length - 1]?.length ?? 0) + 1
    return { line, column, endLine: line + needleLines.length - 1, endColumn }
  }
  return { line: instruction.location.line, column: instruction.location.column }
}
