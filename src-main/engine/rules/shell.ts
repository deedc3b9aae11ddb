// Small helpers for reading the shell commands recorded in history.

/** Splits a shell command line into its simple commands (at `&&`, `||`, `;`, `|` and newlines). */
export const simpleCommands = (command: string): string[] =>
  command
    .split(/&&|\|\||;|\||\n/)
    .map((part) => part.trim())
    .filter((part) => part !== '')

const SHELL_SYNTAX = /[|&;<>()$`\\"'*?[\]#~{}\n]/

/** The words of a command without quoting, expansion or operators; null when it needs a shell. */
export const plainWords = (command: string): string[] | null =>
  SHELL_SYNTAX.test(command) ? null : command.trim().split(/\s+/).filter((word) => word !== '')

/** Whether a command line chains several commands. */
export const isCompound = (command: string): boolean => /&&|\|\||;|\|/.test(command)

/** `pip install …`, `pip3 install …`, `python3 -m pip install …`, but not `uv pip install …`. */
export const PIP_INSTALL = /(^|[\s(])(?:python[0-9.]*\s+-m\s+pip|pip[0-9.]*)\s+install\b/

export const isPipInstall = (command: string): boolean => PIP_INSTALL.test(command) && !/\buv\s+pip\s+install\b/.test(command)

/** The text with `--no-cache-dir` added to each of the pip install commands, in order, each where it occurs. */
export function withNoCacheDir(text: string, pipInstallCommands: readonly string[]): string {
  // Each command is looked for after the previous one: searching the whole text for each is quadratic.
  let fixed = ''
  let rest = text
  for (const command of pipInstallCommands) {
    const at = rest.indexOf(command)
    if (at < 0) continue
    fixed += rest.slice(0, at) + command.replace(/\binstall\b/, 'install --no-cache-dir')
    rest = rest.slice(at + command.length)
  }
  return fixed + rest
}

const TRUTHY = new Set(['1', 'true', 'yes', 'on', 'y'])

export const isTruthy = (value: string | undefined): boolean => value !== undefined && TRUTHY.has(value.trim().replace(/^["']|["']$/g, '').toLowerCase())
