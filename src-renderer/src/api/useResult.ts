import { useEffect, useState } from 'react'
import type { ApiError, Result } from '../../../src-preload/contract'
import { settle } from './settle'

export type Loadable<T> =
  | { status: 'loading'; previous?: T }
  | { status: 'ok'; value: T }
  | { status: 'error'; error: ApiError }

/**
 * Runs `load` whenever `key` changes and tracks its Result. While reloading, the last value
 * stays available as `previous` so a refresh does not blank the screen.
 */
export function useResult<T>(load: () => Promise<Result<T>>, key: string): Loadable<T> {
  const [state, setState] = useState<Loadable<T>>({ status: 'loading' })

  useEffect(() => {
    let current = true
    setState((before) => ({ status: 'loading', previous: before.status === 'ok' ? before.value : undefined }))
    void settle(load).then((result) => {
      if (!current) return
      setState(result.ok ? { status: 'ok', value: result.value } : { status: 'error', error: result.error })
    })
    return () => {
      current = false
    }
    // `load` is a fresh closure on every render; `key` says when it means something new.
  }, [key])

  return state
}
