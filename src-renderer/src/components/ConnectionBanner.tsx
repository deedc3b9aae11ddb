import { useEffect, useState } from 'react'
import type { EngineWatchStatus } from '../../../src-preload/contract'

/** While the engine is out of reach: what was lost, and when the main process tries again. */
export function ConnectionBanner({ watch }: { watch: EngineWatchStatus | undefined }) {
  const secondsLeft = useCountdown(watch)
  if (watch === undefined || watch.state === 'connected') return null
  const where = watch.endpoint ?? 'the chosen engine'
  const when = secondsLeft === undefined || secondsLeft === 0 ? 'now' : `in ${secondsLeft} s`
  const headline =
    watch.state === 'reconnecting'
      ? `Lost the engine at ${where}; reconnecting ${when} (attempt ${watch.attempt}).`
      : `No engine answers at ${where}; trying again ${when} (attempt ${watch.attempt}).`
  return (
    <div className={`connection-banner connection-banner--${watch.state}`} role="status">
      <span className="connection-banner-icon spin" aria-hidden="true">
        ↻
      </span>
      <span className="connection-banner-text">
        <strong>{headline}</strong>
        {watch.error !== undefined && <span className="connection-banner-detail">{watch.error.message}</span>}
      </span>
      <span className="connection-banner-note">The list refreshes on its own once it is back.</span>
    </div>
  )
}

/** Whole seconds until the next attempt, counted down here from the delay the status gave. */
function useCountdown(watch: EngineWatchStatus | undefined): number | undefined {
  const delay = watch?.state === 'connected' ? undefined : watch?.nextRetryMs
  const [secondsLeft, setSecondsLeft] = useState<number | undefined>()

  useEffect(() => {
    if (delay === undefined) {
      setSecondsLeft(undefined)
      return
    }
    const deadline = Date.now() + delay
    const tick = () => setSecondsLeft(Math.max(0, Math.ceil((deadline - Date.now()) / 1000)))
    tick()
    const timer = setInterval(tick, 250)
    return () => clearInterval(timer)
    // A new status (its revision) brings a new delay.
  }, [watch?.revision, delay])

  return secondsLeft
}
