import { useEffect, useRef, useState, type KeyboardEvent } from 'react'
import type { ApiError, ConnectionChoice, EngineInfo, EngineWatchStatus } from '../../../src-preload/contract'
import { useApi } from '../api/ApiContext'
import { settle } from '../api/settle'
import type { Loadable } from '../api/useResult'
import { Spinner } from './States'

const SOURCE_LABELS: Record<EngineInfo['source'], (info: EngineInfo) => string> = {
  DOCKER_HOST: () => 'from DOCKER_HOST',
  'docker-context': (info) => `docker context${info.contextName ? ` “${info.contextName}”` : ''}`,
  'default-socket': () => 'default socket',
  'podman-socket': () => 'Podman socket'
}

/** Where the engine in use comes from, short enough for the header. */
const sourceOf = (info: EngineInfo, watch: EngineWatchStatus | undefined): string =>
  `${SOURCE_LABELS[info.source](info)}${watch?.chosenInApp ? ', chosen in Layerlens' : ''}`

/** The engine in use, always in the header; opening it lists the others and switches to one. */
export function ConnectionPicker({ engine, watch, onSelected }: { engine: Loadable<EngineInfo>; watch: EngineWatchStatus | undefined; onSelected: () => void }) {
  const [open, setOpen] = useState(false)
  const root = useRef<HTMLDivElement>(null)
  const trigger = useRef<HTMLButtonElement>(null)
  const info = engine.status === 'ok' ? engine.value : engine.status === 'loading' ? engine.previous : undefined
  const lost = watch !== undefined && watch.state !== 'connected'

  const close = () => {
    setOpen(false)
    trigger.current?.focus()
  }

  useEffect(() => {
    if (!open) return
    const closeOutside = (event: MouseEvent) => {
      if (!root.current?.contains(event.target as Node)) setOpen(false)
    }
    const closeOnEscape = (event: globalThis.KeyboardEvent) => {
      if (event.key === 'Escape') close()
    }
    document.addEventListener('mousedown', closeOutside)
    document.addEventListener('keydown', closeOnEscape)
    return () => {
      document.removeEventListener('mousedown', closeOutside)
      document.removeEventListener('keydown', closeOnEscape)
    }
  }, [open])

  return (
    <div className="engine-status" ref={root}>
      <button
        ref={trigger}
        type="button"
        className="engine-trigger"
        aria-haspopup="menu"
        aria-expanded={open}
        title={info ? `API ${info.apiVersion} · ${info.os}/${info.architecture}. Choose another engine.` : 'Choose the engine'}
        onClick={() => setOpen((value) => !value)}
      >
        {info !== undefined ? (
          <>
            <span className={lost ? 'status-dot status-dot--warning' : 'status-dot status-dot--ok'} aria-hidden="true" />
            <span className="engine-lines">
              <span className="engine-line">
                <span className="engine-product">
                  {info.product} {info.version}
                </span>
                <span className="engine-source">{sourceOf(info, watch)}</span>
              </span>
              <code className="engine-endpoint">{info.endpoint}</code>
            </span>
          </>
        ) : engine.status === 'error' ? (
          <>
            <span className="status-dot status-dot--error" aria-hidden="true" />
            <span className="engine-lines">
              <span className="engine-product">Not connected</span>
              {watch?.endpoint && <code className="engine-endpoint">{watch.endpoint}</code>}
            </span>
          </>
        ) : (
          <>
            <span className="status-dot status-dot--pending" aria-hidden="true" />
            <span className="engine-product">Connecting…</span>
          </>
        )}
        <span className="engine-caret" aria-hidden="true">
          ▾
        </span>
      </button>
      {open && (
        <ConnectionMenu
          onClose={close}
          onSelected={() => {
            close()
            onSelected()
          }}
        />
      )}
    </div>
  )
}

function ConnectionMenu({ onClose, onSelected }: { onClose: () => void; onSelected: () => void }) {
  const api = useApi()
  const menu = useRef<HTMLDivElement>(null)
  const [choices, setChoices] = useState<ConnectionChoice[] | undefined>()
  const [failure, setFailure] = useState<ApiError | undefined>()
  const [switching, setSwitching] = useState<string | undefined>()

  useEffect(() => {
    let current = true
    void settle(() => api.listConnections()).then((result) => {
      if (!current) return
      if (result.ok) setChoices(result.value)
      else setFailure(result.error)
    })
    return () => {
      current = false
    }
  }, [api])

  // The engine in use takes the focus, else the first one that can be chosen.
  useEffect(() => {
    const enabled = (selector: string) => menu.current?.querySelector<HTMLButtonElement>(`${selector}:not(:disabled)`)
    const first = enabled('[aria-checked="true"]') ?? enabled('[role="menuitemradio"]')
    first?.focus()
  }, [choices])

  const choose = (choice: ConnectionChoice) => {
    if (choice.selected) return onClose()
    setSwitching(choice.id)
    setFailure(undefined)
    void settle(() => api.selectConnection(choice.id)).then((result) => {
      setSwitching(undefined)
      if (result.ok) onSelected()
      else setFailure(result.error)
    })
  }

  const onKey = (event: KeyboardEvent<HTMLDivElement>) => {
    if (event.key !== 'ArrowDown' && event.key !== 'ArrowUp') return
    event.preventDefault()
    const options = Array.from(menu.current?.querySelectorAll<HTMLButtonElement>('[role="menuitemradio"]:not(:disabled)') ?? [])
    const position = options.indexOf(document.activeElement as HTMLButtonElement)
    options[(position + (event.key === 'ArrowDown' ? 1 : options.length - 1)) % options.length]?.focus()
  }

  return (
    <div className="connection-menu" role="menu" aria-label="Choose the engine" ref={menu} onKeyDown={onKey}>
      <div className="connection-menu-title">Engines</div>
      {choices === undefined && failure === undefined && <Spinner label="Asking each engine…" />}
      {choices?.map((choice) => (
        <button
          key={choice.id}
          type="button"
          role="menuitemradio"
          aria-checked={choice.selected}
          className={choice.selected ? 'connection-option connection-option--selected' : 'connection-option'}
          disabled={choice.url === undefined || switching !== undefined}
          onClick={() => choose(choice)}
        >
          <span className="connection-radio" aria-hidden="true" />
          <span className="connection-main">
            <span className="connection-label">
              {choice.label}
              {choice.environmentDefault && (
                <span className="badge badge--neutral" title="What Layerlens uses unless you choose another: DOCKER_HOST, else the current docker context, else the local socket.">
                  default
                </span>
              )}
            </span>
            {choice.url !== undefined && <code className="connection-url">{choice.url}</code>}
            {choice.error !== undefined && <span className="connection-error">{choice.error.message}</span>}
          </span>
          <span className={choice.engine ? 'connection-engine' : 'connection-engine connection-engine--down'}>
            {switching === choice.id ? 'Switching…' : choice.engine ? `${choice.engine.product} ${choice.engine.version}` : choice.url === undefined ? 'Unusable' : 'Not answering'}
          </span>
        </button>
      ))}
      {failure !== undefined && (
        <p className="connection-failure" role="alert">
          {failure.message} {failure.fix}
        </p>
      )}
      <p className="connection-menu-foot">
        From DOCKER_HOST, your docker contexts and the local Docker and Podman sockets. The choice lasts until Layerlens is closed.
      </p>
    </div>
  )
}
