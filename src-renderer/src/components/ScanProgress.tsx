import type { ReactNode } from 'react'
import type { ScanTracking } from '../api/useScan'
import { formatBytes, plural } from '../format'
import { RichText } from './RichText'

/** Where the read of the layer contents stands: progress, the finished read, or why it stopped. */
export function ScanProgress({ scan }: { scan: ScanTracking }) {
  const { status, requestError, cancelling, cancel, restart } = scan

  if (requestError !== null) {
    return (
      <ScanPanel kind="failed" title="The layer scan could not run">
        <ProblemText message={requestError.message} fix={requestError.fix} />
        <button type="button" className="button button--primary" onClick={restart}>
          Retry
        </button>
      </ScanPanel>
    )
  }

  if (status === null) {
    return (
      <ScanPanel kind="running" title="Starting to read the layers…">
        <ProgressBar fraction={null} label="Starting the layer scan" />
      </ScanPanel>
    )
  }

  const layersRead = `${status.layersDone} of ${plural(status.layerCount, 'layer')}`
  switch (status.state) {
    case 'running': {
      // The engine takes a few seconds to produce the first byte of an export: say so rather than show 0%.
      const waiting = status.bytesRead === 0 && status.layersDone === 0
      const fraction = !waiting && status.totalBytes > 0 ? Math.min(status.bytesRead / status.totalBytes, 1) : null
      return (
        <ScanPanel kind="running" title="Reading the layer contents">
          <div className="scan-main">
            <ProgressBar fraction={fraction} label="Layer contents read" />
            <p className="scan-figures">
              {waiting ? (
                `Waiting for the engine to start the export of ${formatBytes(status.totalBytes)} (the first bytes can take a few seconds)…`
              ) : (
                <>
                  <strong>{formatBytes(status.bytesRead)}</strong> of {formatBytes(status.totalBytes)} read · {layersRead} done
                </>
              )}
              {fraction !== null && <span className="scan-percent">{Math.floor(fraction * 100)}%</span>}
            </p>
            <p className="scan-note">Metadata and history findings are below already; findings from the files appear as each layer arrives.</p>
          </div>
          <button type="button" className="button" onClick={cancel} disabled={cancelling}>
            {cancelling ? 'Cancelling…' : 'Cancel scan'}
          </button>
        </ScanPanel>
      )
    }
    case 'done':
      return (
        <ScanPanel kind="done" title="Layer contents read">
          <p className="scan-figures">
            {plural(status.layerCount, 'layer')} · {status.bytesRead > 0 ? `${formatBytes(status.bytesRead)} read` : 'all known from earlier scans'}
            {status.contents !== undefined && ` · ${status.contents.fileCount.toLocaleString('en')} paths in the final filesystem`}. Findings from
            the files are complete.
          </p>
        </ScanPanel>
      )
    case 'cancelled':
      return (
        <ScanPanel kind="stopped" title="Scan cancelled">
          <p className="scan-figures">
            Stopped after {layersRead} ({formatBytes(status.bytesRead)} of {formatBytes(status.totalBytes)}). Findings from the files, the waste
            figures and the file explorer are incomplete or missing; the metadata and history findings are complete.
          </p>
          <button type="button" className="button button--primary" onClick={restart}>
            Start the scan again
          </button>
        </ScanPanel>
      )
    case 'failed':
      return (
        <ScanPanel kind="failed" title={`The layer scan failed after ${layersRead}`}>
          {status.error !== undefined ? (
            <ProblemText message={status.error.message} fix={status.error.fix} />
          ) : (
            <p className="scan-figures">The service gave no reason. Findings from the files are incomplete.</p>
          )}
          <button type="button" className="button button--primary" onClick={restart}>
            Retry
          </button>
        </ScanPanel>
      )
  }
}

type PanelKind = 'running' | 'done' | 'stopped' | 'failed'

const PANEL_GLYPHS: Record<PanelKind, string> = { running: '', done: '✓', stopped: '■', failed: '!' }

function ScanPanel({ kind, title, children }: { kind: PanelKind; title: string; children: ReactNode }) {
  return (
    <section
      className={`panel scan-panel scan-panel--${kind}`}
      data-testid="scan-progress"
      data-state={kind}
      aria-labelledby="scan-title"
      role={kind === 'failed' ? 'alert' : undefined}
      aria-live={kind === 'failed' ? undefined : 'polite'}
    >
      <div className={`scan-glyph scan-glyph--${kind}`} aria-hidden="true">
        {kind === 'running' ? <span className="spinner" /> : PANEL_GLYPHS[kind]}
      </div>
      <div className="scan-body">
        <h2 id="scan-title" className="scan-title">
          {title}
        </h2>
        <div className="scan-content">{children}</div>
      </div>
    </section>
  )
}

function ProgressBar({ fraction, label }: { fraction: number | null; label: string }) {
  const percent = fraction === null ? undefined : Math.round(fraction * 1000) / 10
  return (
    <div
      className={fraction === null ? 'progress progress--indeterminate' : 'progress'}
      role="progressbar"
      aria-label={label}
      aria-valuemin={0}
      aria-valuemax={100}
      aria-valuenow={percent}
    >
      <div className="progress-fill" style={{ width: percent === undefined ? undefined : `${percent}%` }} />
    </div>
  )
}

function ProblemText({ message, fix }: { message: string; fix: string }) {
  return (
    <div className="scan-problem">
      <p>
        <RichText text={message} />
      </p>
      <p className="scan-fix">
        <strong>How to fix it: </strong>
        <RichText text={fix} />
      </p>
    </div>
  )
}
