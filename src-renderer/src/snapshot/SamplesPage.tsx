import type { ReactNode } from 'react'
import { useApi } from '../api/ApiContext'
import { useResult } from '../api/useResult'
import { SeverityBadge } from '../components/Badges'
import { ErrorState, Skeleton } from '../components/States'
import { formatBytes } from '../format'
import { hrefOf } from '../routing'
import { OpenArchiveForm } from './OpenArchiveForm'
import { OpenSnapshotButton } from './OpenSnapshotButton'
import './snapshot.css'

/** The bundled samples, and openers for snapshot and image archive files: everything here works with no engine. */
export function SamplesPage({ intro }: { intro?: ReactNode }) {
  const api = useApi()
  const samples = useResult(() => api.listSamples(), 'samples')
  return (
    <section className="panel samples-page" aria-labelledby="samples-title">
      {intro}
      <div className="samples-heading">
        <div>
          <h2 id="samples-title">Samples</h2>
          <p className="panel-intro">Snapshots of real images, bundled with Layerlens. They open with no container engine.</p>
        </div>
        <div className="samples-heading-actions">
          <a className="button button--primary" href={hrefOf({ view: 'workshop', step: 0 })}>
            Start the workshop walk
          </a>
          <OpenSnapshotButton />
        </div>
      </div>
      <OpenArchiveForm />
      {samples.status === 'error' ? (
        <ErrorState title="The bundled samples could not be read" error={samples.error} />
      ) : samples.status === 'loading' ? (
        <Skeleton lines={4} />
      ) : (
        <ul className="sample-list">
          {samples.value.map((sample) => (
            <li key={sample.id} className="sample-card">
              <a className="sample-link" href={hrefOf({ view: 'sample', id: sample.id })}>
                <span className="sample-title">{sample.title}</span>
                <code className="sample-image">{sample.imageName}</code>
              </a>
              <p className="sample-description">{sample.description}</p>
              <div className="sample-facts">
                <span>{formatBytes(sample.size)}</span>
                {sample.findingCounts
                  .filter(({ count }) => count > 0)
                  .map(({ severity, count }) => (
                    <SeverityBadge key={severity} severity={severity} count={count} />
                  ))}
              </div>
            </li>
          ))}
        </ul>
      )}
    </section>
  )
}
