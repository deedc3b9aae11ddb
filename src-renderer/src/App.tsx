import { useState } from 'react'
import { useApi } from './api/ApiContext'
import { useResult } from './api/useResult'
import { ComparePage } from './compare/ComparePage'
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

  return (
    <div className="app">
      <Header engine={engine} onRefresh={refresh} />
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
            <ImageList generation={generation} onRetry={refresh} />
          ))}
      </main>
    </div>
  )
}
