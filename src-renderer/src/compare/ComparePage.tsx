import { useEffect, useState, type FormEvent } from 'react'
import type { FileChanges, FindingSummary, ImageComparison, StepRow } from '../../../src-main/engine/compare'
import type { ImageSummary } from '../../../src-main/engine/model'
import { useApi } from '../api/ApiContext'
import { useResult } from '../api/useResult'
import { InstructionBadge, SeverityBadge } from '../components/Badges'
import { displayName } from '../components/ImageList'
import { ErrorState, Spinner } from '../components/States'
import { formatBytes, plural } from '../format'
import { navigate } from '../routing'

/** Two images side by side, typically before and after a fix. */
export function ComparePage({ before, after, generation, onRetry }: { before?: string; after?: string; generation: number; onRetry: () => void }) {
  const api = useApi()
  const images = useResult(() => api.listImages(), `images:${generation}`)
  const ready = before !== undefined && after !== undefined
  const comparison = useResult(
    () => (ready ? api.compareImages(before, after) : Promise.resolve({ ok: true as const, value: null })),
    `compare:${before ?? ''}:${after ?? ''}:${generation}`
  )

  useEffect(() => {
    document.title = 'Compare — Layerlens'
    return () => {
      document.title = 'Layerlens'
    }
  }, [])

  return (
    <div className="compare-view">
      <div className="view-bar">
        <button type="button" className="button button--ghost back-button" onClick={() => navigate({ view: 'list' })}>
          ← All images
        </button>
      </div>
      <section className="panel" aria-labelledby="compare-title">
        <div className="panel-heading">
          <h2 id="compare-title">Compare two images</h2>
          <span className="muted">Both images are scanned layer by layer; that can take a minute for big images.</span>
        </div>
        <ComparePicker images={images.status === 'ok' ? images.value : []} before={before} after={after} />
      </section>
      {ready && comparison.status === 'loading' && (
        <section className="panel">
          <Spinner label={`Scanning and comparing ${before} and ${after}…`} />
        </section>
      )}
      {comparison.status === 'error' && <ErrorState title="Layerlens could not compare these images" error={comparison.error} onRetry={onRetry} />}
      {comparison.status === 'ok' && comparison.value !== null && <ComparisonView comparison={comparison.value} />}
    </div>
  )
}

function ComparePicker({ images, before, after }: { images: readonly ImageSummary[]; before?: string; after?: string }) {
  const [chosenBefore, setChosenBefore] = useState(before ?? '')
  const [chosenAfter, setChosenAfter] = useState(after ?? '')
  useEffect(() => setChosenBefore(before ?? ''), [before])
  useEffect(() => setChosenAfter(after ?? ''), [after])
  const options = images.map((image) => ({ value: image.repoTags[0] ?? image.id, label: displayName(image) }))
  // A ref given in the address that the list does not name (an id, another tag) stays choosable.
  for (const ref of [before, after]) if (ref !== undefined && !options.some((option) => option.value === ref)) options.unshift({ value: ref, label: ref })

  const submit = (event: FormEvent) => {
    event.preventDefault()
    navigate({ view: 'compare', before: chosenBefore, after: chosenAfter })
  }
  return (
    <form className="compare-picker" onSubmit={submit}>
      <ImageSelect label="Before" value={chosenBefore} options={options} onChange={setChosenBefore} />
      <ImageSelect label="After" value={chosenAfter} options={options} onChange={setChosenAfter} />
      <button type="submit" className="button button--primary" disabled={chosenBefore === '' || chosenAfter === ''}>
        Compare
      </button>
    </form>
  )
}

interface ImageOption {
  value: string
  label: string
}

function ImageSelect({ label, value, options, onChange }: { label: string; value: string; options: ImageOption[]; onChange: (value: string) => void }) {
  return (
    <label className="attach-field">
      <span>{label}</span>
      <select value={value} onChange={(event) => onChange(event.target.value)} required>
        <option value="">Choose an image…</option>
        {options.map((option) => (
          <option key={option.value} value={option.value}>
            {option.label}
          </option>
        ))}
      </select>
    </label>
  )
}

const signedBytes = (delta: number): string => (delta === 0 ? '±0 B' : `${delta < 0 ? '−' : '+'}${formatBytes(Math.abs(delta))}`)
const deltaClass = (delta: number): string => (delta < 0 ? 'delta delta--smaller' : delta > 0 ? 'delta delta--bigger' : 'delta')

function ComparisonView({ comparison }: { comparison: ImageComparison }) {
  const { before, after } = comparison
  return (
    <>
      <section className="panel verdict-panel" aria-label="Verdict">
        <p className={`verdict ${comparison.sizeDelta < 0 ? 'verdict--smaller' : ''}`} data-testid="verdict">
          {comparison.verdict}
        </p>
        <div className="compare-sides">
          {[
            { label: 'Before', image: before },
            { label: 'After', image: after }
          ].map(({ label, image }) => (
            <div key={label} className="compare-side">
              <span className="muted">{label}</span>
              <strong>{image.name}</strong>
              <span className="compare-size">{formatBytes(image.size)}</span>
              <span className="muted">
                base: {image.base.name ?? 'unknown'} ({image.base.family}, {formatBytes(image.base.size)})
              </span>
            </div>
          ))}
        </div>
      </section>
      <StepsCompared comparison={comparison} />
      <FindingsCompared findings={comparison.findings} />
      {comparison.files !== undefined && <FilesCompared files={comparison.files} />}
    </>
  )
}

