import { describe, expect, it } from 'vitest'
import { BoundedLayerCache } from '../../../src-main/engine/files/layer-cache'
import { LayerIndexBuilder } from '../../../src-main/engine/files/layer-index'
import type { LayerFiles } from '../../../src-main/engine/files/types'

function layerOf(fileCount: number): LayerFiles {
  const builder = new LayerIndexBuilder()
  for (let index = 0; index < fileCount; index++) builder.add({ name: `f${index}`, type: 'file', size: 1, mode: 0o644, uid: 0, gid: 0, linkName: '' })
  return builder.finish()
}

describe('the layer cache', () => {
  it('drops the least recently used layers once their entries exceed the budget', () => {
    const cache = new BoundedLayerCache(10)
    cache.set('sha256:a', layerOf(4))
    cache.set('sha256:b', layerOf(4))
    expect(cache.get('sha256:a')).toBeDefined()
    cache.set('sha256:c', layerOf(4))
    expect([cache.has('sha256:a'), cache.has('sha256:b'), cache.has('sha256:c')]).toEqual([true, false, true])
    expect(cache.entryCount).toBe(8)
  })

  it('keeps the copy it has, so images sharing a layer share one index', () => {
    const cache = new BoundedLayerCache(100)
    const first = layerOf(3)
    cache.set('sha256:a', first)
    expect(cache.set('sha256:a', layerOf(3))).toBe(first)
    expect(cache.entryCount).toBe(3)
  })

  it('keeps a layer larger than the whole budget until the next one comes', () => {
    const cache = new BoundedLayerCache(2)
    cache.set('sha256:big', layerOf(5))
    expect(cache.has('sha256:big')).toBe(true)
    cache.set('sha256:small', layerOf(1))
    expect([cache.has('sha256:big'), cache.has('sha256:small')]).toEqual([false, true])
  })
})
