// The file explorer's tree: built from the flat rows of layerFiles(), flattened into the rows on screen.
import type { FileChange, FileRow, FileType } from '../../../src-main/engine/model'

export interface TreeNode {
  name: string
  /** Absolute path; the root is `/`. */
  path: string
  /** 0 for the children of `/`. */
  depth: number
  type: FileType
  /** A file's bytes; for a directory, the bytes of everything below it that is not removed. */
  size: number
  /** Bytes that removed rows at or below this node took away from lower layers. */
  removedBytes: number
  /** Undefined for directories that appear only as parents of listed paths. */
  change?: FileChange
  row?: FileRow
  /** Present on directories (and on every node that has listed paths below it). */
  children?: TreeNode[]
  /** Added, modified or removed rows strictly below this node. */
  changesBelow: number
  parent: TreeNode | null
}

export interface FileTree {
  root: TreeNode
  byPath: Map<string, TreeNode>
  /** Every node except the root. */
  nodeCount: number
}

export type SortKey = 'name' | 'size'

export function buildTree(rows: readonly FileRow[]): FileTree {
  const root: TreeNode = { name: '/', path: '/', depth: -1, type: 'dir', size: 0, removedBytes: 0, changesBelow: 0, parent: null, children: [] }
  const byPath = new Map<string, TreeNode>([['/', root]])

  const nodeAt = (path: string): TreeNode => {
    const known = byPath.get(path)
    if (known !== undefined) return known
    const cut = path.lastIndexOf('/')
    const parent = nodeAt(cut <= 0 ? '/' : path.slice(0, cut))
    const node: TreeNode = {
      name: path.slice(cut + 1),
      path,
      depth: parent.depth + 1,
      type: 'dir',
      size: 0,
      removedBytes: 0,
      changesBelow: 0,
      parent
    }
    ;(parent.children ??= []).push(node)
    byPath.set(path, node)
    return node
  }

  for (const row of rows) {
    const path = normalisePath(row.path)
    if (path === '/') continue
    const node = nodeAt(path)
    node.row = row
    node.type = row.type
    node.change = row.change
    if (row.type === 'dir') node.children ??= []
    if (row.change === 'removed') node.removedBytes += row.size
    else if (row.type !== 'dir') node.size += row.size
  }

  aggregate(root)
  return { root, byPath, nodeCount: byPath.size - 1 }
}

function aggregate(root: TreeNode): void {
  // Children before parents, without recursion: trees can be deep.
  const order: TreeNode[] = []
  const stack = [root]
  while (stack.length > 0) {
    const node = stack.pop()!
    order.push(node)
    if (node.children !== undefined) stack.push(...node.children)
  }
  for (let index = order.length - 1; index > 0; index--) {
    const node = order[index]!
    const parent = node.parent!
    parent.size += node.size
    parent.removedBytes += node.removedBytes
    parent.changesBelow += node.changesBelow + (isChange(node.change) ? 1 : 0)
  }
}

export function isChange(change: FileChange | undefined): change is 'added' | 'modified' | 'removed' {
  return change === 'added' || change === 'modified' || change === 'removed'
}

function normalisePath(path: string): string {
  const trimmed = path.replace(/\/+$/, '').replace(/\/{2,}/g, '/')
  if (trimmed === '' || trimmed === '.') return '/'
  return trimmed.startsWith('/') ? trimmed : `/${trimmed.replace(/^\.\//, '')}`
}

export function sortTree(tree: FileTree, key: SortKey): void {
  const compare =
    key === 'size'
      ? (a: TreeNode, b: TreeNode) => b.size + b.removedBytes - (a.size + a.removedBytes) || byName(a, b)
      : (a: TreeNode, b: TreeNode) => Number(b.children !== undefined) - Number(a.children !== undefined) || byName(a, b)
  for (const node of tree.byPath.values()) node.children?.sort(compare)
}

function byName(a: TreeNode, b: TreeNode): number {
  return a.name < b.name ? -1 : a.name > b.name ? 1 : 0
}

/**
 * A path filter: plain text matches anywhere in the path (ignoring case); text with `*` or `?` is a glob,
 * where `*` stays inside one path segment, `**` crosses segments, and a pattern without a leading `/`
 * may start at any segment (`*.pyc`, `__pycache__/**`).
 */
