// The cases of moby/patternmatcher's own tests (TestMatches, the multi-pattern table, the
// folder-exception tests), run through our port; plus BuildKit's reader and the walk rule.
import { describe, expect, it } from 'vitest'
import { BadPatternError, cleanPath, createMatcher, readDockerignore, sentEntries, type ContextEntry } from '../../../src-main/engine/dockerfile/dockerignore'

// [pattern, path, matches-or-parent-matches]; moby's `exact` and `inexact` both mean "excluded".
const SINGLE: Array<[string, string, boolean]> = [
  ['**', 'file', true],
  ['**', 'file/', true],
  ['**/', 'file', true],
  ['**/', 'file/', true],
  ['**', '/', true],
  ['**/', '/', true],
  ['**', 'dir/file', true],
  ['**/', 'dir/file', true],
  ['**', 'dir/file/', true],
  ['**/', 'dir/file/', true],
  ['**/**', 'dir/file', true],
  ['**/**', 'dir/file/', true],
  ['dir/**', 'dir/file', true],
  ['dir/**', 'dir/file/', true],
  ['dir/**', 'dir/dir2/file', true],
  ['dir/**', 'dir/dir2/file/', true],
  ['**/dir', 'dir', true],
  ['**/dir', 'dir/file', true],
  ['**/dir2/*', 'dir/dir2/file', true],
  ['**/dir2/*', 'dir/dir2/file/', true],
  ['**/dir2/**', 'dir/dir2/dir3/file', true],
  ['**/dir2/**', 'dir/dir2/dir3/file/', true],
  ['**file', 'file', true],
  ['**file', 'dir/file', true],
  ['**/file', 'dir/file', true],
  ['**file', 'dir/dir/file', true],
  ['**/file', 'dir/dir/file', true],
  ['**/file*', 'dir/dir/file', true],
  ['**/file*', 'dir/dir/file.txt', true],
  ['**/file*txt', 'dir/dir/file.txt', true],
  ['**/file*.txt', 'dir/dir/file.txt', true],
  ['**/file*.txt*', 'dir/dir/file.txt', true],
  ['**/**/*.txt', 'dir/dir/file.txt', true],
  ['**/**/*.txt2', 'dir/dir/file.txt', false],
  ['**/*.txt', 'file.txt', true],
  ['**/**/*.txt', 'file.txt', true],
  ['a**/*.txt', 'a/file.txt', true],
  ['a**/*.txt', 'a/dir/file.txt', true],
  ['a**/*.txt', 'a/dir/dir/file.txt', true],
  ['a/*.txt', 'a/dir/file.txt', false],
  ['a/*.txt', 'a/file.txt', true],
  ['a/*.txt**', 'a/file.txt', true],
  ['a[b-d]e', 'ae', false],
  ['a[b-d]e', 'ace', true],
  ['a[b-d]e', 'aae', false],
  ['a[^b-d]e', 'aze', true],
  ['.*', '.foo', true],
  ['.*', 'foo', false],
  ['abc.def', 'abcdef', false],
  ['abc.def', 'abc.def', true],
  ['abc.def', 'abcZdef', false],
  ['abc?def', 'abcZdef', true],
  ['abc?def', 'abcdef', false],
  ['**/foo/bar', 'foo/bar', true],
  ['**/foo/bar', 'dir/foo/bar', true],
  ['**/foo/bar', 'dir/dir2/foo/bar', true],
  ['abc/**', 'abc', false],
  ['abc/**', 'abc/def', true],
  ['abc/**', 'abc/def/ghi', true],
  ['**/.foo', '.foo', true],
  ['**/.foo', 'bar.foo', false],
  ['a(b)c/def', 'a(b)c/def', true],
  ['a(b)c/def', 'a(b)c/xyz', false],
  ['a.|)$(}+{bc', 'a.|)$(}+{bc', true],
  ['dist/proxy.py-2.4.0rc3.dev36+g08acad9-py3-none-any.whl', 'dist/proxy.py-2.4.0rc3.dev36+g08acad9-py3-none-any.whl', true],
  ['dist/*.whl', 'dist/proxy.py-2.4.0rc3.dev36+g08acad9-py3-none-any.whl', true],
  ['a\\\\', 'a\\', true],
  ['a\\*b', 'a*b', true],
]

