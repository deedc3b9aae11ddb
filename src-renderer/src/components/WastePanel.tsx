import { useState, type ReactNode } from 'react'
import type { ContentsSummary, Step, WasteStatement } from '../../../src-main/engine/model'
import type { ScanState } from '../../../src-preload/contract'
import { formatBytes, formatPercent, plural } from '../format'
import { InstructionBadge } from './Badges'
import { RichText } from './RichText'

/** Enough to see the big items; the rest unfold on request. */
const FOLDED_STATEMENT_COUNT = 5

const REASON_LABELS: Record<WasteStatement['reason'], string> = {
  deleted: 'deleted later',
  overwritten: 'overwritten later',
  'hidden-by-opaque': 'hidden by an opaque whiteout'
}

export function WastePanel({
  contents,
  scanState,
  steps,
  onSelectStep,
  onRevealPath
}: {
  contents: ContentsSummary | undefined
  scanState: ScanState | undefined
  steps: Step[]
  onSelectStep: (index: number) => void
  /** Shows `path` in the file explorer, at the layer of `stepIndex`. */
  onRevealPath: (path: string, stepIndex: number) => void
}) {
  const [expanded, setExpanded] = useState(false)

  return (
    <section className="panel waste-panel" id="waste-section" aria-labelledby="waste-title">
      <div className="panel-heading">
        <h2 id="waste-title">Where the bytes go</h2>
        <span className="muted">Measured from the files in every layer</span>
      </div>
      {contents === undefined ? (
        <p className="muted waste-pending">
          {scanState === 'running' || scanState === undefined
            ? 'These figures appear when the scan has read every layer.'
            : 'Not available: the layer scan did not finish. Start it again from the bar above.'}
        </p>
      ) : (
        <>
          <dl className="waste-figures">
            <Figure label="Shipped" value={formatBytes(contents.shippedBytes)} detail={`file contents in ${plural(contents.layers.length, 'layer')}`} />
            <Figure label="Final filesystem" value={formatBytes(contents.finalBytes)} detail={`${contents.fileCount.toLocaleString('en')} paths after the last layer`} />
            <Figure
              label="Reclaimable"
              value={formatBytes(contents.reclaimableBytes)}
              detail={
                contents.shippedBytes > 0
                  ? `${formatPercent(contents.reclaimableBytes / contents.shippedBytes)} of what ships is deleted or overwritten later`
                  : 'nothing ships'
              }
              tone={contents.reclaimableBytes > 0 ? 'warning' : 'good'}
            />
            <Figure
              label="dive efficiency (computed dive's way)"
              value={formatPercent(contents.dive.efficiency)}
              detail={`dive's “wasted bytes”: ${formatBytes(contents.dive.wastedBytes)} (it also counts the copy that stays)`}
            />
          </dl>
          {contents.waste.length === 0 ? (
            <p className="all-clear">No step deletes or overwrites what an earlier step shipped.</p>
          ) : (
            <>
              <h3 className="waste-list-title">
                What later steps removed, largest first <span className="count-pill">{contents.waste.length}</span>
              </h3>
              <ol className="waste-list">
                {(expanded ? contents.waste : contents.waste.slice(0, FOLDED_STATEMENT_COUNT)).map((statement, position) => (
                  <li key={`${statement.path}-${statement.removedByStep}-${position}`} className="waste-item" data-testid="waste-statement">
                    <span className="waste-bytes">{formatBytes(statement.bytes)}</span>
                    <div className="waste-body">
                      <p className="waste-sentence">
                        <RichText text={statement.sentence} />
                      </p>
                      <div className="waste-links">
                        <span className={`waste-reason waste-reason--${statement.reason}`}>{REASON_LABELS[statement.reason]}</span>
                        <button
                          type="button"
                          className="path-link"
                          onClick={() => onRevealPath(statement.path, statement.shippedBy[0]?.stepIndex ?? statement.removedByStep)}
                          title="Show this path in the file explorer"
                        >
                          {statement.path}
                        </button>
                        {statement.shippedBy.map((shipped) => (
                          <StepLink key={shipped.stepIndex} step={steps[shipped.stepIndex]} index={shipped.stepIndex} onSelectStep={onSelectStep}>
                            shipped by step {shipped.stepIndex + 1} ({formatBytes(shipped.bytes)})
                          </StepLink>
                        ))}
                        <StepLink step={steps[statement.removedByStep]} index={statement.removedByStep} onSelectStep={onSelectStep}>
                          removed by step {statement.removedByStep + 1}
                        </StepLink>
                      </div>
                    </div>
                  </li>
                ))}
              </ol>
              {contents.waste.length > FOLDED_STATEMENT_COUNT && (
                <button type="button" className="link-button" aria-expanded={expanded} onClick={() => setExpanded(!expanded)}>
                  {expanded ? 'Show the largest only' : `Show all ${contents.waste.length} statements`}
                </button>
              )}
            </>
          )}
        </>
      )}
    </section>
  )
}

function Figure({ label, value, detail, tone }: { label: string; value: string; detail: string; tone?: 'warning' | 'good' }) {
  return (
    <div className={tone === undefined ? 'waste-figure' : `waste-figure waste-figure--${tone}`}>
      <dt>{label}</dt>
      <dd>
        <span className="waste-figure-value">{value}</span>
        <span className="waste-figure-detail">{detail}</span>
      </dd>
    </div>
  )
}

function StepLink({
  step,
  index,
  onSelectStep,
  children
}: {
  step: Step | undefined
  index: number
  onSelectStep: (index: number) => void
  children: ReactNode
}) {
  return (
    <button type="button" className="step-link step-link--compact" onClick={() => onSelectStep(index)} title={step?.args ?? ''}>
      {step !== undefined && <InstructionBadge instruction={step.instruction} />}
      <span>{children}</span>
    </button>
  )
}
