import { useEffect, useState } from 'react'
import type { DockerfileCheck } from '../../../src-preload/contract'
import { useApi } from '../api/ApiContext'
import { navigate } from '../routing'
import { DockerfilePanel } from './DockerfilePanel'

/** A Dockerfile on its own, with no image: its findings, its build context, and its fix. */
export function DockerfilePage() {
  const api = useApi()
  const [checked, setChecked] = useState<DockerfileCheck | null>(null)

  useEffect(() => {
    document.title = 'Dockerfile — Layerlens'
    return () => {
      document.title = 'Layerlens'
    }
  }, [])

  return (
    <div className="dockerfile-view">
      <div className="view-bar">
        <button type="button" className="button button--ghost back-button" onClick={() => navigate({ view: 'list' })}>
          ← All images
        </button>
      </div>
      <DockerfilePanel imageRef={null} check={(dockerfilePath, contextDir) => api.checkDockerfile(dockerfilePath, contextDir)} attachment={checked} onAttached={setChecked} />
    </div>
  )
}