const MULTIPLE: Array<[string[], string, boolean]> = [
  [['**', '!util/docker/web'], 'util/docker/web/foo', false],
  [['**', '!util/docker/web', 'util/docker/web/foo'], 'util/docker/web/foo', true],
  [['**', '!dist/proxy.py-2.4.0rc3.dev36+g08acad9-py3-none-any.whl'], 'dist/proxy.py-2.4.0rc3.dev36+g08acad9-py3-none-any.whl', false],
  [['**', '!dist/*.whl'], 'dist/proxy.py-2.4.0rc3.dev36+g08acad9-py3-none-any.whl', false],
  // TestWildcardMatches, TestPatternMatches and the exclusion tests.
  [['*'], 'fileutils.go', true],
  [['*.go'], 'fileutils.go', true],
  [['!fileutils.go', '*.go'], 'fileutils.go', true],
  [['docs', '!docs/README.md'], 'docs/README.md', false],
  [['docs/', '!docs/README.md'], 'docs/README.md', false],
  [['docs/*', '!docs/README.md'], 'docs/README.md', false],
  [['*.go', '!fileutils.go'], 'fileutils.go', false],
  [['*.go'], '.', false],
  [[], '/any/path/there', false],
]

describe('the .dockerignore matcher (moby/patternmatcher)', () => {
  it.each(SINGLE)('%s against %s', (pattern, path, excluded) => {
    expect(createMatcher([pattern]).excludes(path)).toBe(excluded)
  })

  it.each(MULTIPLE)('%j against %s', (patterns, path, excluded) => {
    expect(createMatcher(patterns).excludes(path)).toBe(excluded)
  })

  it('rejects "!" alone and an unclosed bracket', () => {
    expect(() => createMatcher(['!'])).toThrow(BadPatternError)
    expect(() => createMatcher(['['])).toThrow(BadPatternError)
  })

  it('cleans paths as Go does', () => {
    expect(['a//b/', './a', 'a/../b', '/../a', '..', '', 'a/./b/..'].map(cleanPath)).toEqual(['a/b', 'a', 'b', '/a', '..', '.', 'a'])
  })
})

describe('reading a .dockerignore (BuildKit)', () => {
  it('drops comments and blanks, cleans, strips a leading slash, keeps ! exceptions', () => {
    const text = '\uFEFF# comment\n\n  /build/  \n!/build/keep.txt\n ./docs/../docs\n# not a comment? yes it is\n*.md\n  # a pattern, not a comment\n'
    expect(readDockerignore(text)).toEqual(['build', '!build/keep.txt', 'docs', '*.md', '# a pattern, not a comment'])
  })
})

describe('the walk rule', () => {
  const entries: ContextEntry[] = [
    { path: 'app.py', type: 'file', size: 10 },
    { path: 'build', type: 'dir', size: 0 },
    { path: 'build/big.bin', type: 'file', size: 1000 },
    { path: 'build/keep.txt', type: 'file', size: 5 },
    { path: 'docs', type: 'dir', size: 0 },
    { path: 'docs/a.md', type: 'file', size: 7 },
    { path: 'docs/sub', type: 'dir', size: 0 },
    { path: 'docs/sub/b.md', type: 'file', size: 9 },
  ]
  const sent = (patterns: string[]) => sentEntries(entries, createMatcher(patterns)).map((entry) => entry.path)

  it('skips an excluded folder whole', () => {
    expect(sent(['build'])).toEqual(['app.py', 'docs', 'docs/a.md', 'docs/sub', 'docs/sub/b.md'])
  })

  it('walks into an excluded folder when an exception starts inside it (the folder entry itself stays out)', () => {
    expect(sent(['build', '!build/keep.txt'])).toEqual(['app.py', 'build/keep.txt', 'docs', 'docs/a.md', 'docs/sub', 'docs/sub/b.md'])
  })

  it('does not walk in for an exception that only a wildcard could place inside (Docker does not either)', () => {
    expect(sent(['docs', '!**/b.md'])).toEqual(['app.py', 'build', 'build/big.bin', 'build/keep.txt'])
  })

  it('lets the last matching pattern win', () => {
    expect(sent(['**/*.md', '!docs/sub/b.md', 'docs/sub'])).toEqual(['app.py', 'build', 'build/big.bin', 'build/keep.txt', 'docs'])
  })
})
