import { describe, expect, it } from 'vitest'
import { alignHistory, EMPTY_TAR_DIFF_ID } from '../../../src-main/engine/align'
import { parseHistory } from '../../../src-main/engine/steps'
import { loadCaptured, type CapturedName } from './captured'

const CAPTURED: CapturedName[] = [
  'debian_bookworm',
  'debian_bookworm-slim',
  'python_3.11',
  'python_3.11-slim',
  'lesson-before_classic',
  'lesson-before_buildkit',
  'lesson-after_classic',
  'lesson-after_buildkit',
]

describe('alignHistory on captured images', () => {
  it.each(CAPTURED)('%s: every layer gets exactly one step, and every step with bytes a layer', (name) => {
    const { inspect, history } = loadCaptured(name)
    const layers = inspect.RootFS?.Layers ?? []
    const entries = parseHistory(history).map(({ raw, parsed }) => ({ instruction: parsed.instruction, size: raw.Size ?? 0 }))
    const alignment = alignHistory(entries, layers)
    expect(alignment.notes).toEqual([])
    expect(alignment.method).toBe('inferred')
    const assigned = alignment.layerOfEntry.filter((layer) => layer !== undefined)
    expect(assigned).toEqual(layers.map((_, index) => index))
    entries.forEach((entry, index) => {
      if (entry.size > 0) expect(alignment.layerOfEntry[index]).toBeDefined()
    })
  })

  it('gives the 0-byte symlink RUN of the python base its layer, and no layer to ENV or CMD', () => {
    const { inspect, history } = loadCaptured('python_3.11')
    const parsed = parseHistory(history)
    const alignment = alignHistory(
      parsed.map(({ raw, parsed: p }) => ({ instruction: p.instruction, size: raw.Size ?? 0 })),
      inspect.RootFS?.Layers ?? [],
    )
    const symlinks = parsed.findIndex(({ parsed: p }) => p.args.includes('for src in'))
    expect(parsed[symlinks]?.raw.Size).toBe(0)
    expect(alignment.layerOfEntry[symlinks]).toBe(6)
    parsed.forEach(({ parsed: p }, index) => {
      if (p.instruction === 'ENV' || p.instruction === 'CMD') expect(alignment.layerOfEntry[index]).toBeUndefined()
    })
  })

  it('gives the classic WORKDIR its 0-byte layer', () => {
    const { inspect, history } = loadCaptured('lesson-before_classic')
    const parsed = parseHistory(history)
    const alignment = alignHistory(
      parsed.map(({ raw, parsed: p }) => ({ instruction: p.instruction, size: raw.Size ?? 0 })),
      inspect.RootFS?.Layers ?? [],
    )
    const workdir = parsed.findIndex(({ parsed: p }) => p.instruction === 'WORKDIR')
    expect(alignment.layerOfEntry[workdir]).toBe(8)
  })
})

describe('alignHistory choices and failures', () => {
  it('prefers a COPY over a RUN for a 0-byte layer, and the empty-tar layer for a 0-byte step', () => {
    const entries = [
      { instruction: 'ROOTFS' as const, size: 100 },
      { instruction: 'RUN' as const, size: 0 },
      { instruction: 'COPY' as const, size: 0 },
    ]
    expect(alignHistory(entries, ['sha256:a', 'sha256:b']).layerOfEntry).toEqual([0, undefined, 1])
  })

  it('never gives the empty-tar layer to a step with bytes', () => {
    const entries = [
      { instruction: 'RUN' as const, size: 0 },
      { instruction: 'RUN' as const, size: 10 },
    ]
    const alignment = alignHistory(entries, [EMPTY_TAR_DIFF_ID, 'sha256:b'])
    expect(alignment.layerOfEntry).toEqual([0, 1])
  })

  it('uses the empty_layer flags of a saved config exactly', () => {
    const entries = [
      { instruction: 'ADD' as const, size: 5 },
      { instruction: 'CMD' as const, size: 0 },
      { instruction: 'RUN' as const, size: 0 },
    ]
    const alignment = alignHistory(entries, ['sha256:a', 'sha256:b'], [false, true, false])
    expect(alignment).toEqual({ layerOfEntry: [0, undefined, 1], emptyLayer: [false, true, false], method: 'empty-layer-flags', notes: [] })
  })

  it('reports, and does not throw, when the history cannot fit the layers', () => {
    const entries = [
      { instruction: 'ROOTFS' as const, size: 5 },
      { instruction: 'ENV' as const, size: 0 },
    ]
    const alignment = alignHistory(entries, ['sha256:a', 'sha256:b', 'sha256:c'])
    expect(alignment.method).toBe('partial')
    expect(alignment.layerOfEntry).toEqual([0, undefined])
    expect(alignment.notes.join(' ')).toContain('2 layer(s) could not be matched')
  })

  it('reports flags that do not match the history', () => {
    const alignment = alignHistory([{ instruction: 'RUN', size: 1 }], ['sha256:a'], [false, true])
    expect(alignment.layerOfEntry).toEqual([0])
    expect(alignment.notes[0]).toContain('empty_layer flags were not used')
  })
})
