import { useEffect, useRef, useState, type ReactNode } from 'react'
import type { ImageAnalysis, Step } from '../../../src-main/engine/model'
import { escapeControlCharacters } from '../../../src-preload/contract'
import { formatBytes } from '../format'
import { InstructionBadge } from './Badges'
import type { StepSelection } from './ImageView'

/** Commands longer than this (or with more lines) start folded. */
const FOLD_CHARACTERS = 320
const FOLD_LINES = 4

export function stepRowId(index: number): string {
  return `step-${index}`
}

export function StepTable({
  analysis,
  selection,
  onSelectStep,
  stepNotes
}: {
  analysis: ImageAnalysis
  selection: StepSelection | null
  onSelectStep: (index: number) => void
  /** Shown under each step's command, e.g. its Dockerfile line. */
  stepNotes?: ReadonlyMap<number, ReactNode>
}) {
  const { steps, base } = analysis
  const emptyCount = steps.filter((step) => step.emptyLayer).length

  useEffect(() => {
    if (selection === null) return
    const row = document.getElementById(stepRowId(selection.index))
    row?.scrollIntoView({ behavior: 'smooth', block: 'center' })
    row?.focus({ preventScroll: true })
  }, [selection])

  return (
    <section className="panel" id="steps-section" aria-labelledby="steps-title">
      <div className="panel-heading">
        <h2 id="steps-title">Build steps</h2>
        <span className="muted">
          {steps.length} steps · {steps.length - emptyCount} made a layer · {emptyCount} metadata only
        </span>
      </div>
      <table className="data-table steps-table">
        <thead>
          <tr>
            <th scope="col" className="numeric">
              #
            </th>
            <th scope="col">Instruction</th>
            <th scope="col">Command</th>
            <th scope="col" className="numeric">
              Size
            </th>
            <th scope="col">Origin</th>
          </tr>
        </thead>
        <tbody>
          {steps.map((step) => (
            <StepRows
              key={step.index}
              step={step}
              baseBoundary={base.method !== 'none' && step.index === base.stepCount && base.stepCount > 0}
              baseName={base.name}
              selected={selection?.index === step.index}
              onSelect={() => onSelectStep(step.index)}
              note={stepNotes?.get(step.index)}
            />
          ))}
        </tbody>
      </table>
    </section>
  )
}

function StepRows({
  step,
  baseBoundary,
  baseName,
  selected,
  onSelect,
  note
}: {
  step: Step
  baseBoundary: boolean
  baseName: string | undefined
  selected: boolean
  onSelect: () => void
  note: ReactNode
}) {
  const classes = ['step-row', step.emptyLayer ? 'step-row--empty' : '', step.inBase ? 'step-row--base' : 'step-row--own', selected ? 'step-row--selected' : '']
  return (
    <>
      {baseBoundary && (
        <tr className="boundary-row">
          <td colSpan={5}>
            <span>
              Base image{baseName !== undefined ? ` ${baseName}` : ''} ends here — your Dockerfile starts below
            </span>
          </td>
        </tr>
      )}
      <tr id={stepRowId(step.index)} className={classes.join(' ')} tabIndex={-1} aria-selected={selected} onClick={onSelect}>
        <td className="numeric step-number">{step.index + 1}</td>
        <td>
          <InstructionBadge instruction={step.instruction} />
        </td>
        <td className="command-cell">
          <Command step={step} />
          {note}
        </td>
        <td className="numeric">{step.emptyLayer ? <span className="muted" title="This step changed only metadata and made no layer">—</span> : formatBytes(step.size)}</td>
        <td>
          <span className={step.inBase ? 'origin origin--base' : 'origin origin--own'}>{step.inBase ? 'base' : 'yours'}</span>
        </td>
      </tr>
    </>
  )
}

function Command({ step }: { step: Step }) {
  const text = escapeControlCharacters(step.args !== '' ? step.args : step.createdBy)
  const foldable = text.length > FOLD_CHARACTERS || text.split('\n').length > FOLD_LINES
  const [expanded, setExpanded] = useState(false)
  const buildArgs = Object.entries(step.buildArgs ?? {})
  const preRef = useRef<HTMLPreElement>(null)

  return (
    <div className="command">
      <pre ref={preRef} className={foldable && !expanded ? 'command-text command-text--folded' : 'command-text'}>
        {text === '' ? <span className="muted">(no command recorded{step.comment ? `: ${step.comment}` : ''})</span> : text}
      </pre>
      {buildArgs.length > 0 && (
        <div className="build-args" aria-label="Build arguments used by this step">
          {buildArgs.map(([key, value]) => (
            <code key={key} className="chip">
              {key}={value}
            </code>
          ))}
        </div>
      )}
      {foldable && (
        <button
          type="button"
          className="link-button"
          aria-expanded={expanded}
          onClick={(event) => {
            event.stopPropagation()
            setExpanded(!expanded)
            if (expanded) preRef.current?.scrollIntoView({ block: 'nearest' })
          }}
        >
          {expanded ? 'Show less' : `Show full command (${text.length.toLocaleString('en')} characters)`}
        </button>
      )}
    </div>
  )
}
