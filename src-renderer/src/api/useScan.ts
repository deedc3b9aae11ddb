import { useCallback, useEffect, useState } from 'react'
import type { ApiError, Result, ScanStatus } from '../../../src-preload/contract'
import { useApi } from './ApiContext'
import { settle } from './settle'

/** Often enough for a lively progress bar, rarely enough to leave the server alone. */
const POLL_INTERVAL_MS = 300

export interface ScanTracking {
  /** The latest status the service reported, kept through request errors. */
  status: ScanStatus | null
  /** A startScan/scanStatus/cancelScan request that failed (the scan itself may be fine). */
  requestError: ApiError | null
  cancelling: boolean
  cancel: () => void
  /** Starts a new read after a failure or a cancel (or joins the one still running). */
  restart: () => void
}

/**
 * Starts (or joins) the scan of `ref` and polls its status while it runs. Polling stops when
 * the scan is done, failed or cancelled, and when the view closes.
 */
export function useScan(ref: string, generation: number): ScanTracking {
  const api = useApi()
  const [status, setStatus] = useState<ScanStatus | null>(null)
  const [requestError, setRequestError] = useState<ApiError | null>(null)
  const [cancelling, setCancelling] = useState(false)
  const [attempt, setAttempt] = useState(0)

  useEffect(() => {
    let active = true
    let timer: ReturnType<typeof setTimeout> | undefined
    setRequestError(null)
    setCancelling(false)

    const follow = async (request: () => Promise<Result<ScanStatus>>) => {
      const result = await settle(request)
      if (!active) return
      if (!result.ok) {
        setRequestError(result.error)
        return
      }
      setStatus(result.value)
      setRequestError(null)
      const { imageId, state } = result.value
      if (state === 'running') timer = setTimeout(() => void follow(() => api.scanStatus(imageId)), POLL_INTERVAL_MS)
    }

    void follow(() => api.startScan(ref))
    return () => {
      active = false
      clearTimeout(timer)
    }
    // `api` is stable for the app's lifetime; a new ref, Refresh or restart means a new scan.
  }, [ref, generation, attempt])

  const imageId = status?.imageId
  const cancel = useCallback(() => {
    if (imageId === undefined) return
    setCancelling(true)
    void settle(() => api.cancelScan(imageId)).then((result) => {
      if (result.ok) setStatus(result.value)
      else {
        setRequestError(result.error)
        setCancelling(false)
      }
    })
  }, [api, imageId])

  const restart = useCallback(() => setAttempt((value) => value + 1), [])

  return { status, requestError, cancelling: cancelling && status?.state === 'running', cancel, restart }
}
