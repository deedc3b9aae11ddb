import { useEffect, useState } from 'react'
import type { EngineWatchStatus } from '../../../src-preload/contract'
import { useApi } from './ApiContext'
import { settle } from './settle'

/** After a failed call (the `serve` server gone, say), the pause before asking again. */
const RETRY_AFTER_ERROR_MS = 3_000

/**
 * Follows the main process's watch of the engine: each call returns as soon as something changed (or
 * after about 25 s), and the next one starts at once. Undefined until the first answer.
 */
export function useEngineWatch(): EngineWatchStatus | undefined {
  const api = useApi()
  const [status, setStatus] = useState<EngineWatchStatus>()

  useEffect(() => {
    let active = true
    let timer: ReturnType<typeof setTimeout> | undefined
    const poll = async (sinceRevision: number): Promise<void> => {
      const result = await settle(() => api.watchEngine(sinceRevision))
      if (!active) return
      if (!result.ok) {
        timer = setTimeout(() => void poll(sinceRevision), RETRY_AFTER_ERROR_MS)
        return
      }
      setStatus(result.value)
      void poll(result.value.revision)
    }
    void poll(0)
    return () => {
      active = false
      clearTimeout(timer)
    }
  }, [api])

  return status
}
