// Property tests of the history parser and the layer alignment, seeded with the real metadata captured from
// Docker 20.10, Docker 26 (with and without the containerd store) and podman: whatever the history says,
// there is one step per entry, and layers go to steps in order, each to at most one.
import { readdirSync, readFileSync } from 'node:fs'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { alignHistory, EMPTY_TAR_DIFF_ID, type Alignment } from '../../../src-main/engine/align'
import { analyzeImage } from '../../../src-main/engine/analyze'
import { parseCreatedBy } from '../../../src-main/engine/history'
import { INSTRUCTIONS } from '../../../src-main/engine/model'
import type { RawHistoryItem, RawImageInspect } from '../../../src-main/engine/raw'
import { maskText } from '../../../src-main/engine/secrets'
import { capturedLocalImages } from '../engine/captured'
import { returnsWithin } from './in-child'
import { fuzzParameters } from './settings'

const CAPTURED_DIR = new URL('../../fixtures/captured/', import.meta.url)

const captured = readdirSync(CAPTURED_DIR)
  .filter((file) => file.endsWith('.json'))
  .map((file) => JSON.parse(readFileSync(new URL(file, CAPTURED_DIR), 'utf8')) as { inspect: RawImageInspect; history: RawHistoryItem[] })
const localImages = capturedLocalImages()
const realCreatedBy = captured.flatMap(({ history }) => history.map((item) => item.CreatedBy ?? ''))
const realComments = [...new Set(captured.flatMap(({ history }) => history.map((item) => item.Comment ?? '')))]

/** The pieces history text is made of, to recombine: shells, markers, build args, exec forms, COPY hashes. */
const FRAGMENTS = [
  '/bin/sh -c ', '/bin/bash -o pipefail -c ', 'sh -c', ' -c ', '#(nop) ', '# buildkit', ' # buildkit', 'RUN ', 'COPY ', 'ADD ', 'CMD ',
  'ENV ', 'ARG ', 'EXPOSE ', 'ONBUILD ', 'WORKDIR ', '|2 ', '|9 ', 'A=1 ', 'B=two words ', 'SECRET_TOKEN=hunter2 ', '["python3" "-m"]',
  '["a", "b\\u00e9\\"]', '[', ']', '"', '\\', 'map[8000/tcp:{} 53/udp:{}]', 'file:0123abcd in /app', 'dir:ff in ', 'multi:1 in /',
  '# debian.sh ', '\n', '\t', ' ', '  ', '=', '$', '${X}', '{}',
]

const createdBy = fc.oneof(
  fc.constantFrom(...realCreatedBy),
  fc.array(fc.oneof(fc.constantFrom(...FRAGMENTS), fc.string({ maxLength: 12 })), { maxLength: 24 }).map((parts) => parts.join('')),
  fc.string({ maxLength: 200 }),
)

const historyItem: fc.Arbitrary<RawHistoryItem> = fc.record(
  {
    Id: fc.constantFrom('<missing>', 'sha256:' + 'a'.repeat(64)),
    Created: fc.oneof(fc.constant(0), fc.integer({ min: 1, max: 2_000_000_000 })),
    CreatedBy: fc.oneof(createdBy, fc.constant(null)),
    Tags: fc.constant(null),
    Size: fc.oneof(fc.constant(0), fc.nat({ max: 10_000_000 }), fc.constant(null)),
    Comment: fc.oneof(fc.constantFrom(...realComments), fc.string({ maxLength: 40 }), fc.constant(null)),
  },
  { requiredKeys: [] },
)

const diffId = fc.oneof(fc.constant(EMPTY_TAR_DIFF_ID), fc.stringMatching(/^[0-9a-f]{64}$/).map((hex) => `sha256:${hex}`))

/** A captured image with some history entries replaced, dropped or added, and some layers dropped or added. */
const mutatedImage = fc.nat({ max: captured.length - 1 }).chain((which) => {
  const { inspect, history } = captured[which]!
  const layers = inspect.RootFS?.Layers ?? []
  return fc
    .record({
      replaced: fc.array(fc.tuple(fc.nat(), historyItem), { maxLength: 4 }),
      dropped: fc.array(fc.nat(), { maxLength: 3 }),
      added: fc.array(historyItem, { maxLength: 3 }),
      layersDropped: fc.nat({ max: 2 }),
      layersAdded: fc.array(diffId, { maxLength: 2 }),
      // The empty_layer flags of a saved config: usually one per entry, sometimes not.
      emptyLayerFlags: fc.option(fc.array(fc.option(fc.boolean(), { nil: null }), { maxLength: history.length + 3 }), { nil: undefined }),
    })
    .map(({ replaced, dropped, added, layersDropped, layersAdded, emptyLayerFlags }) => {
      const items = [...history]
      for (const [at, item] of replaced) if (items.length > 0) items[at % items.length] = item
      for (const at of dropped) if (items.length > 0) items.splice(at % items.length, 1)
      items.unshift(...added)
      const rootfs = [...layers.slice(0, Math.max(0, layers.length - layersDropped)), ...layersAdded]
      const image = { inspect: { ...inspect, RootFS: { ...inspect.RootFS, Layers: rootfs } }, history: items }
      return emptyLayerFlags === undefined ? image : { ...image, config: { history: emptyLayerFlags.map((flag) => ({ empty_layer: flag })) } }
    })
})

