import { useState, type FormEvent } from 'react'
import type { ApiError } from '../../../src-preload/contract'
import { useApi } from '../api/ApiContext'
import { settle } from '../api/settle'
import { fullPathProblem, PathField } from '../components/PathField'
import { Spinner } from '../components/States'
import { navigate } from '../routing'

/** An image archive by its path on this machine: read whole by the service, with no engine, then shown like a snapshot. */
export function OpenArchiveForm() {
  const api = useApi()
  const [path, setPath] = useState('')
  const [opening, setOpening] = useState(false)
  const [error, setError] = useState<ApiError | null>(null)

  const open = async (event: FormEvent) => {
    event.preventDefault()
    const problem = fullPathProblem('archive', path.trim(), '/home/you/myapp.tar')
    setError(problem)
    if (problem !== null) return
    setOpening(true)
    const result = await settle(() => api.openArchive(path.trim()))
    setOpening(false)
    if (result.ok) navigate({ view: 'archive', imageId: result.value.imageId })
    else setError(result.error)
  }

  return (
    <form className="open-archive" aria-labelledby="open-archive-title" onSubmit={(event) => void open(event)}>
      <h3 id="open-archive-title">Open an image archive</h3>
      <PathField label="Archive path" value={path} onChange={setPath} placeholder="/home/you/myapp.tar" hintId="archive-path-hint" required />
      <button type="submit" className="button" disabled={opening || path.trim() === ''}>
        {opening ? 'Reading…' : 'Open archive'}
      </button>
      <p id="archive-path-hint" className="muted attach-hint">
        A file written by <code className="inline-code">docker save -o myapp.tar IMAGE</code>, <code className="inline-code">podman save</code> or
        an OCI layout tar, by its full path on the machine running Layerlens. It is read in full, with no engine: about as long as the engine took
        to write it.
      </p>
      {opening && <Spinner label="Reading the archive…" />}
      {error !== null && (
        <p className="inline-error" role="alert">
          {error.message} {error.fix}
        </p>
      )}
    </form>
  )
}
