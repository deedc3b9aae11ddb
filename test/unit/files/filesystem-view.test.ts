import { describe, expect, it } from 'vitest'
import { entryFromTarMember, LayerIndexBuilder, normaliseLayerPath, type TarMember } from '../../../src-main/engine/files/layer-index'
import { stackLayers } from '../../../src-main/engine/files/filesystem-view'
import { stackAndMeasureWaste } from '../../../src-main/engine/files/waste'
import { diveEfficiency } from '../../../src-main/engine/files/dive-efficiency'
import type { LayerFiles } from '../../../src-main/engine/files/types'

type Spec = string | [name: string, size: number] | [name: string, 'symlink', target: string]

/** `dir/` is a directory, `[name, size]` a file, `.wh.` names are whiteouts, as in a real layer tar. */
function layer(...specs: Spec[]): LayerFiles {
  const builder = new LayerIndexBuilder()
  for (const spec of specs) {
    const member: TarMember = { name: '', type: 'file', size: 0, mode: 0o644, uid: 0, gid: 0, linkName: '' }
    if (typeof spec === 'string') Object.assign(member, { name: spec, type: spec.endsWith('/') ? 'dir' : 'file' })
    else if (spec[1] === 'symlink') Object.assign(member, { name: spec[0], type: 'symlink', linkName: spec[2] })
    else Object.assign(member, { name: spec[0], size: spec[1] })
    builder.add(member)
  }
  return builder.finish()
}

describe('paths and whiteout markers', () => {
  it('normalises tar names', () => {
    expect(normaliseLayerPath('./usr//bin/')).toBe('/usr/bin')
    expect(normaliseLayerPath('/etc/../etc/passwd')).toBe('/etc/passwd')
    expect(normaliseLayerPath('./')).toBeUndefined()
    expect(normaliseLayerPath('/')).toBeUndefined()
    expect(normaliseLayerPath('')).toBeUndefined()
    expect(normaliseLayerPath('../../etc/shadow')).toBe('/etc/shadow')
  })
  it('keeps plain names as they are, dots inside names included', () => {
    expect(normaliseLayerPath('usr/lib/')).toBe('/usr/lib')
    expect(normaliseLayerPath('root/.cache/pip')).toBe('/root/.cache/pip')
    expect(normaliseLayerPath('srv/.../x..')).toBe('/srv/.../x..')
  })
  it('decodes .wh.NAME and .wh..wh..opq', () => {
    const base = { type: 'file' as const, size: 0, mode: 0, uid: 0, gid: 0, linkName: '' }
    expect(entryFromTarMember({ ...base, name: 'root/.wh..cache' })).toMatchObject({ path: '/root/.cache', whiteout: 'delete' })
    expect(entryFromTarMember({ ...base, name: 'var/lib/apt/lists/.wh..wh..opq' })).toMatchObject({ path: '/var/lib/apt/lists', whiteout: 'opaque' })
    expect(entryFromTarMember({ ...base, name: '.wh.tmp' })).toMatchObject({ path: '/tmp', whiteout: 'delete' })
  })
})