export function pathMatcher(filter: string): ((path: string) => boolean) | null {
  const text = filter.trim()
  if (text === '') return null
  if (!/[*?]/.test(text)) {
    const needle = text.toLowerCase()
    return (path) => path.toLowerCase().includes(needle)
  }
  const body = text
    .replace(/\/+$/, '')
    .split(/(\*\*\/?|\*|\?)/)
    .map((piece) => {
      if (piece === '**/') return '(?:.*/)?'
      if (piece === '**') return '.*'
      if (piece === '*') return '[^/]*'
      if (piece === '?') return '[^/]'
      return piece.replace(/[.+^${}()|[\]\\]/g, '\\$&')
    })
    .join('')
  const pattern = new RegExp(text.startsWith('/') ? `^${body}$` : `(?:^|/)${body}$`, 'i')
  return (path) => pattern.test(path)
}

/** Which directories start open. `auto` opens toward what changed, within a budget of rows. */
export type ExpansionMode = 'auto' | 'all' | 'none'

/** Rows that opening directories may add to the first screen (the tree shows about twenty at once). */
const AUTO_EXPAND_ROW_BUDGET = 24

/**
 * Opens directories that hold changes, level by level and cheapest first, while the rows they add
 * fit the budget: the first screen shows the shape of what changed rather than one deep branch.
 */
export function autoExpanded(tree: FileTree): Set<string> {
  const open = new Set<string>()
  let added = 0
  let level = (tree.root.children ?? []).filter(isDirectory)
  const wantsOpening = (node: TreeNode) => node.changesBelow > 0 || node.change === 'added'
  while (level.length > 0) {
    const next: TreeNode[] = []
    const candidates = level.filter(wantsOpening).sort((a, b) => (a.children?.length ?? 0) - (b.children?.length ?? 0))
    for (const node of candidates) {
      const childCount = node.children?.length ?? 0
      if (added + childCount > AUTO_EXPAND_ROW_BUDGET) break
      open.add(node.path)
      added += childCount
      next.push(...(node.children ?? []).filter(isDirectory))
    }
    level = next
  }
  return open
}

export function isDirectory(node: TreeNode): boolean {
  return node.children !== undefined && node.children.length > 0
}

export interface VisibleRow {
  node: TreeNode
  expanded: boolean
  /** True when the node itself matches the filter (not just an ancestor or descendant of a match). */
  match: boolean
}

export interface Expansion {
  mode: ExpansionMode
  /** Directories the user opened (true) or closed (false), over what the mode says. */
  overrides: ReadonlyMap<string, boolean>
}

/**
 * The rows on screen, in order. With a filter, only matches, their ancestors (opened) and the
 * contents of matching directories show.
 */
export function visibleRows(tree: FileTree, expansion: Expansion, autoOpen: ReadonlySet<string>, matches: ((path: string) => boolean) | null): VisibleRow[] {
  const onPathToMatch = matches === null ? null : ancestorsOfMatches(tree, matches)
  const isOpen = (node: TreeNode): boolean => {
    const override = expansion.overrides.get(node.path)
    if (override !== undefined) return override
    if (onPathToMatch?.has(node.path)) return true
    if (expansion.mode === 'all') return true
    if (expansion.mode === 'none') return false
    return matches === null && autoOpen.has(node.path)
  }

  const rows: VisibleRow[] = []
  const stack: Array<{ node: TreeNode; insideMatch: boolean }> = []
  const pushChildren = (node: TreeNode, insideMatch: boolean) => {
    const children = node.children ?? []
    for (let index = children.length - 1; index >= 0; index--) stack.push({ node: children[index]!, insideMatch })
  }
  pushChildren(tree.root, false)
  while (stack.length > 0) {
    const { node, insideMatch } = stack.pop()!
    const match = matches !== null && matches(node.path)
    if (onPathToMatch !== null && !insideMatch && !match && !onPathToMatch.has(node.path)) continue
    const expanded = isDirectory(node) && isOpen(node)
    rows.push({ node, expanded, match })
    if (expanded) pushChildren(node, insideMatch || match)
  }
  return rows
}

/** Directories that hold a match somewhere below them. */
function ancestorsOfMatches(tree: FileTree, matches: (path: string) => boolean): Set<string> {
  const result = new Set<string>()
  for (const node of tree.byPath.values()) {
    if (node === tree.root || !matches(node.path)) continue
    for (let parent = node.parent; parent !== null && parent !== tree.root && !result.has(parent.path); parent = parent.parent) {
      result.add(parent.path)
    }
  }
  return result
}

/** Paths of the directories above `path`, outermost first. */
export function ancestorPaths(path: string): string[] {
  const segments = path.split('/').filter((segment) => segment !== '')
  return segments.slice(0, -1).map((_, index) => `/${segments.slice(0, index + 1).join('/')}`)
}
