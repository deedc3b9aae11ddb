// dive's image efficiency, reproduced from its filetree/efficiency.go so users can compare numbers.
// dive builds one tree per layer and visits its leaves. Per path: cumulative = Σ size of every
// occurrence, minimum = the smallest; score = Σ minimum / Σ cumulative; "wasted bytes" = Σ cumulative
// over paths seen twice or more (the copy that is kept counts too). A whiteout of a directory counts the
// bytes under that directory in dive's stack of the lower layers; a whiteout of a file counts 0.
// dive ignores opaque markers (they neither hide lower files nor count), and so does this.
// One deliberate difference: a whiteout of a path absent below makes dive stop visiting the rest of
// that layer (it logs an error); here it counts 0 and the layer's other leaves still count.

import { parentPath } from './layer-index'
import type { LayerFiles } from './types'

export interface DiveInefficiency {
  path: string
  /** Σ size of all the path's occurrences (dive's CumulativeSize). */
  cumulativeSize: number
  occurrences: number
}

export interface DiveEfficiency {
  /** 0..1, dive's "efficiency score". */
  score: number
  /** dive's "wasted bytes": Σ cumulative size over paths seen in two or more layers. */
  wastedBytes: number
  /** dive's "user wasted percent": wasted bytes / Σ content bytes of every layer but the first. */
  wastedUserFraction: number
  /** Paths seen in two or more layers, largest cumulative size first. */
  inefficiencies: DiveInefficiency[]
}

interface DiveNode {
  size: number
  isDir: boolean
  children: Map<string, DiveNode>
}

interface PathTally {
  cumulative: number
  minimum: number
  occurrences: number
}

/** dive's stacked tree: adding replaces a node's payload but keeps its children; a whiteout removes the subtree. */
class DiveStack {
  private readonly root: DiveNode = { size: 0, isDir: true, children: new Map() }

  find(path: string): DiveNode | undefined {
    let node: DiveNode | undefined = this.root
    for (const name of path.split('/')) {
      if (name === '') continue
      node = node.children.get(name)
      if (node === undefined) return undefined
    }
    return node
  }

  add(path: string, size: number, isDir: boolean): void {
    let node = this.root
    for (const name of path.split('/')) {
      if (name === '') continue
      let child = node.children.get(name)
      if (child === undefined) {
        child = { size: 0, isDir: false, children: new Map() }
        node.children.set(name, child)
      }
      node = child
    }
    node.size = size
    node.isDir = isDir
  }

  remove(path: string): void {
    const slash = path.lastIndexOf('/')
    this.find(path.slice(0, slash))?.children.delete(path.slice(slash + 1))
  }

  subtreeSize(top: DiveNode): number {
    let total = 0
    const pending = [top]
    while (pending.length > 0) {
      const node = pending.pop()!
      total += node.size
      for (const child of node.children.values()) pending.push(child)
    }
    return total
  }
}

/** The sizes dive's visitor sees for one layer's leaves, as [path, size] pairs. */
function leafSizes(files: LayerFiles, lower: DiveStack): Array<[string, number]> {
  const regular = new Map<string, number>()
  const whiteouts = new Set<string>()
  const opaqueDirectories = new Set<string>()
  const hasChildren = new Set<string>()
  const markAncestors = (path: string): void => {
    for (let parent = parentPath(path); parent !== '/' && !hasChildren.has(parent); parent = parentPath(parent)) {
      hasChildren.add(parent)
    }
  }
  for (const entry of files.entries) {
    if (entry.whiteout === 'opaque') {
      if (entry.path !== '/') opaqueDirectories.add(entry.path)
      markAncestors(entry.path)
    } else if (entry.whiteout === 'delete') {
      whiteouts.add(entry.path)
      markAncestors(entry.path)
    } else {
      regular.set(entry.path, entry.size)
      markAncestors(entry.path)
    }
  }
  const leaves: Array<[string, number]> = []
  for (const [path, size] of regular) if (!hasChildren.has(path)) leaves.push([path, size])
  for (const path of opaqueDirectories) {
    // dive creates the directory node on its way to the marker, then drops the marker itself.
    if (!regular.has(path) && !hasChildren.has(path)) leaves.push([path, 0])
  }
  for (const path of whiteouts) {
    const removed = lower.find(path)
    leaves.push([path, removed !== undefined && removed.isDir ? lower.subtreeSize(removed) : 0])
  }
  return leaves
}

/** dive's tally, fed one layer at a time in layer order, so a scan can count each layer as it arrives. */
export class DiveTally {
  private readonly tallies = new Map<string, PathTally>()
  private readonly stack = new DiveStack()
  private userBytes = 0
  private layerCount = 0

  add(files: LayerFiles): void {
    for (const [path, size] of leafSizes(files, this.stack)) {
      const tally = this.tallies.get(path)
      if (tally === undefined) this.tallies.set(path, { cumulative: size, minimum: size, occurrences: 1 })
      else {
        tally.cumulative += size
        tally.minimum = Math.min(tally.minimum, size)
        tally.occurrences += 1
      }
    }
    for (const entry of files.entries) if (entry.whiteout === 'delete') this.stack.remove(entry.path)
    for (const entry of files.entries) {
      if (entry.whiteout === undefined) this.stack.add(entry.path, entry.size, entry.type === 'dir')
    }
    if (this.layerCount > 0) this.userBytes += files.contentBytes
    this.layerCount += 1
  }

  result(): DiveEfficiency {
    let minimumSum = 0
    let cumulativeSum = 0
    let wastedBytes = 0
    const inefficiencies: DiveInefficiency[] = []
    for (const [path, tally] of this.tallies) {
      minimumSum += tally.minimum
      cumulativeSum += tally.cumulative
      if (tally.occurrences >= 2) {
        wastedBytes += tally.cumulative
        inefficiencies.push({ path, cumulativeSize: tally.cumulative, occurrences: tally.occurrences })
      }
    }
    inefficiencies.sort((a, b) => b.cumulativeSize - a.cumulativeSize)
    return {
      score: cumulativeSum === 0 ? 1 : minimumSum / cumulativeSum,
      wastedBytes,
      wastedUserFraction: this.userBytes === 0 ? 0 : wastedBytes / this.userBytes,
      inefficiencies
    }
  }
}

export function diveEfficiency(layers: readonly LayerFiles[]): DiveEfficiency {
  const tally = new DiveTally()
  for (const files of layers) tally.add(files)
  return tally.result()
}
