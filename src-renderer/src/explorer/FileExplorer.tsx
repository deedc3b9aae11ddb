import { useDeferredValue, useEffect, useMemo, useState } from 'react'
import type { ContentsSummary, FileRow, ImageAnalysis } from '../../../src-main/engine/model'
import type { FileView, ScanState } from '../../../src-preload/contract'
import { useApi } from '../api/ApiContext'
import { useResult } from '../api/useResult'
import { InstructionBadge } from '../components/Badges'
import { ErrorState, Skeleton, Spinner } from '../components/States'
import { formatBytes } from '../format'
import { buildTree, pathMatcher, sortTree, type SortKey } from './fileTree'
import { FileTreeView, type RevealRequest } from './FileTreeView'

/** The layer the explorer shows, and optionally a path to reveal in it; `nonce` repeats a request. */
export interface ExplorerTarget {
  layerIndex: number
  revealPath?: string
  nonce: number
}

export function FileExplorer({
  analysis,
  contents,
  scanState,
  scanId,
  target,
  onSelectLayer
}: {
  analysis: ImageAnalysis
  contents: ContentsSummary | undefined
  scanState: ScanState | undefined
  /** What layerFiles knows the scan by: the image id, or an opened snapshot's handle. */
  scanId: string
  target: ExplorerTarget | null
  onSelectLayer: (layerIndex: number) => void
}) {
  const [view, setView] = useState<FileView>('layer')
  const [filter, setFilter] = useState('')
  const [sort, setSort] = useState<SortKey>('name')
  const layerIndex = target?.layerIndex ?? Math.max(analysis.layers.length - 1, 0)
  const layer = analysis.layers[layerIndex]
  const step = layer?.stepIndex !== undefined ? analysis.steps[layer.stepIndex] : undefined
  const reveal = useMemo<RevealRequest | null>(
    () => (target?.revealPath !== undefined ? { path: target.revealPath, nonce: target.nonce } : null),
    [target]
  )

  return (
    <section className="panel explorer" id="files-section" aria-labelledby="files-title">
      <div className="panel-heading">
        <h2 id="files-title">Files</h2>
        {layer !== undefined && (
          <span className="explorer-where">
            <strong>Layer {layerIndex + 1}</strong>
            {step !== undefined && (
              <>
                <InstructionBadge instruction={step.instruction} />
                <code className="explorer-command">{step.args.replace(/\s+/g, ' ') || '(no command recorded)'}</code>
                <span className="muted">step {step.index + 1}</span>
              </>
            )}
            <span className="muted">{formatBytes(layer.size)}</span>
          </span>
        )}
      </div>
      <div className="explorer-toolbar">
        <div className="segmented" role="group" aria-label="Which files">
          <button type="button" aria-pressed={view === 'layer'} onClick={() => setView('layer')} title="Only what this layer added, modified or removed">
            This layer only
          </button>
          <button type="button" aria-pressed={view === 'cumulative'} onClick={() => setView('cumulative')} title="The whole filesystem as it stands after this layer">
            All layers up to here
          </button>
        </div>
        <label className="explorer-filter">
          <input
            type="search"
            placeholder="Filter by path: text, or a glob like *.pyc or /app/**"
            value={filter}
            onChange={(event) => setFilter(event.target.value)}
            aria-label="Filter by path"
            spellCheck={false}
          />
        </label>
        <div className="segmented" role="group" aria-label="Sort files by">
          <button type="button" aria-pressed={sort === 'name'} onClick={() => setSort('name')}>
            Name
          </button>
          <button type="button" aria-pressed={sort === 'size'} onClick={() => setSort('size')}>
            Size
          </button>
        </div>
      </div>
      <div className="explorer-body">
        <LayerList analysis={analysis} contents={contents} selected={layerIndex} onSelect={onSelectLayer} />
        <div className="explorer-files">
          {scanState === 'done' ? (
            <LayerFiles
              key={`${scanId}:${layerIndex}:${view}`}
              imageId={scanId}
              layerIndex={layerIndex}
              view={view}
              filter={filter}
              sort={sort}
              reveal={reveal}
              onClearFilter={() => setFilter('')}
            />
          ) : (
            <div className="explorer-waiting">
              {scanState === 'running' || scanState === undefined ? (
                <Spinner label="The files show here once the scan has read every layer." />
              ) : (
                <p className="muted">The file explorer needs a complete scan. Start the scan again from the bar at the top.</p>
              )}
              <Skeleton lines={8} />
            </div>
          )}
        </div>
      </div>
      <ChangeLegend />
    </section>
  )
}

