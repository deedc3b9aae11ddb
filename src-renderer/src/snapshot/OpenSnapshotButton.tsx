import { useRef, useState, type ChangeEvent } from 'react'
import { MAX_SNAPSHOT_CHARS, type ApiError } from '../../../src-preload/contract'
import { useApi } from '../api/ApiContext'
import { settle } from '../api/settle'
import { navigate } from '../routing'

/** Picks a `.layerlens.json` file, reads it here and hands its text to the service, which checks it. */
export function OpenSnapshotButton() {
  const api = useApi()
  const input = useRef<HTMLInputElement>(null)
  const [opening, setOpening] = useState(false)
  const [error, setError] = useState<ApiError | null>(null)

  const open = async (event: ChangeEvent<HTMLInputElement>) => {
    const file = event.target.files?.[0]
    event.target.value = ''
    if (file === undefined) return
    setError(null)
    if (file.size > MAX_SNAPSHOT_CHARS) {
      setError({ code: 'INVALID_ARGUMENT', message: `${file.name} is larger than 50 MB, too large for a snapshot.`, fix: 'Pick a .layerlens.json file exported by Layerlens.' })
      return
    }
    setOpening(true)
    const text = await file.text()
    const result = await settle(() => api.openSnapshot(text))
    setOpening(false)
    if (result.ok) navigate({ view: 'snapshot', imageId: result.value.imageId })
    else setError(result.error)
  }

  return (
    <div className="open-snapshot">
      <input ref={input} id="open-snapshot-input" className="visually-hidden" type="file" accept=".json,application/json" onChange={(event) => void open(event)} />
      <button type="button" className="button" disabled={opening} onClick={() => input.current?.click()}>
        {opening ? 'Opening…' : 'Open a snapshot file…'}
      </button>
      {error !== null && (
        <p className="inline-error" role="alert">
          {error.message} {error.fix}
        </p>
      )}
    </div>
  )
}
