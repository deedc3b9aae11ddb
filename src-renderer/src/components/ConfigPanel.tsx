import type { ReactNode } from 'react'
import type { ConfigSummary } from '../../../src-main/engine/model'
import { escapeControlCharacters } from '../../../src-preload/contract'

export function isRootUser(user: string): boolean {
  const name = user.split(':')[0] ?? ''
  return name === '' || name === 'root' || name === '0'
}

export function ConfigPanel({ config }: { config: ConfigSummary }) {
  const labels = Object.entries(config.labels)
  return (
    <section className="panel" id="config-section" aria-labelledby="config-title">
      <div className="panel-heading">
        <h2 id="config-title">Configuration</h2>
        <span className="muted">What a container of this image starts with</span>
      </div>
      <dl className="config-list">
        <ConfigRow label="User">
          {isRootUser(config.user) ? (
            <span className="user-root">
              <code>{config.user === '' ? '(not set)' : config.user}</code>
              <span className="badge badge--warning">root</span>
              <span className="muted">the container runs as root</span>
            </span>
          ) : (
            <code>{config.user}</code>
          )}
        </ConfigRow>
        <ConfigRow label="Entrypoint">
          <CommandLine words={config.entrypoint} />
        </ConfigRow>
        <ConfigRow label="Cmd">
          <CommandLine words={config.cmd} />
        </ConfigRow>
        <ConfigRow label="Working dir">{config.workingDir === '' ? <NotSet note="commands run in /" /> : <code>{config.workingDir}</code>}</ConfigRow>
        <ConfigRow label="Exposed ports">
          {config.exposedPorts.length === 0 ? (
            <NotSet />
          ) : (
            <span className="chips">
              {config.exposedPorts.map((port) => (
                <code key={port} className="chip">
                  {port}
                </code>
              ))}
            </span>
          )}
        </ConfigRow>
        <ConfigRow label="Healthcheck">{config.healthcheck === null ? <NotSet /> : <CommandLine words={config.healthcheck} />}</ConfigRow>
        {config.volumes.length > 0 && (
          <ConfigRow label="Volumes">
            <span className="chips">
              {config.volumes.map((volume) => (
                <code key={volume} className="chip">
                  {volume}
                </code>
              ))}
            </span>
          </ConfigRow>
        )}
        {config.stopSignal !== undefined && (
          <ConfigRow label="Stop signal">
            <code>{config.stopSignal}</code>
          </ConfigRow>
        )}
        <ConfigRow label={`Environment (${config.env.length})`}>
          {config.env.length === 0 ? (
            <NotSet />
          ) : (
            <table className="kv-table">
              <tbody>
                {config.env.map((variable) => (
                  <tr key={variable.key} className={variable.masked ? 'kv-row--masked' : undefined}>
                    <th scope="row">
                      <code>{escapeControlCharacters(variable.key)}</code>
                    </th>
                    <td>
                      {variable.masked ? (
                        <span className="masked-value">
                          <span className="badge badge--warning">masked</span>
                          <span className="muted">value hidden: it looks like a secret</span>
                        </span>
                      ) : (
                        <code className="wrap">{escapeControlCharacters(variable.value)}</code>
                      )}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </ConfigRow>
        <ConfigRow label={`Labels (${labels.length})`}>
          {labels.length === 0 ? (
            <NotSet />
          ) : (
            <table className="kv-table">
              <tbody>
                {labels.map(([key, value]) => (
                  <tr key={key}>
                    <th scope="row">
                      <code>{escapeControlCharacters(key)}</code>
                    </th>
                    <td>
                      <code className="wrap">{escapeControlCharacters(value)}</code>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </ConfigRow>
      </dl>
    </section>
  )
}

function ConfigRow({ label, children }: { label: string; children: ReactNode }) {
  return (
    <div className="config-row">
      <dt>{label}</dt>
      <dd>{children}</dd>
    </div>
  )
}

function NotSet({ note }: { note?: string }) {
  return (
    <span className="muted">
      not set{note !== undefined ? ` — ${note}` : ''}
    </span>
  )
}

/** Shows a Cmd/Entrypoint/Healthcheck as the JSON array it is, and says when it goes through a shell. */
function CommandLine({ words }: { words: string[] | null }) {
  if (words === null || words.length === 0) return <NotSet />
  const shellForm = words[0] === '/bin/sh' && words[1] === '-c'
  return (
    <span className="command-line">
      <code className="wrap">{JSON.stringify(words)}</code>
      {shellForm && <span className="badge badge--warning">shell form</span>}
    </span>
  )
}