function LayerFiles({
  imageId,
  layerIndex,
  view,
  filter,
  sort,
  reveal,
  onClearFilter
}: {
  imageId: string
  layerIndex: number
  view: FileView
  filter: string
  sort: SortKey
  reveal: RevealRequest | null
  onClearFilter: () => void
}) {
  const api = useApi()
  const [missing, setMissing] = useState<string | null>(null)
  useEffect(() => setMissing(null), [reveal])
  const files = useResult(() => api.layerFiles(imageId, layerIndex, view), `${imageId}:${layerIndex}:${view}`)
  const rows: FileRow[] | undefined = files.status === 'ok' ? files.value : undefined
  const tree = useMemo(() => {
    if (rows === undefined) return undefined
    const built = buildTree(rows)
    sortTree(built, sort)
    return built
  }, [rows, sort])
  // Typing stays responsive on 100,000 paths: the tree catches up with the filter a moment later.
  const deferredFilter = useDeferredValue(filter)
  const matches = useMemo(() => pathMatcher(deferredFilter), [deferredFilter])

  if (files.status === 'error') return <ErrorState title="Layerlens could not list this layer’s files" error={files.error} />
  if (tree === undefined || rows === undefined) return <Spinner label="Listing the files…" />

  return (
    <>
      <ChangeCounts rows={rows} view={view} />
      {missing !== null && (
        <p className="explorer-missing" role="status">
          <code>{missing}</code> is not listed {view === 'layer' ? 'in what this layer changed. Try “All layers up to here”.' : 'after this layer.'}
        </p>
      )}
      <FileTreeView
        tree={tree}
        view={view}
        matches={matches}
        reveal={reveal}
        onClearFilter={onClearFilter}
        onRevealMissing={(path) => setMissing(path)}
      />
    </>
  )
}

function ChangeCounts({ rows, view }: { rows: FileRow[]; view: FileView }) {
  const counts = { added: 0, modified: 0, removed: 0 }
  for (const row of rows) if (row.change !== 'unchanged') counts[row.change] += 1
  const total = counts.added + counts.modified + counts.removed
  return (
    <p className="change-counts" data-testid="change-counts">
      {total === 0 ? (
        <span className="muted">{view === 'layer' ? 'This layer changed no files.' : 'This layer changed no files; the filesystem is as the layer below left it.'}</span>
      ) : (
        <>
          <span className="muted">This layer:</span>
          {(['added', 'modified', 'removed'] as const).map((change) =>
            counts[change] > 0 ? (
              <span key={change} className={`change-badge change-badge--${change}`}>
                {counts[change].toLocaleString('en')} {change}
              </span>
            ) : null
          )}
        </>
      )}
    </p>
  )
}

function LayerList({
  analysis,
  contents,
  selected,
  onSelect
}: {
  analysis: ImageAnalysis
  contents: ContentsSummary | undefined
  selected: number
  onSelect: (layerIndex: number) => void
}) {
  const reclaimable = new Map(contents?.layers.map((layer) => [layer.layerIndex, layer.reclaimableBytes]))
  return (
    <nav className="layer-list" aria-label="Layers">
      <ol>
        {analysis.layers.map((layer) => {
          const step = layer.stepIndex !== undefined ? analysis.steps[layer.stepIndex] : undefined
          const removedLater = reclaimable.get(layer.index) ?? 0
          const inBase = step?.inBase ?? layer.index < analysis.base.layerCount
          return (
            <li key={layer.index}>
              <button
                type="button"
                className={['layer-item', inBase ? 'layer-item--base' : 'layer-item--own', layer.index === selected ? 'layer-item--selected' : ''].join(' ')}
                aria-current={layer.index === selected ? 'true' : undefined}
                onClick={() => onSelect(layer.index)}
                data-layer-index={layer.index}
                title={step?.args ?? ''}
              >
                <span className="layer-item-number">{layer.index + 1}</span>
                <span className="layer-item-step">
                  {step !== undefined ? <InstructionBadge instruction={step.instruction} /> : <span className="muted">no step</span>}
                  <span className="layer-item-command">{step?.args.replace(/\s+/g, ' ') ?? ''}</span>
                </span>
                <span className="layer-item-size">{formatBytes(layer.size)}</span>
                {removedLater > 0 && <span className="layer-item-waste">{formatBytes(removedLater)} of it removed later</span>}
              </button>
            </li>
          )
        })}
      </ol>
    </nav>
  )
}

function ChangeLegend() {
  return (
    <p className="change-legend">
      <span className="change-badge change-badge--added">added</span> new in this layer
      <span className="change-badge change-badge--modified">modified</span> replaces a lower layer’s file
      <span className="change-badge change-badge--removed">removed</span> deleted here (its bytes still ship below)
    </p>
  )
}