describe('the stacked filesystem and its waste', () => {
  const layers = [
    layer('root/', 'root/.cache/', 'root/.cache/pip/', ['root/.cache/pip/wheels/a.whl', 30_000], ['root/.cache/pip/http/b', 18_000], 'etc/', ['etc/config', 100]),
    layer(['etc/config', 120], ['usr/bin/tool', 5_000]),
    layer('root/', 'root/.wh..cache'),
    layer('usr/bin/.wh..wh..opq', 'usr/bin/', ['usr/bin/new', 10]),
    layer('.wh.nothing-here')
  ]

  it('deletes a whole directory, hides lower files under an opaque marker, keeps the marker layer own files', () => {
    const view = stackLayers(layers)
    expect(view.get('/root/.cache')).toBeUndefined()
    expect(view.get('/root/.cache/pip/wheels/a.whl')).toBeUndefined()
    expect(view.get('/root')).toBeDefined()
    expect(view.get('/usr/bin/tool')).toBeUndefined()
    expect(view.get('/usr/bin/new')?.layer).toBe(3)
    expect(view.get('/etc/config')).toMatchObject({ layer: 1, entry: { size: 120 } })
    expect([...view.paths()].sort()).toEqual(['/etc', '/etc/config', '/root', '/usr', '/usr/bin', '/usr/bin/new'])
  })

  it('attributes every removed byte to the layer that shipped it and the one that removed it', () => {
    const { waste } = stackAndMeasureWaste(layers)
    expect(waste.shippedBytes).toBe(30_000 + 18_000 + 100 + 120 + 5_000 + 10)
    expect(waste.finalBytes).toBe(120 + 10)
    expect(waste.reclaimableBytes).toBe(waste.shippedBytes - waste.finalBytes)
    expect(waste.removals.map(({ path, layer, reason, targetKind, bytes, bytesByAddingLayer }) => ({ path, layer, reason, targetKind, bytes, bytesByAddingLayer }))).toEqual([
      { path: '/root/.cache', layer: 2, reason: 'deleted', targetKind: 'directory', bytes: 48_000, bytesByAddingLayer: [{ layer: 0, bytes: 48_000, files: 2 }] },
      { path: '/usr/bin', layer: 3, reason: 'hidden-by-opaque', targetKind: 'directory', bytes: 5_000, bytesByAddingLayer: [{ layer: 1, bytes: 5_000, files: 1 }] },
      { path: '/etc/config', layer: 1, reason: 'overwritten', targetKind: 'file', bytes: 100, bytesByAddingLayer: [{ layer: 0, bytes: 100, files: 1 }] },
      { path: '/nothing-here', layer: 4, reason: 'deleted', targetKind: 'absent', bytes: 0, bytesByAddingLayer: [] }
    ])
    expect(waste.byLayer.map((l) => [l.reclaimableBytes, l.removedLowerBytes])).toEqual([
      [48_100, 0],
      [5_000, 100],
      [0, 48_000],
      [0, 5_000],
      [0, 0]
    ])
  })

  it('marks each layer change as added, modified or removed', () => {
    const view = stackLayers(layers)
    expect(view.changesByLayer[1]).toEqual([
      { path: '/etc/config', kind: 'modified', bytes: 120 },
      { path: '/usr/bin/tool', kind: 'added', bytes: 5_000 }
    ])
    expect(view.changesByLayer[2]).toContainEqual({ path: '/root/.cache', kind: 'removed', bytes: 48_000 })
  })

  it('replaces a directory by a file and a file by a directory', () => {
    const view = stackLayers([layer('a/', ['a/x', 7], ['b', 3]), layer(['a', 1], 'b/', ['b/y', 2])])
    expect(view.get('/a/x')).toBeUndefined()
    expect(view.get('/a')?.entry?.type).toBe('file')
    expect(view.get('/b/y')?.layer).toBe(1)
    expect(view.removedFiles.map((file) => file.path).sort()).toEqual(['/a/x', '/b'])
  })

  it('stacks 20,000 files and 2,000 deletions (files and whole directories) right', () => {
    const files: Spec[] = []
    for (let directory = 0; directory < 200; directory++) {
      files.push(`data/d${directory}/`)
      for (let file = 0; file < 100; file++) files.push([`data/d${directory}/f${file}`, 10])
    }
    const deletions: Spec[] = []
    for (let directory = 0; directory < 100; directory++) deletions.push(`data/.wh.d${directory}`)
    for (let directory = 100; directory < 200; directory++) {
      for (let file = 0; file < 19; file++) deletions.push(`data/d${directory}/.wh.f${file}`)
    }
    const heavy = [layer(...files), layer(...deletions)]
    expect(heavy[0]!.entries.length).toBe(20_200)
    expect(heavy[1]!.entries.length).toBe(2_000)
    const started = performance.now()
    const { view, waste } = stackAndMeasureWaste(heavy)
    console.log(`20,000 files then 2,000 deletions stacked in ${(performance.now() - started).toFixed(1)} ms`)
    const survivors = [...view.paths()].filter((path) => /\/f\d+$/.test(path))
    expect(survivors.length).toBe(100 * 81)
    expect(view.get('/data/d0')).toBeUndefined()
    expect(view.get('/data/d150/f18')).toBeUndefined()
    expect(view.get('/data/d150/f19')).toBeDefined()
    expect(waste.reclaimableBytes).toBe((100 * 100 + 100 * 19) * 10)
    expect(waste.removals.filter((removal) => removal.targetKind === 'directory').length).toBe(100)
  })
})

describe("dive's efficiency", () => {
  it('counts every copy of a path seen twice, and a deleted file but not a deleted directory', () => {
    const layers = [
      layer('etc/', ['etc/big', 1000], ['etc/keep', 10], 'cache/', ['cache/x', 500]),
      layer(['etc/big', 400]),
      layer('etc/.wh.keep', '.wh.cache')
    ]
    const dive = diveEfficiency(layers)
    // /etc/big: cum 1400, min 400. /etc/keep: cum 10 (+0 for its whiteout), min 0.
    // /cache/x: 500 once. /cache whiteout: 500 (dive sums the deleted directory), once.
    expect(dive.wastedBytes).toBe(1400 + 10)
    expect(dive.score).toBeCloseTo((400 + 0 + 500 + 500) / (1400 + 10 + 500 + 500), 10)
    expect(dive.inefficiencies.map((item) => [item.path, item.cumulativeSize, item.occurrences])).toEqual([
      ['/etc/big', 1400, 2],
      ['/etc/keep', 10, 2]
    ])
  })

  it('ignores opaque markers, as dive does', () => {
    const dive = diveEfficiency([layer('d/', ['d/a', 100]), layer('d/.wh..wh..opq', 'd/', ['d/b', 5])])
    expect(dive.wastedBytes).toBe(0)
    expect(dive.score).toBe(1)
  })
})
