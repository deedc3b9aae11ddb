// .dockerignore as Docker reads it: a port of moby/patternmatcher (matching) and of
// BuildKit's dockerignore reader (comments, `!`, cleaning, leading `/`), and the walk
// rule of the context senders (an excluded folder is skipped unless an exception
// pattern names something inside it).

export class BadPatternError extends Error {
  constructor(pattern: string) {
    super(`.dockerignore: syntax error in pattern "${pattern}"`)
    this.name = 'BadPatternError'
  }
}

/** The patterns of a .dockerignore file, cleaned as BuildKit cleans them. */
export function readDockerignore(text: string): string[] {
  const patterns: string[] = []
  for (const rawLine of text.replace(/^\uFEFF/, '').split(/\r?\n/)) {
    if (rawLine.startsWith('#')) continue
    let pattern = rawLine.trim()
    if (pattern === '') continue
    const invert = pattern.startsWith('!')
    if (invert) pattern = pattern.slice(1).trim()
    if (pattern.length > 0) {
      pattern = cleanPath(pattern)
      if (pattern.length > 1 && pattern.startsWith('/')) pattern = pattern.slice(1)
    }
    patterns.push(invert ? `!${pattern}` : pattern)
  }
  return patterns
}

/** Go's path/filepath.Clean for slash-separated paths. */
export function cleanPath(path: string): string {
  if (path === '') return '.'
  const rooted = path.startsWith('/')
  const parts: string[] = []
  for (const part of path.split('/')) {
    if (part === '' || part === '.') continue
    if (part === '..') {
      if (parts.length > 0 && parts[parts.length - 1] !== '..') parts.pop()
      else if (!rooted) parts.push('..')
      continue
    }
    parts.push(part)
  }
  const joined = parts.join('/')
  if (rooted) return `/${joined}`
  return joined === '' ? '.' : joined
}

type MatchType = 'exact' | 'prefix' | 'suffix' | 'regexp'

export interface Pattern {
  /** The cleaned pattern, without the `!`. */
  text: string
  exclusion: boolean
  matches(path: string): boolean
}

const ESCAPED = new Set(['.', '+', '(', ')', '|', '{', '}', '$'])

function compilePattern(text: string, exclusion: boolean): Pattern {
  let source = '^'
  let type: MatchType = 'exact'
  const chars = [...text]
  let position = 0
  for (let iteration = 0; position < chars.length; iteration++) {
    const char = chars[position++]!
    if (char === '*') {
      if (chars[position] === '*') {
        position++
        if (chars[position] === '/') position++
        if (position >= chars.length) {
          if (type === 'exact') type = 'prefix'
          else {
            source += '.*'
            type = 'regexp'
          }
        } else {
          source += '(.*/)?'
          type = 'regexp'
        }
        if (iteration === 0) type = 'suffix'
      } else {
        source += '[^/]*'
        type = 'regexp'
      }
    } else if (char === '?') {
      source += '[^/]'
      type = 'regexp'
    } else if (ESCAPED.has(char)) {
      source += `\\${char}`
    } else if (char === '\\') {
      if (position < chars.length) {
        source += `\\${chars[position++]}`
        type = 'regexp'
      } else source += '\\\\'
    } else if (char === '[' || char === ']') {
      source += char
      type = 'regexp'
    } else {
      source += char
    }
  }
  let regexp: RegExp | undefined
  if (type === 'regexp') {
    try {
      regexp = new RegExp(`${source}$`, 'u')
    } catch {
      throw new BadPatternError(text)
    }
  }
  const matches = (path: string): boolean => {
    switch (type) {
      case 'exact':
        return path === text
      case 'prefix':
        return path.startsWith(text.slice(0, -2))
      case 'suffix': {
        const suffix = text.slice(2)
        if (path.endsWith(suffix)) return true
        return suffix.startsWith('/') && path === suffix.slice(1)
      }
      case 'regexp':
        return regexp!.test(path)
    }
  }
  return { text, exclusion, matches }
}

export interface PatternMatcher {
  patterns: Pattern[]
  /** Whether any pattern is an exception (`!…`). */
  exclusions: boolean
  /** Excluded: the last pattern matching the path or one of its parent folders decides. */
  excludes(path: string): boolean
}

export function createMatcher(patterns: readonly string[]): PatternMatcher {
  const compiled: Pattern[] = []
  for (const raw of patterns) {
    let text = raw.trim()
    if (text === '') continue
    text = cleanPath(text)
    const exclusion = text.startsWith('!')
    if (exclusion) {
      if (text.length === 1) throw new BadPatternError(raw)
      text = text.slice(1)
    }
    if (/\[(?![^\]]*\])/.test(text)) throw new BadPatternError(raw)
    compiled.push(compilePattern(text, exclusion))
  }
  const excludes = (file: string): boolean => {
    const path = cleanPath(file)
    if (path === '.') return false
    const parents = path.split('/').slice(0, -1)
    let matched = false
    for (const pattern of compiled) {
      // An inclusion cannot change a match, nor an exception a non-match.
      if (pattern.exclusion !== matched) continue
      let match = pattern.matches(path)
      for (let depth = 1; !match && depth <= parents.length; depth++) match = pattern.matches(parents.slice(0, depth).join('/'))
      if (match) matched = !pattern.exclusion
    }
    return matched
  }
  return { patterns: compiled, exclusions: compiled.some((pattern) => pattern.exclusion), excludes }
}

export interface ContextEntry {
  /** Relative to the context folder, `/`-separated, no leading `./`. */
  path: string
  type: 'file' | 'dir' | 'symlink' | 'other'
  size: number
}

/**
 * The entries a build sends, given entries in walk order (each folder before its contents).
 * An excluded folder is skipped whole unless an exception pattern starts inside it.
 */
export function sentEntries(entries: readonly ContextEntry[], matcher: PatternMatcher): ContextEntry[] {
  const skipped: string[] = []
  const sent: ContextEntry[] = []
  for (const entry of entries) {
    if (skipped.some((folder) => entry.path.startsWith(`${folder}/`))) continue
    if (!matcher.excludes(entry.path)) {
      sent.push(entry)
      continue
    }
    if (entry.type !== 'dir') continue
    const prefix = `${entry.path}/`
    const exceptionInside = matcher.patterns.some((pattern) => pattern.exclusion && `${pattern.text}/`.startsWith(prefix))
    if (!exceptionInside) skipped.push(entry.path)
  }
  return sent
}
