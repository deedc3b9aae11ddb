import { useEffect, useMemo, useRef } from 'react'
import type { SampleSummary } from '../../../src-preload/contract'
import { useApi } from '../api/ApiContext'
import { useResult } from '../api/useResult'
import { SeverityBadge } from '../components/Badges'
import { BeforeAfter } from '../components/BeforeAfter'
import { ImageView } from '../components/ImageView'
import { ErrorState, Spinner } from '../components/States'
import { formatBytes } from '../format'
import { hrefOf, navigate } from '../routing'
import { SnapshotBanner } from '../snapshot/SnapshotView'
import { LargeTypeToggle } from './largeType'
import { focusOf, WALK, WORKSHOP_AFTER_SAMPLE, WORKSHOP_SAMPLE } from './walk'
import './workshop.css'

/** Keys typed into these belong to them, not to the walk. */
const OWN_KEYS_SELECTOR = 'input, textarea, select, [role="tree"], [role="grid"], [role="listbox"], [role="dialog"]'

export function WorkshopView({ step, generation, onRetry }: { step: number; generation: number; onRetry: () => void }) {
  const api = useApi()
  const opened = useResult(() => api.openSample(WORKSHOP_SAMPLE), `workshop:${generation}`)
  const samples = useResult(() => api.listSamples(), 'samples')
  const current = Math.min(Math.max(step, 0), WALK.length - 1)
  const walkStep = WALK[current]!
  const analysis = opened.status === 'ok' ? opened.value.analysis : undefined
  const focus = useMemo(() => (analysis === undefined ? undefined : focusOf(walkStep, analysis)), [analysis, walkStep])
  const heading = useRef<HTMLHeadingElement>(null)

  const go = (to: number) => navigate({ view: 'workshop', step: Math.min(Math.max(to, 0), WALK.length - 1) })

  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if (event.altKey || event.ctrlKey || event.metaKey || event.shiftKey) return
      if (event.target instanceof Element && event.target.closest(OWN_KEYS_SELECTOR) !== null) return
      if (event.key === 'ArrowRight') go(current + 1)
      else if (event.key === 'ArrowLeft') go(current - 1)
      else if (event.key === 'Escape') navigate({ view: 'samples' })
      else return
      event.preventDefault()
    }
    window.addEventListener('keydown', onKey)
    return () => window.removeEventListener('keydown', onKey)
  }, [current])

  // Each new step is announced and read from its title.
  useEffect(() => heading.current?.focus({ preventScroll: true }), [current])

  if (opened.status === 'error') return <ErrorState title="The workshop sample could not be opened" error={opened.error} onRetry={onRetry} />
  if (opened.status === 'loading' || focus === undefined) return <Spinner label="Opening the workshop sample…" />

  const { finding } = focus
  const byId = new Map<string, SampleSummary>(samples.status === 'ok' ? samples.value.map((sample) => [sample.id, sample]) : [])
  const isLast = current === WALK.length - 1

  return (
    <div className="workshop">
      <aside className="workshop-guide" aria-label="Workshop walk">
        <div className="workshop-progress">
          <span>
            Step {current + 1} of {WALK.length}
          </span>
          <ol className="workshop-dots" aria-label="Steps">
            {WALK.map((candidate, index) => (
              <li key={candidate.title}>
                <a
                  href={hrefOf({ view: 'workshop', step: index })}
                  className={index === current ? 'workshop-dot workshop-dot--current' : index < current ? 'workshop-dot workshop-dot--done' : 'workshop-dot'}
                  aria-current={index === current ? 'step' : undefined}
                  aria-label={`Step ${index + 1}: ${candidate.title}`}
                />
              </li>
            ))}
          </ol>
        </div>
        <h2 ref={heading} tabIndex={-1} className="workshop-title" aria-live="polite">
          {walkStep.title}
        </h2>
        <p className="workshop-talk">{walkStep.talk}</p>
        {finding !== undefined && (
          <div className="workshop-finding">
            <p className="workshop-finding-title">
              <SeverityBadge severity={finding.severity} /> {finding.title}
            </p>
            <p>{finding.detail}</p>
            {finding.savingsBytes !== undefined && finding.savingsBytes > 0 && <p className="workshop-savings">About {formatBytes(finding.savingsBytes)} to save.</p>}
            {focus.path !== undefined && (
              <p className="workshop-path">
                Look at <code>{focus.path}</code> in the files.
              </p>
            )}
            <BeforeAfter before={finding.fix.before} after={finding.fix.after} beforeLabel="Before" afterLabel="The fix" />
          </div>
        )}
        {isLast && <BeforeAfterSamples before={byId.get(WORKSHOP_SAMPLE)} after={byId.get(WORKSHOP_AFTER_SAMPLE)} />}
        <div className="workshop-nav">
          <button type="button" className="button" onClick={() => go(current - 1)} disabled={current === 0}>
            ← Previous
          </button>
          {isLast ? (
            <a className="button button--primary" href={hrefOf({ view: 'sample', id: WORKSHOP_AFTER_SAMPLE })}>
              Open the after sample
            </a>
          ) : (
            <button type="button" className="button button--primary" onClick={() => go(current + 1)}>
              Next →
            </button>
          )}
        </div>
        <p className="workshop-keys">
          <kbd>←</kbd> <kbd>→</kbd> move through the steps · <kbd>Esc</kbd> leaves the walk
        </p>
        <div className="workshop-tools">
          <LargeTypeToggle />
          <a className="button button--ghost" href={hrefOf({ view: 'samples' })}>
            Leave the walk
          </a>
        </div>
      </aside>
      <div className="workshop-image">
        <SnapshotBanner kind="sample" />
        <ImageView
          imageRef={opened.value.imageId}
          generation={generation}
          onRetry={onRetry}
          focus={{ stepIndex: focus.stepIndex, path: focus.path, key: `workshop:${current}` }}
          fromSnapshot
        />
      </div>
    </div>
  )
}

function BeforeAfterSamples({ before, after }: { before: SampleSummary | undefined; after: SampleSummary | undefined }) {
  if (before === undefined || after === undefined) return null
  const rows = [before, after].map((sample) => ({ sample, findings: sample.findingCounts.filter(({ count }) => count > 0) }))
  return (
    <table className="workshop-compare">
      <thead>
        <tr>
          <th scope="col">Sample</th>
          <th scope="col">Size</th>
          <th scope="col">Findings</th>
        </tr>
      </thead>
      <tbody>
        {rows.map(({ sample, findings }) => (
          <tr key={sample.id}>
            <th scope="row">{sample.title}</th>
            <td>{formatBytes(sample.size)}</td>
            <td>
              {findings.length === 0 ? 'none' : findings.map(({ severity, count }) => <SeverityBadge key={severity} severity={severity} count={count} />)}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  )
}