function expectOrderedAssignment(alignment: Alignment, entryCount: number, layerCount: number): void {
  expect(alignment.layerOfEntry).toHaveLength(entryCount)
  expect(alignment.emptyLayer).toHaveLength(entryCount)
  const assigned = alignment.layerOfEntry.filter((layer): layer is number => layer !== undefined)
  // In order, each layer at most once, and only layers that exist.
  assigned.forEach((layer, position) => {
    expect(layer).toBeGreaterThanOrEqual(0)
    expect(layer).toBeLessThan(layerCount)
    if (position > 0) expect(layer).toBeGreaterThan(assigned[position - 1]!)
  })
  alignment.layerOfEntry.forEach((layer, index) => expect(alignment.emptyLayer[index]).toBe(layer === undefined))
  if (alignment.method === 'partial') expect(alignment.notes.length).toBeGreaterThan(0)
}

describe('fuzzing the history parser', () => {
  it('reads any created_by and comment as a known instruction, without throwing', () => {
    fc.assert(
      fc.property(fc.oneof(createdBy, fc.constant(null)), fc.oneof(fc.constantFrom(...realComments), fc.string({ maxLength: 40 })), (text, comment) => {
        const parsed = parseCreatedBy(text, comment)
        expect(INSTRUCTIONS).toContain(parsed.instruction)
        expect(typeof parsed.args).toBe('string')
        if (parsed.instruction === 'RUN') expect(['shell', 'exec']).toContain(parsed.runForm)
        for (const value of Object.values(parsed.buildArgs ?? {})) expect(typeof value).toBe('string')
      }),
      fuzzParameters(1000),
    )
  })

  it('aligns any entries with any layers in order, each layer to at most one entry', () => {
    const entry = fc.record({ instruction: fc.constantFrom(...INSTRUCTIONS), size: fc.oneof(fc.constant(0), fc.nat({ max: 1000 })) })
    fc.assert(
      fc.property(
        fc.array(entry, { maxLength: 40 }),
        fc.array(diffId, { maxLength: 30 }),
        fc.option(fc.array(fc.option(fc.boolean()), { maxLength: 40 }), { nil: undefined }),
        (entries, layers, flags) => expectOrderedAssignment(alignHistory(entries, layers, flags), entries.length, layers.length),
      ),
      fuzzParameters(300),
    )
  })

  it('turns any captured history, mutated, into one step per entry and layers that each come from at most one step', () => {
    fc.assert(
      fc.property(mutatedImage, (image) => {
        const { inspect, history } = image
        const analysis = analyzeImage({ ...image, localImages })
        const layerCount = inspect.RootFS.Layers.length
        expect(analysis.steps).toHaveLength(history.length)
        expect(analysis.layers).toHaveLength(layerCount)
        analysis.steps.forEach((step, index) => expect(step.index).toBe(index))
        const alignment: Alignment = {
          layerOfEntry: analysis.steps.map((step) => step.layerIndex),
          emptyLayer: analysis.steps.map((step) => step.emptyLayer),
          method: analysis.notes === undefined ? 'inferred' : 'partial',
          notes: analysis.notes ?? [],
        }
        expectOrderedAssignment(alignment, history.length, layerCount)
        for (const layer of analysis.layers) {
          if (layer.stepIndex !== undefined) expect(analysis.steps[layer.stepIndex]?.layerIndex).toBe(layer.index)
        }
      }),
      fuzzParameters(100),
    )
  })
})

describe('history text that once took quadratic time', () => {
  // Minutes each before the fix, milliseconds after; the limit only keeps a regression from hanging the run.
  const spaces = ' '.repeat(200_000)
  const letters = 'x'.repeat(200_000)

  it('parses long runs of spaces after a build arg, after the last build arg, and before a "# buildki"', () => {
    const texts = [`|2 A=${spaces}x B=1 /bin/sh -c true`, `|1 A=${spaces}x`, `RUN x${spaces}# buildki`]
    const historyModule = new URL('../../../src-main/engine/history.ts', import.meta.url)
    expect(returnsWithin(60, historyModule, 'parseCreatedBy', texts.map((text) => [text, '']))).toBe(true)
  })

  it('still masks URL credentials after a scheme longer than the bounded one, or glued to digits', () => {
    for (const text of [`git clone ${'git+ssh'.repeat(8)}://user:hunter2@host/repo`, 'curl 1https://user:hunter2@host']) {
      expect(maskText(text).text).not.toContain('hunter2')
    }
  })

  it('analyses long words where a URL scheme or an assignment name could start at every letter', () => {
    const texts = [`LABEL TOKEN=${letters}`, `RUN /bin/sh -c curl https://${letters}:${letters} # buildkit`]
    const { inspect } = captured[0]!
    const calls = texts.map((text) => [{ inspect, history: [{ CreatedBy: text, Size: 0 }], localImages: [] }])
    expect(returnsWithin(60, new URL('../../../src-main/engine/analyze.ts', import.meta.url), 'analyzeImage', calls)).toBe(true)
  })

  it('analyses 30,000 ENV and pip install entries, and an entry of 60,000 pip installs', () => {
    // Each RUN read every ENV before it for PIP_NO_CACHE_DIR; the fix of a RUN searched all of it once per install.
    const manyEntries = Array.from({ length: 30_000 }, (_, index) => ({ CreatedBy: index % 2 ? '/bin/sh -c pip install x' : `ENV A${index}=1`, Size: 0 }))
    const manyInstalls = [{ CreatedBy: `/bin/sh -c pip install x${'&&pip install x'.repeat(60_000)}`, Size: 0 }]
    const { inspect } = captured[0]!
    const calls = [manyEntries, manyInstalls].map((history) => [{ inspect, history, localImages: [] }])
    expect(returnsWithin(60, new URL('../../../src-main/engine/analyze.ts', import.meta.url), 'analyzeImage', calls)).toBe(true)
  })
})
