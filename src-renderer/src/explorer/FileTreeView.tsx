import { useVirtualizer } from '@tanstack/react-virtual'
import { useEffect, useMemo, useRef, useState, type KeyboardEvent } from 'react'
import type { FileView } from '../../../src-preload/contract'
import { formatBytes } from '../format'
import { ancestorPaths, autoExpanded, isChange, isDirectory, visibleRows, type Expansion, type ExpansionMode, type FileTree, type TreeNode, type VisibleRow } from './fileTree'

export const TREE_ROW_HEIGHT = 26
/** Rows rendered beyond the visible ones, so a quick scroll does not show blank space. */
const OVERSCAN_ROWS = 16

/** A request to show one path; `nonce` repeats the request for the same path. */
export interface RevealRequest {
  path: string
  nonce: number
}

export function FileTreeView({
  tree,
  view,
  matches,
  reveal,
  onClearFilter,
  onRevealMissing
}: {
  tree: FileTree
  view: FileView
  matches: ((path: string) => boolean) | null
  reveal: RevealRequest | null
  onClearFilter: () => void
  onRevealMissing: (path: string) => void
}) {
  const [expansion, setExpansion] = useState<Expansion>({ mode: 'auto', overrides: new Map() })
  const [activePath, setActivePath] = useState<string | null>(null)
  const [revealedPath, setRevealedPath] = useState<string | null>(null)
  const [scrollTarget, setScrollTarget] = useState<{ path: string } | null>(null)
  const scrollRef = useRef<HTMLDivElement>(null)

  const autoOpen = useMemo(() => autoExpanded(tree), [tree])
  const rows = useMemo(() => visibleRows(tree, expansion, autoOpen, matches), [tree, expansion, autoOpen, matches])
  const indexByPath = useMemo(() => new Map(rows.map((row, index) => [row.node.path, index])), [rows])
  const activeIndex = activePath === null ? -1 : (indexByPath.get(activePath) ?? -1)
  const matchCount = useMemo(() => (matches === null ? 0 : rows.filter((row) => row.match).length), [rows, matches])

  const virtualizer = useVirtualizer({
    count: rows.length,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => TREE_ROW_HEIGHT,
    overscan: OVERSCAN_ROWS
  })

  // A new filter starts from what the filter opens, not from the directories opened by hand before.
  // (Declared before the reveal effect: when a reveal clears the filter, its openings must land after this reset.)
  useEffect(() => {
    setExpansion((before) => ({ mode: before.mode, overrides: new Map() }))
    scrollRef.current?.scrollTo({ top: 0 })
  }, [matches])

  const [pendingReveal, setPendingReveal] = useState<RevealRequest | null>(null)
  useEffect(() => setPendingReveal(reveal), [reveal])
  useEffect(() => {
    if (pendingReveal === null) return
    const node = tree.byPath.get(pendingReveal.path)
    if (node === undefined) {
      setPendingReveal(null)
      onRevealMissing(pendingReveal.path)
      return
    }
    if (matches !== null && !pathVisibleUnder(node, matches)) {
      onClearFilter()
      return
    }
    setExpansion((before) => {
      const overrides = new Map(before.overrides)
      for (const ancestor of ancestorPaths(node.path)) overrides.set(ancestor, true)
      return { mode: before.mode, overrides }
    })
    setActivePath(node.path)
    setRevealedPath(node.path)
    setScrollTarget({ path: node.path })
    setPendingReveal(null)
  }, [pendingReveal, matches, tree])

  useEffect(() => {
    if (scrollTarget === null) return
    const index = indexByPath.get(scrollTarget.path)
    if (index === undefined) return
    virtualizer.scrollToIndex(index, { align: 'center' })
    setScrollTarget(null)
  }, [scrollTarget, indexByPath])

  const setOpen = (node: TreeNode, open: boolean) =>
    setExpansion((before) => ({ mode: before.mode, overrides: new Map(before.overrides).set(node.path, open) }))
  const setMode = (mode: ExpansionMode) => setExpansion({ mode, overrides: new Map() })

  const moveTo = (index: number) => {
    const row = rows[Math.max(0, Math.min(index, rows.length - 1))]
    if (row === undefined) return
    setActivePath(row.node.path)
    virtualizer.scrollToIndex(indexByPath.get(row.node.path) ?? 0, { align: 'auto' })
  }

  const onKeyDown = (event: KeyboardEvent<HTMLDivElement>) => {
    const current = rows[activeIndex]
    const pageRows = Math.max(1, Math.floor((scrollRef.current?.clientHeight ?? 0) / TREE_ROW_HEIGHT) - 1)
    const handled = (() => {
      switch (event.key) {
        case 'ArrowDown':
          moveTo(activeIndex + 1)
          return true
        case 'ArrowUp':
          moveTo(activeIndex < 0 ? 0 : activeIndex - 1)
          return true
        case 'PageDown':
          moveTo(activeIndex + pageRows)
          return true
        case 'PageUp':
          moveTo(activeIndex - pageRows)
          return true
        case 'Home':
          moveTo(0)
          return true
        case 'End':
          moveTo(rows.length - 1)
          return true
        case 'ArrowRight':
          if (current === undefined) moveTo(0)
          else if (isDirectory(current.node) && !current.expanded) setOpen(current.node, true)
          else if (current.expanded) moveTo(activeIndex + 1)
          return true
        case 'ArrowLeft':
          if (current === undefined) return true
          if (current.expanded) setOpen(current.node, false)
          else if (current.node.parent !== null && current.node.parent !== tree.root) moveTo(indexByPath.get(current.node.parent.path) ?? activeIndex)
          return true
        case 'Enter':
        case ' ':
          if (current !== undefined && isDirectory(current.node)) setOpen(current.node, !current.expanded)
          return true
        default:
          return false
      }
    })()
    if (handled) event.preventDefault()
  }

  const items = virtualizer.getVirtualItems()
  return (
    <div className="tree">
      <div className="tree-actions">
        <button type="button" className="link-button" onClick={() => setMode('all')}>
          Expand all
        </button>
        <button type="button" className="link-button" onClick={() => setMode('none')}>
          Collapse all
        </button>
        <span className="muted tree-count" data-testid="tree-count">
          {matches !== null && `${matchCount.toLocaleString('en')} matching · `}
          {rows.length.toLocaleString('en')} of {tree.nodeCount.toLocaleString('en')} entries shown
        </span>
      </div>
      <div className="tree-header" aria-hidden="true">
        <span>Path</span>
        <span>Change</span>
        <span>Size</span>
      </div>
      <div
        ref={scrollRef}
        className="tree-scroll"
        role="tree"
        aria-label={view === 'layer' ? 'Files this layer changed' : 'Files after this layer'}
        tabIndex={0}
        aria-activedescendant={activeIndex >= 0 ? rowId(activeIndex) : undefined}
        onKeyDown={onKeyDown}
        data-testid="file-tree"
      >
        {rows.length === 0 ? (
          <p className="tree-empty muted">{matches !== null ? 'No path matches the filter.' : 'This layer lists no files.'}</p>
        ) : (
          <div className="tree-canvas" style={{ height: virtualizer.getTotalSize() }}>
            {items.map((item) => {
              const row = rows[item.index]!
              return (
                <TreeRow
                  key={row.node.path}
                  id={rowId(item.index)}
                  row={row}
                  top={item.start}
                  view={view}
                  active={item.index === activeIndex}
                  revealed={row.node.path === revealedPath}
                  onClick={() => {
                    setActivePath(row.node.path)
                    if (isDirectory(row.node)) setOpen(row.node, !row.expanded)
                  }}
                />
              )
            })}
          </div>
        )}
      </div>
    </div>
  )
}

