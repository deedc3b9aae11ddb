import { describe, expect, it } from 'vitest'
import { fileRows } from '../../../src-main/engine/files/file-rows'
import type { LayerFiles } from '../../../src-main/engine/files/types'
import { readImageArchive } from '../../../src-main/sources/archive/archive-reader'
import { dockerArchive, packTar, streamOf, type Member } from './tar-builders'

async function readLayers(...layers: Member[][]): Promise<LayerFiles[]> {
  const tars = await Promise.all(layers.map((members) => packTar(members)))
  const image = await readImageArchive(streamOf(await dockerArchive(tars, { layersFirst: true })))
  return image.layers.map((layer) => layer.files)
}

const rowsOf = (rows: ReturnType<typeof fileRows>) => rows.map((row) => [row.path, row.change, row.size, row.layerIndex]).sort((a, b) => String(a[0]).localeCompare(String(b[0])))

describe('file rows for the explorer', () => {
  const image = readLayers(
    [
      { name: 'etc/', type: 'directory' },
      { name: 'etc/os-release', content: 'ID=debian\n' },
      { name: 'cache/', type: 'directory' },
      { name: 'cache/a', content: 'aaaa' },
      { name: 'cache/sub/b', content: 'bb' },
      { name: 'opt/', type: 'directory' },
      { name: 'opt/old', content: 'old!!' }
    ],
    [
      { name: 'etc/', type: 'directory' },
      { name: 'etc/os-release', content: 'ID=changed\n', mode: 0o100644 },
      { name: 'etc/new', content: 'n' },
      { name: '.wh.cache', content: '' },
      { name: 'opt/', type: 'directory' },
      { name: 'opt/.wh..wh..opq', content: '' },
      { name: 'opt/fresh', content: 'f' }
    ]
  )

  it('lists what a layer added, modified and removed, with the bytes a removal took away', async () => {
    expect(rowsOf(fileRows(await image, 1, 'layer'))).toEqual([
      ['/cache', 'removed', 6, 1],
      ['/etc', 'modified', 0, 1],
      ['/etc/new', 'added', 1, 1],
      ['/etc/os-release', 'modified', 11, 1],
      ['/opt', 'modified', 0, 1],
      ['/opt/fresh', 'added', 1, 1],
      ['/opt/old', 'removed', 5, 1]
    ])
  })

  it('lists the whole filesystem after a layer, marking what that layer changed', async () => {
    const rows = fileRows(await image, 1, 'cumulative')
    expect(rowsOf(rows)).toEqual([
      ['/cache', 'removed', 6, 1],
      ['/etc', 'modified', 0, 1],
      ['/etc/new', 'added', 1, 1],
      ['/etc/os-release', 'modified', 11, 1],
      ['/opt', 'modified', 0, 1],
      ['/opt/fresh', 'added', 1, 1],
      ['/opt/old', 'removed', 5, 1]
    ])
    expect(rows.find((row) => row.path === '/etc/os-release')!.mode).toBe(0o644)
    expect(rowsOf(fileRows(await image, 0, 'cumulative')).filter((row) => row[1] !== 'added')).toEqual([])
  })

  it('marks the paths a later layer did not touch as unchanged', async () => {
    const layers = await image
    const three = [...layers, (await readLayers([{ name: 'srv/x', content: 'x' }]))[0]!]
    const rows = rowsOf(fileRows(three, 2, 'cumulative'))
    expect(rows.find((row) => row[0] === '/etc/os-release')).toEqual(['/etc/os-release', 'unchanged', 11, 1])
    expect(rows.find((row) => row[0] === '/srv')).toEqual(['/srv', 'added', 0, -1])
    expect(rows.some((row) => row[1] === 'removed')).toBe(false)
  })
})
