import { useEffect, useRef } from 'react'
import type { LessonPart, LessonPartId } from '../../../src-main/engine/model'
import { isLessonLink, type ApiError } from '../../../src-preload/contract'
import { BeforeAfter } from './BeforeAfter'
import { RichText } from './RichText'
import { Spinner } from './States'

/** A side sheet with one lesson part. Escape or the backdrop closes it; focus returns to the link. */
export function LessonPanel({
  partId,
  part,
  loading,
  error,
  onClose
}: {
  partId: LessonPartId
  part: LessonPart | undefined
  loading: boolean
  error: ApiError | null
  onClose: () => void
}) {
  const closeRef = useRef<HTMLButtonElement>(null)

  useEffect(() => {
    const opener = document.activeElement instanceof HTMLElement ? document.activeElement : null
    closeRef.current?.focus()
    const onKey = (event: KeyboardEvent) => {
      if (event.key === 'Escape') onClose()
    }
    window.addEventListener('keydown', onKey)
    return () => {
      window.removeEventListener('keydown', onKey)
      opener?.focus()
    }
  }, [onClose])

  return (
    <div className="sheet-layer">
      <div className="sheet-backdrop" onClick={onClose} aria-hidden="true" />
      <aside className="sheet" role="dialog" aria-modal="true" aria-labelledby="lesson-title">
        <header className="sheet-header">
          <div>
            <div className="sheet-kicker">Lesson</div>
            <h2 id="lesson-title">{part?.title ?? partId}</h2>
          </div>
          <button ref={closeRef} type="button" className="button button--ghost" onClick={onClose} aria-label="Close the lesson">
            ✕
          </button>
        </header>
        <div className="sheet-body">
          {part !== undefined ? (
            <>
              <p className="lesson-summary">
                <RichText text={part.summary} />
              </p>
              {part.body.map((paragraph, index) => (
                <p key={index}>
                  <RichText text={paragraph} />
                </p>
              ))}
              <BeforeAfter before={part.before} after={part.after} beforeLabel="Before" afterLabel="After" />
              {part.learnMore !== undefined && isLessonLink(part.learnMore) && (
                <p className="lesson-more">
                  <a href={part.learnMore} target="_blank" rel="noopener noreferrer">
                    Learn more on {new URL(part.learnMore).hostname} ↗
                  </a>
                </p>
              )}
            </>
          ) : error !== null ? (
            <div className="inline-error" role="alert">
              <p>The lesson texts could not be loaded: {error.message}</p>
              <p>{error.fix} Then press Refresh at the top of the window.</p>
            </div>
          ) : loading ? (
            <Spinner label="Loading the lesson…" />
          ) : (
            <p className="muted">This build of Layerlens has no lesson text for “{partId}”.</p>
          )}
        </div>
      </aside>
    </div>
  )
}
