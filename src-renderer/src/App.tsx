import { useEffect, useRef, useState } from 'react'
import type { EngineWatchStatus } from '../../src-preload/contract'
import { useApi } from './api/ApiContext'
import { useEngineWatch } from './api/useEngineWatch'
import { useResult } from './api/useResult'
import { ComparePage } from './compare/ComparePage'
import { ConnectionBanner } from './components/ConnectionBanner'
import { Header } from './components/Header'
import { DockerfilePage } from './dockerfile/DockerfilePage'
import { ImageList } from './components/ImageList'
import { ImageView } from './components/ImageView'
import { useRoute } from './routing'
import { EngineUnreachable, snapshotRouteView } from './snapshot/SnapshotRoutes'

export function App() {
  const api = useApi()
  const route = useRoute()
  // Bumping the generation re-runs every query: the header's Refresh and every Retry button.
  const [generation, setGeneration] = useState(0)
  const refresh = () => setGeneration((value) => value + 1)
  const engine = useResult(() => api.engineInfo(), `engine:${generation}`)
  const watch = useEngineWatch()
  const listGeneration = useLiveRefresh(watch, refresh)

  return (
    <div className="app">
      <Header engine={engine} watch={watch} onRefresh={refresh} />
      <ConnectionBanner watch={watch} />
      <main className="app-main">
        {snapshotRouteView(route, generation, refresh) ??
          // A Dockerfile on its own needs no engine.
          (route.view === 'dockerfile' ? (
            <DockerfilePage />
          ) : engine.status === 'error' ? (
            <EngineUnreachable error={engine.error} onRetry={refresh} />
          ) : route.view === 'compare' ? (
            <ComparePage before={route.before} after={route.after} generation={generation} onRetry={refresh} />
          ) : route.view === 'image' ? (
            <ImageView imageRef={route.ref} generation={generation} onRetry={refresh} />
          ) : (
            <ImageList generation={`${generation}:${listGeneration}`} onRetry={refresh} />
          ))}
      </main>
    </div>
  )
}

/**
 * Follows the engine watch: another engine, or the engine back after an outage, refreshes everything
 * (errors included); image events only refresh the list, whose generation this returns.
 */
function useLiveRefresh(watch: EngineWatchStatus | undefined, refreshAll: () => void): number {
  const [listGeneration, setListGeneration] = useState(0)
  const previous = useRef<EngineWatchStatus | undefined>(undefined)

  useEffect(() => {
    const before = previous.current
    previous.current = watch
    if (watch === undefined) return
    // The list may have been read before the main process was listening: read it once more.
    if (before === undefined) {
      if (watch.state === 'connected') setListGeneration((value) => value + 1)
      return
    }
    if (watch.connectionId !== before.connectionId || (watch.state === 'connected' && before.state !== 'connected')) refreshAll()
    else if (watch.generation !== before.generation) setListGeneration((value) => value + 1)
  }, [watch])

  return listGeneration
}
