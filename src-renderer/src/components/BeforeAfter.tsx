import { escapeControlCharacters } from '../../../src-preload/contract'

export function BeforeAfter({ before, after, beforeLabel, afterLabel }: { before: string; after: string; beforeLabel: string; afterLabel: string }) {
  return (
    <div className="before-after">
      <figure className="code-figure code-figure--before">
        <figcaption>
          <span aria-hidden="true">✗</span> {beforeLabel}
        </figcaption>
        <pre className="code-block">{escapeControlCharacters(before)}</pre>
      </figure>
      <figure className="code-figure code-figure--after">
        <figcaption>
          <span aria-hidden="true">✓</span> {afterLabel}
        </figcaption>
        <pre className="code-block">{escapeControlCharacters(after)}</pre>
      </figure>
    </div>
  )
}
