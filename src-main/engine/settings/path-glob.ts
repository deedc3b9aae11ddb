// Path globs for `ignorePaths`: `*` stays within one path segment, `**` crosses segments, `?` is one
// character. A pattern that starts with `/` is anchored at the image root; any other pattern matches at
// any depth (`*.pyc`, `tests/**`). A pattern that names a directory also covers everything beneath it.

function globToRegExpSource(glob: string): string {
  let source = ''
  for (let i = 0; i < glob.length; i++) {
    const char = glob[i]!
    if (char === '*' && glob[i + 1] === '*') {
      const slashAfter = glob[i + 2] === '/'
      source += slashAfter ? '(?:.*/)?' : '.*'
      i += slashAfter ? 2 : 1
    } else if (char === '*') source += '[^/]*'
    else if (char === '?') source += '[^/]'
    else source += char.replace(/[.+^${}()|[\]\\]/g, '\\$&')
  }
  return source
}

export function compilePathGlob(glob: string): RegExp {
  const trimmed = glob.replace(/\/+$/, '')
  const anchored = trimmed.startsWith('/')
  const body = globToRegExpSource(anchored ? trimmed.slice(1) : trimmed)
  return new RegExp(`^/${anchored ? '' : '(?:.*/)?'}${body}(?:/.*)?$`)
}

export function pathMatcher(globs: readonly string[]): (path: string) => boolean {
  const patterns = globs.map(compilePathGlob)
  return (path) => patterns.some((pattern) => pattern.test(path))
}
