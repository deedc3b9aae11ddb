import type { EngineInfo, EngineWatchStatus } from '../../../src-preload/contract'
import type { Loadable } from '../api/useResult'
import { hrefOf } from '../routing'
import { ConnectionPicker } from './ConnectionPicker'
import { LargeTypeToggle } from '../workshop/largeType'

export function Header({ engine, watch, onRefresh }: { engine: Loadable<EngineInfo>; watch: EngineWatchStatus | undefined; onRefresh: () => void }) {
  return (
    <header className="app-header">
      <a className="brand" href={hrefOf({ view: 'list' })} aria-label="Layerlens, back to the image list">
        <span className="brand-mark" aria-hidden="true">
          <span />
          <span />
          <span />
        </span>
        <span className="brand-name">Layerlens</span>
      </a>
      <ConnectionPicker engine={engine} watch={watch} onSelected={onRefresh} />
      <nav className="header-links" aria-label="Samples, Dockerfile and workshop">
        <a className="button button--ghost" href={hrefOf({ view: 'samples' })}>
          Samples
        </a>
        <a className="button button--ghost" href={hrefOf({ view: 'dockerfile' })}>
          Open a Dockerfile
        </a>
        <LargeTypeToggle />
      </nav>
      <button type="button" className="button" onClick={onRefresh} disabled={engine.status === 'loading'}>
        <span aria-hidden="true" className={engine.status === 'loading' ? 'spin' : undefined}>
          ↻
        </span>{' '}
        Refresh
      </button>
    </header>
  )
}
