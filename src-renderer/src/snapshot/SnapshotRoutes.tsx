import type { ReactNode } from 'react'
import type { ApiError } from '../../../src-preload/contract'
import { ErrorState } from '../components/States'
import type { Route } from '../routing'
import { WorkshopView } from '../workshop/WorkshopView'
import { SamplesPage } from './SamplesPage'
import { SampleView, SnapshotFileView } from './SnapshotView'

/** The views that need no engine, or undefined when the route is not one of them. */
export function snapshotRouteView(route: Route, generation: number, onRetry: () => void): ReactNode | undefined {
  switch (route.view) {
    case 'samples':
      return <SamplesPage />
    case 'sample':
      return <SampleView sampleId={route.id} generation={generation} onRetry={onRetry} />
    case 'snapshot':
      return <SnapshotFileView kind="file" imageId={route.imageId} generation={generation} onRetry={onRetry} />
    case 'archive':
      return <SnapshotFileView kind="archive" imageId={route.imageId} generation={generation} onRetry={onRetry} />
    case 'workshop':
      return <WorkshopView step={route.step} generation={generation} onRetry={onRetry} />
    default:
      return undefined
  }
}

/** No engine: the fix, and the samples right below it, which work anyway. */
export function EngineUnreachable({ error, onRetry }: { error: ApiError; onRetry: () => void }) {
  return (
    <>
      <ErrorState title="Layerlens cannot reach the container engine" error={error} onRetry={onRetry}>
        <a className="button button--primary" href="#samples-title" onClick={scrollToSamples}>
          Explore the bundled samples
        </a>
      </ErrorState>
      <SamplesPage />
    </>
  )
}

/** The hash holds the route, so the in-page link scrolls instead. */
function scrollToSamples(event: React.MouseEvent<HTMLAnchorElement>) {
  event.preventDefault()
  document.getElementById('samples-title')?.scrollIntoView({ behavior: 'smooth', block: 'start' })
}
