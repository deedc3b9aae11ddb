import type { EngineInfo } from '../../../src-preload/contract'
import type { Loadable } from '../api/useResult'
import { hrefOf } from '../routing'
import { LargeTypeToggle } from '../workshop/largeType'

const SOURCE_EXPLANATIONS: Record<EngineInfo['source'], (info: EngineInfo) => string> = {
  DOCKER_HOST: () => 'chosen by the DOCKER_HOST environment variable',
  'docker-context': (info) => `chosen by the current docker context${info.contextName ? ` “${info.contextName}”` : ''}`,
  'default-socket': () => 'the default Docker socket (no DOCKER_HOST or docker context set)',
  'podman-socket': () => 'a Podman socket, used because no Docker socket was found'
}

export function Header({ engine, onRefresh }: { engine: Loadable<EngineInfo>; onRefresh: () => void }) {
  const info = engine.status === 'ok' ? engine.value : engine.status === 'loading' ? engine.previous : undefined
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
      <div className="engine-status" aria-live="polite">
        {info !== undefined ? (
          <>
            <span className="status-dot status-dot--ok" aria-hidden="true" />
            <span className="engine-product">
              {info.product} {info.version}
            </span>
            <span className="engine-detail" title={`API ${info.apiVersion} · ${info.os}/${info.architecture}`}>
              <code>{info.endpoint}</code>
              <span className="engine-source">{SOURCE_EXPLANATIONS[info.source](info)}</span>
            </span>
          </>
        ) : engine.status === 'error' ? (
          <>
            <span className="status-dot status-dot--error" aria-hidden="true" />
            <span className="engine-product">Not connected</span>
          </>
        ) : (
          <>
            <span className="status-dot status-dot--pending" aria-hidden="true" />
            <span className="engine-product">Connecting…</span>
          </>
        )}
      </div>
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
