import type { ReactNode } from 'react'
import type { ApiError } from '../../../src-preload/contract'
import { RichText } from './RichText'

export function ErrorState({ title, error, onRetry, children }: { title: string; error: ApiError; onRetry?: () => void; children?: ReactNode }) {
  return (
    <section className="state state--error" role="alert">
      <div className="state-icon" aria-hidden="true">
        !
      </div>
      <h2 className="state-title">{title}</h2>
      <p className="state-message">
        <RichText text={error.message} />
      </p>
      <div className="state-fix">
        <div className="state-fix-label">How to fix it</div>
        <p>
          <RichText text={error.fix} />
        </p>
      </div>
      <div className="state-actions">
        {onRetry && (
          <button type="button" className="button button--primary" onClick={onRetry}>
            Retry
          </button>
        )}
        {children}
      </div>
      <p className="state-code">Error code: {error.code}</p>
    </section>
  )
}

export function EmptyState({ title, children }: { title: string; children?: ReactNode }) {
  return (
    <section className="state state--empty">
      <h2 className="state-title">{title}</h2>
      {children}
    </section>
  )
}

export function Spinner({ label }: { label: string }) {
  return (
    <div className="spinner-row" role="status">
      <span className="spinner" aria-hidden="true" />
      <span>{label}</span>
    </div>
  )
}

/** Grey placeholder blocks in the shape of the content that is on its way. */
export function Skeleton({ lines = 3, tall = false }: { lines?: number; tall?: boolean }) {
  return (
    <div className={tall ? 'skeleton skeleton--tall' : 'skeleton'} aria-hidden="true">
      {Array.from({ length: lines }, (_, index) => (
        <div key={index} className="skeleton-line" />
      ))}
    </div>
  )
}