function StepCell({ step }: { step: StepRow['before'] }) {
  if (step === undefined) return <td className="muted compare-empty">—</td>
  return (
    <td>
      <div className="compare-step">
        <InstructionBadge instruction={step.instruction} />
        <code className="compare-args" title={step.args}>
          {step.args}
        </code>
      </div>
    </td>
  )
}

function StepsCompared({ comparison }: { comparison: ImageComparison }) {
  const { base } = comparison
  return (
    <section className="panel" aria-labelledby="compare-steps-title">
      <div className="panel-heading">
        <h2 id="compare-steps-title">Sizes by step</h2>
        <span className="muted">Steps matched by instruction; a step only on one side is added or removed</span>
      </div>
      <table className="data-table compare-table">
        <thead>
          <tr>
            <th scope="col">Before</th>
            <th scope="col" className="numeric">Size</th>
            <th scope="col">After</th>
            <th scope="col" className="numeric">Size</th>
            <th scope="col" className="numeric">Change</th>
          </tr>
        </thead>
        <tbody>
          <tr className="compare-base-row">
            <td>Base image</td>
            <td className="numeric">{formatBytes(base.before)}</td>
            <td>Base image</td>
            <td className="numeric">{formatBytes(base.after)}</td>
            <td className={`numeric ${deltaClass(base.delta)}`}>{signedBytes(base.delta)}</td>
          </tr>
          {comparison.steps.map((row, index) => (
            <tr key={index} className={`compare-row compare-row--${row.match}`}>
              <StepCell step={row.before} />
              <td className="numeric">{row.before !== undefined ? formatBytes(row.before.size) : ''}</td>
              <StepCell step={row.after} />
              <td className="numeric">{row.after !== undefined ? formatBytes(row.after.size) : ''}</td>
              <td className={`numeric ${deltaClass(row.delta)}`}>
                {signedBytes(row.delta)}
                <span className="match-label">{row.match}</span>
              </td>
            </tr>
          ))}
          <tr className="compare-total-row">
            <th scope="row">Total</th>
            <td className="numeric">{formatBytes(comparison.before.size)}</td>
            <td />
            <td className="numeric">{formatBytes(comparison.after.size)}</td>
            <td className={`numeric ${deltaClass(comparison.sizeDelta)}`}>{signedBytes(comparison.sizeDelta)}</td>
          </tr>
        </tbody>
      </table>
    </section>
  )
}

function FindingList({ title, findings, tone }: { title: string; findings: readonly FindingSummary[]; tone: string }) {
  return (
    <div className={`finding-column finding-column--${tone}`}>
      <h3>
        {title} <span className="count-pill">{findings.length}</span>
      </h3>
      {findings.length === 0 ? (
        <p className="muted">None</p>
      ) : (
        <ul>
          {findings.map((finding, index) => (
            <li key={index}>
              <SeverityBadge severity={finding.severity} /> {finding.title}
            </li>
          ))}
        </ul>
      )}
    </div>
  )
}

function FindingsCompared({ findings }: { findings: ImageComparison['findings'] }) {
  return (
    <section className="panel" aria-labelledby="compare-findings-title">
      <div className="panel-heading">
        <h2 id="compare-findings-title">Findings</h2>
      </div>
      <div className="finding-columns">
        <FindingList title="Resolved" findings={findings.resolved} tone="resolved" />
        <FindingList title="New" findings={findings.new} tone="new" />
        <FindingList title="Unchanged" findings={findings.unchanged} tone="unchanged" />
      </div>
    </section>
  )
}

function FolderTable({ caption, folders, total }: { caption: string; folders: FileChanges['added']; total: FileChanges['addedTotal'] }) {
  return (
    <table className="data-table compact-table">
      <caption>
        {caption}: {plural(total.files, 'file')}, {formatBytes(total.bytes)}
      </caption>
      <thead>
        <tr>
          <th scope="col">Folder</th>
          <th scope="col" className="numeric">Files</th>
          <th scope="col" className="numeric">Size</th>
        </tr>
      </thead>
      <tbody>
        {folders.map((folder) => (
          <tr key={folder.folder}>
            <td><code>{folder.folder}</code></td>
            <td className="numeric">{folder.files.toLocaleString('en')}</td>
            <td className="numeric">{formatBytes(folder.bytes)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  )
}

function FilesCompared({ files }: { files: FileChanges }) {
  return (
    <section className="panel" aria-labelledby="compare-files-title">
      <div className="panel-heading">
        <h2 id="compare-files-title">Files added and removed</h2>
        <span className="muted">In the final filesystem, by folder, biggest first</span>
      </div>
      <div className="finding-columns finding-columns--two">
        <FolderTable caption="Removed" folders={files.removed} total={files.removedTotal} />
        <FolderTable caption="Added" folders={files.added} total={files.addedTotal} />
      </div>
    </section>
  )
}
