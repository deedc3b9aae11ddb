// Follows the selected engine's image events while someone watches: bursts of events (a build sends
// many) become one generation step, and a lost engine is tried again with doubling pauses. Callers
// long-poll `next`, which works the same over Electron IPC and over `serve`'s HTTP.
import type { ApiError, EngineWatchStatus, WatchState } from '../src-preload/contract'
import type { EngineConnection } from './sources/connection'
import { followImageEvents, type ImageEvents } from './sources/connection-events'

export interface WatchTarget {
  connectionId: string
  chosenInApp: boolean
  /** Absent when the settings cannot be used; `problem` says why. */
  connection?: EngineConnection
  problem?: ApiError
}

export interface EngineWatchTiming {
  /** The pause after the first failure; it doubles with each further one, up to `maxRetryDelayMs`. */
  firstRetryDelayMs: number
  maxRetryDelayMs: number
  /** Events closer together than this are one change. */
  quietMs: number
  /** …but a change is reported at least this often during a long burst. */
  maxBurstMs: number
  /** How long a `next` call waits for a change before it returns the status as it is. */
  pollMs: number
  /** With nobody calling `next` for this long, the events stream is closed. */
  idleMs: number
}

export const DEFAULT_WATCH_TIMING: EngineWatchTiming = {
  firstRetryDelayMs: 500,
  maxRetryDelayMs: 10_000,
  quietMs: 300,
  maxBurstMs: 2_000,
  pollMs: 25_000,
  idleMs: 90_000
}

/** The pause before the next try after `attempt` failures in a row: doubling from the first, up to the most. */
export const retryDelayMs = (attempt: number, timing: EngineWatchTiming = DEFAULT_WATCH_TIMING): number =>
  Math.min(timing.firstRetryDelayMs * 2 ** Math.max(0, attempt - 1), timing.maxRetryDelayMs)

export class EngineWatch {
  private revision = 0
  private generation = 0
  private state: WatchState = 'unreachable'
  private attempt = 0
  private connectionId = ''
  private chosenInApp = false
  private endpoint: string | undefined
  private error: ApiError | undefined
  private retryAt: number | undefined
  /** Whether the current target has answered since it was chosen: losing it then is "reconnecting". */
  private answered = false
  /** Bumped on every (re)subscription and stop, so callbacks of an older one are ignored. */
  private session = 0
  private following = false
  private events: ImageEvents | undefined
  private retryTimer: NodeJS.Timeout | undefined
  private burst: { startedAt: number; timer: NodeJS.Timeout } | undefined
  private idleTimer: NodeJS.Timeout | undefined
  private readonly waiters = new Set<() => void>()

  constructor(
    private readonly target: () => WatchTarget,
    private readonly timing: EngineWatchTiming = DEFAULT_WATCH_TIMING
  ) {}

  /** The status once its revision differs from `sinceRevision`, or as it is after the poll time. */
  async next(sinceRevision: number): Promise<EngineWatchStatus> {
    this.keepFollowing()
    if (sinceRevision === this.revision) {
      await new Promise<void>((resolve) => {
        const done = (): void => {
          clearTimeout(timer)
          this.waiters.delete(done)
          resolve()
        }
        const timer = setTimeout(done, this.timing.pollMs)
        this.waiters.add(done)
      })
      this.keepFollowing()
    }
    return this.status()
  }

  /** Another engine was chosen: follow it from scratch. Watchers hear of it once it answers or fails. */
  retarget(): void {
    const wasFollowing = this.following
    this.stop()
    this.answered = false
    this.attempt = 0
    if (wasFollowing) this.keepFollowing()
  }

  stop(): void {
    this.following = false
    this.session += 1
    this.events?.close()
    this.events = undefined
    clearTimeout(this.retryTimer)
    clearTimeout(this.burst?.timer)
    this.burst = undefined
    clearTimeout(this.idleTimer)
  }

  private status(): EngineWatchStatus {
    const status: EngineWatchStatus = {
      revision: this.revision,
      generation: this.generation,
      connectionId: this.connectionId,
      chosenInApp: this.chosenInApp,
      state: this.state,
      attempt: this.attempt
    }
    if (this.endpoint !== undefined) status.endpoint = this.endpoint
    if (this.state !== 'connected' && this.retryAt !== undefined) status.nextRetryMs = Math.max(0, this.retryAt - Date.now())
    if (this.error !== undefined) status.error = this.error
    return status
  }

  private keepFollowing(): void {
    clearTimeout(this.idleTimer)
    this.idleTimer = setTimeout(() => this.stop(), this.timing.idleMs).unref()
    if (this.following) return
    this.following = true
    void this.subscribe()
  }

  private async subscribe(): Promise<void> {
    const session = ++this.session
    const target = this.target()
    this.connectionId = target.connectionId
    this.chosenInApp = target.chosenInApp
    this.endpoint = target.connection?.endpoint.url
    if (target.connection === undefined) return this.lost(session, target.problem)
    let events: ImageEvents
    try {
      events = await followImageEvents(target.connection, () => this.imagesChanged(session))
    } catch (error) {
      return this.lost(session, error as ApiError)
    }
    if (session !== this.session) return events.close()
    this.events = events
    void events.lost.then((error) => this.lost(session, error))
    // Images may have come and gone while nothing listened: before the first connection, during an
    // outage, after an idle stop, on an engine just chosen.
    this.generation += 1
    this.state = 'connected'
    this.answered = true
    this.attempt = 0
    this.error = undefined
    this.retryAt = undefined
    this.changed()
  }

  private lost(session: number, error: ApiError | undefined): void {
    if (session !== this.session) return
    this.events?.close()
    this.events = undefined
    this.attempt += 1
    this.state = this.answered ? 'reconnecting' : 'unreachable'
    this.error = error
    const delay = retryDelayMs(this.attempt, this.timing)
    this.retryAt = Date.now() + delay
    this.retryTimer = setTimeout(() => void this.subscribe(), delay).unref()
    this.changed()
  }

  private imagesChanged(session: number): void {
    if (session !== this.session) return
    const now = Date.now()
    const startedAt = this.burst?.startedAt ?? now
    clearTimeout(this.burst?.timer)
    const delay = Math.max(0, Math.min(this.timing.quietMs, startedAt + this.timing.maxBurstMs - now))
    const timer = setTimeout(() => {
      this.burst = undefined
      this.generation += 1
      this.changed()
    }, delay).unref()
    this.burst = { startedAt, timer }
  }

  private changed(): void {
    this.revision += 1
    for (const wake of [...this.waiters]) wake()
  }
}
