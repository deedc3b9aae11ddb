import type { PatchedFile } from '../../../src-main/engine/dockerfile'

type DiffLineKind = 'added' | 'removed' | 'context' | 'header'

/** The kind of a unified-diff line; `---`/`+++` file headers and `@@` hunk headers are headers. */
function kindOf(line: string): DiffLineKind {
  if (line.startsWith('+++') || line.startsWith('---') || line.startsWith('@@')) return 'header'
  if (line.startsWith('+')) return 'added'
  if (line.startsWith('-')) return 'removed'
  return 'context'
}

/** A unified diff, coloured, with each changed line also labelled in words for screen readers and colour-blind eyes. */
export function UnifiedDiff({ diff, label }: { diff: string; label: string }) {
  const lines = diff.replace(/\n$/, '').split('\n')
  return (
    <pre className="diff" aria-label={label}>
      {lines.map((line, index) => {
        const kind = kindOf(line)
        return (
          <span key={index} className={`diff-line diff-line--${kind}`}>
            {(kind === 'added' || kind === 'removed') && <span className="diff-word">{kind}</span>}
            {line === '' ? ' ' : line}
            {'\n'}
          </span>
        )
      })}
    </pre>
  )
}

/** One patched file: each hunk with the reasons for it, then the whole diff. */
export function PatchedFileView({ file, path }: { file: PatchedFile; path: string }) {
  return (
    <article className="patched-file" aria-label={`Changes to ${file.name}`}>
      <h4>
        <code className="inline-code">{path}</code>
        <span className="muted">
          {' '}
          · {file.original === '' ? 'new file' : `${file.hunks.length} change${file.hunks.length === 1 ? '' : 's'}`}
        </span>
      </h4>
      <ol className="hunk-list">
        {file.hunks.map((hunk, index) => (
          <li key={index} className="hunk">
            <ul className="hunk-reasons">
              {hunk.reasons.map((reason, reasonIndex) => (
                <li key={reasonIndex}>
                  {reason.rule !== undefined && <code className="chip">{reason.rule}</code>} {reason.text}
                </li>
              ))}
            </ul>
            <UnifiedDiff diff={hunk.text} label={`Change ${index + 1} to ${file.name}`} />
          </li>
        ))}
      </ol>
    </article>
  )
}