function rowId(index: number): string {
  return `file-tree-row-${index}`
}

/** Under a filter, a node shows when it, an ancestor or a descendant matches. */
function pathVisibleUnder(node: TreeNode, matches: (path: string) => boolean): boolean {
  for (let current: TreeNode | null = node; current !== null; current = current.parent) if (matches(current.path)) return true
  const stack = [...(node.children ?? [])]
  while (stack.length > 0) {
    const next = stack.pop()!
    if (matches(next.path)) return true
    stack.push(...(next.children ?? []))
  }
  return false
}

const CHANGE_LABELS = { added: 'added', modified: 'modified', removed: 'removed' } as const

function TreeRow({
  id,
  row,
  top,
  view,
  active,
  revealed,
  onClick
}: {
  id: string
  row: VisibleRow
  top: number
  view: FileView
  active: boolean
  revealed: boolean
  onClick: () => void
}) {
  const { node, expanded, match } = row
  const directory = isDirectory(node)
  const change = isChange(node.change) ? node.change : null
  const classes = [
    'tree-row',
    change !== null ? `tree-row--${change}` : '',
    active ? 'tree-row--active' : '',
    revealed ? 'tree-row--revealed' : '',
    match ? 'tree-row--match' : ''
  ]
  return (
    <div
      id={id}
      role="treeitem"
      aria-level={node.depth + 1}
      aria-expanded={directory ? expanded : undefined}
      aria-selected={active}
      className={classes.join(' ')}
      style={{ height: TREE_ROW_HEIGHT, transform: `translateY(${top}px)` }}
      onClick={onClick}
      data-path={node.path}
      data-change={node.change ?? 'none'}
    >
      <span className="tree-name-cell" style={{ paddingLeft: 6 + node.depth * 16 }}>
        <span className="tree-twisty" aria-hidden="true">
          {directory ? (expanded ? '▾' : '▸') : ''}
        </span>
        <span className={`tree-icon tree-icon--${node.type}`} aria-hidden="true" />
        <span className="tree-name">{node.name}</span>
        {node.row?.linkTarget !== undefined && <span className="tree-link-target">→ {node.row.linkTarget}</span>}
        {view === 'cumulative' && directory && node.changesBelow > 0 && (
          <span className="tree-changes-below">{node.changesBelow.toLocaleString('en')} changed inside</span>
        )}
        {change !== 'removed' && directory && node.removedBytes > 0 && (
          <span className="tree-removed-below">{formatBytes(node.removedBytes)} removed inside</span>
        )}
      </span>
      <span className="tree-change-cell">{change !== null && <span className={`change-badge change-badge--${change}`}>{CHANGE_LABELS[change]}</span>}</span>
      <span className="tree-size-cell">
        {change === 'removed' ? (
          <span className="tree-size-removed" title="Bytes of lower layers this removal took away">
            {formatBytes(node.removedBytes)}
          </span>
        ) : node.type === 'dir' || node.type === 'file' || node.type === 'hardlink' ? (
          formatBytes(node.size)
        ) : null}
      </span>
    </div>
  )
}
