// Docker's word processing for the instructions the builder expands itself (FROM, COPY, ADD,
// ENV, ARG, LABEL, WORKDIR, USER, EXPOSE, VOLUME, STOPSIGNAL): quotes are removed, the escape
// character escapes, `$NAME`, `${NAME}`, `${NAME:-word}` and `${NAME:+word}` are substituted.
// RUN, CMD and ENTRYPOINT are left to the shell, as Docker does.

export interface ExpandedWord {
  text: string
  /** Variables the Dockerfile does not define (the base image may, e.g. `$PATH`); kept as written in `text`. */
  unresolved: string[]
}

export type Variables = ReadonlyMap<string, string>

const NAME_START = /[A-Za-z_]/
const NAME_CHAR = /[A-Za-z0-9_]/

export function expandWord(word: string, variables: Variables, escape = '\\'): ExpandedWord {
  const unresolved: string[] = []
  let text = ''
  let quote: '"' | "'" | null = null
  let position = 0
  while (position < word.length) {
    const char = word[position]!
    if (quote === "'") {
      if (char === "'") quote = null
      else text += char
      position++
      continue
    }
    if (char === escape && position + 1 < word.length) {
      text += word[position + 1]
      position += 2
      continue
    }
    if (char === '"' || (char === "'" && quote === null)) {
      quote = quote === char ? null : (char as '"' | "'")
      position++
      continue
    }
    if (char === '$') {
      const reference = readReference(word, position)
      if (reference) {
        text += substitute(reference, variables, escape, unresolved)
        position = reference.end
        continue
      }
    }
    text += char
    position++
  }
  return { text, unresolved }
}

interface Reference {
  name: string
  /** `-` or `+` for `${NAME:-word}` / `${NAME:+word}`. */
  modifier?: '-' | '+'
  word?: string
  written: string
  end: number
}

function readReference(word: string, start: number): Reference | null {
  if (word[start + 1] === '{') {
    const close = word.indexOf('}', start + 2)
    if (close < 0) return null
    const inner = word.slice(start + 2, close)
    const match = /^([A-Za-z_][A-Za-z0-9_]*)(?::([-+])([\s\S]*))?$/.exec(inner)
    if (!match) return null
    const reference: Reference = { name: match[1]!, written: word.slice(start, close + 1), end: close + 1 }
    if (match[2]) {
      reference.modifier = match[2] as '-' | '+'
      reference.word = match[3] ?? ''
    }
    return reference
  }
  if (!NAME_START.test(word[start + 1] ?? '')) return null
  let end = start + 2
  while (end < word.length && NAME_CHAR.test(word[end]!)) end++
  return { name: word.slice(start + 1, end), written: word.slice(start, end), end }
}

function substitute(reference: Reference, variables: Variables, escape: string, unresolved: string[]): string {
  const value = variables.get(reference.name)
  const nested = (text: string): string => {
    const expanded = expandWord(text, variables, escape)
    unresolved.push(...expanded.unresolved)
    return expanded.text
  }
  if (reference.modifier === '-') return value !== undefined && value !== '' ? value : nested(reference.word ?? '')
  if (reference.modifier === '+') return value !== undefined && value !== '' ? nested(reference.word ?? '') : ''
  if (value !== undefined) return value
  unresolved.push(reference.name)
  return reference.written
}
