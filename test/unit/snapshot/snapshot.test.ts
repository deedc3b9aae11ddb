import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import type { LayerFiles } from '../../../src-main/engine/files/types'
import { MASK } from '../../../src-main/engine/secrets'
import { createSnapshot, decodeLayerFiles, encodeLayerFiles, parseSnapshot, serializeSnapshot, SnapshotError } from '../../../src-main/engine/snapshot'
import { readSnapshotFile, writeSnapshotFile } from '../../../src-main/sources/snapshot-file'
import { analysisOf, contentsOf } from '../reports/report-data'
import { GOLDEN_CREATED_AT, GOLDEN_SNAPSHOT_PATH } from './golden'

const goldenText = readFileSync(GOLDEN_SNAPSHOT_PATH, 'utf8')

describe('the golden snapshot (written by snapshot version 1 from layerlens-fixtures/lesson-after:buildkit)', () => {
  it('keeps opening, with the analysis and the whole file index', () => {
    const opened = parseSnapshot(goldenText)
    expect(opened.createdAt).toBe(GOLDEN_CREATED_AT)
    expect(opened.analysis.image.id).toBe('sha256:efe10f542dfeb061ed4ed264e9d32a27e548a1e093e988221413777dec080351')
    expect(opened.layerFiles).toHaveLength(opened.analysis.layers.length)
    const entries = opened.layerFiles!.flatMap((layer) => layer.entries)
    expect(entries).toHaveLength(9762)
    expect(entries.find((entry) => entry.path === '/app/main.py')).toEqual({ path: '/app/main.py', type: 'file', size: 208, mode: 0o100644, uid: 0, gid: 0 })
    expect(entries.find((entry) => entry.path === '/usr/local/bin/python')).toMatchObject({ type: 'symlink', linkTarget: '/usr/bin/python3' })
  })

  it('holds the same findings the engine finds in the image today', () => {
    expect(parseSnapshot(goldenText).analysis.findings).toEqual(analysisOf('lesson-after_buildkit').findings)
  })

  it('carries no captured file texts', () => {
    expect(goldenText).not.toContain('root:x:0:0')
    expect(parseSnapshot(goldenText).layerFiles!.every((layer) => Object.keys(layer.capturedText).length === 0)).toBe(true)
  })
})

describe('snapshot round trip', () => {
  it('gives back identical findings, contents and file index', async () => {
    const golden = parseSnapshot(goldenText)
    const contents = contentsOf(golden.analysis, golden.layerFiles!)
    const dir = mkdtempSync(join(tmpdir(), 'layerlens-snapshot-'))
    try {
      const path = join(dir, 'lesson-after.layerlens.json')
      const bytes = await writeSnapshotFile(path, { analysis: golden.analysis, contents, layerFiles: golden.layerFiles!, toolVersion: '0.1.0', createdAt: GOLDEN_CREATED_AT })
      expect(bytes).toBe(readFileSync(path).length)
      const reopened = await readSnapshotFile(path)
      expect(reopened.analysis.findings).toEqual(golden.analysis.findings)
      expect(reopened.analysis).toEqual(golden.analysis)
      expect(reopened.contents).toEqual(contents)
      expect(reopened.layerFiles).toEqual(golden.layerFiles)
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  })

  it('encodes every kind of entry, whiteouts, owners and links included', () => {
    const layer: LayerFiles = {
      entries: [
        { path: '/app', type: 'dir', size: 0, mode: 0o755, uid: 1000, gid: 1000 },
        { path: '/app/main.py', type: 'file', size: 120, mode: 0o644, uid: 1000, gid: 1000 },
        { path: '/app/link', type: 'symlink', size: 0, mode: 0o777, uid: 0, gid: 0, linkTarget: 'main.py' },
        { path: '/app/hard', type: 'hardlink', size: 0, mode: 0o644, uid: 0, gid: 0, linkTarget: '/app/main.py' },
        { path: '/dev/null', type: 'other', size: 0, mode: 0o666, uid: 0, gid: 0 },
        { path: '/root/.cache', type: 'file', size: 0, mode: 0o644, uid: 0, gid: 0, whiteout: 'delete' },
        { path: '/var/lib/apt', type: 'dir', size: 0, mode: 0o755, uid: 0, gid: 0, whiteout: 'opaque' },
      ],
      contentBytes: 120,
      capturedText: { '/etc/passwd': 'root:x:0:0:root:/root:/bin/bash' },
    }
    const encoded = encodeLayerFiles('sha256:abc', layer)
    expect(encoded.kinds).toBe('dflhowq')
    expect(encoded.shared).toEqual([0, 4, 5, 5, 1, 1, 1])
    expect(decodeLayerFiles(JSON.parse(JSON.stringify(encoded)))).toEqual({ ...layer, capturedText: {} })
  })
})

describe('redaction', () => {
  it('masks credentials in every text of the analysis', () => {
    const analysis = analysisOf('lesson-before_buildkit')
    const leaky = {
      ...analysis,
      notes: ['fetched from https://deploy:hunter22@git.example.com/repo.git'],
      steps: analysis.steps.map((step, index) => (index === 0 ? { ...step, createdBy: 'RUN curl -H x --token ghp_abcdefghijklmnopqrstuvwxyz0123456789 https://x' } : step)),
    }
    const text = serializeSnapshot(createSnapshot({ analysis: leaky, toolVersion: '0.1.0', createdAt: GOLDEN_CREATED_AT }))
    expect(text).not.toContain('hunter22')
    expect(text).not.toContain('ghp_abcdefghijklmnopqrstuvwxyz0123456789')
    const opened = parseSnapshot(text)
    expect(opened.analysis.notes).toEqual([`fetched from https://${MASK}@git.example.com/repo.git`])
    expect(opened.analysis.findings).toEqual(analysis.findings)
  })
})

describe('opening files that are not this version', () => {
  const golden = JSON.parse(goldenText) as Record<string, unknown>
  const open = (data: unknown): string => {
    try {
      parseSnapshot(typeof data === 'string' ? data : JSON.stringify(data))
    } catch (error) {
      expect(error).toBeInstanceOf(SnapshotError)
      return (error as Error).message
    }
    throw new Error('expected a SnapshotError')
  }

  it('says when a newer Layerlens wrote it', () => {
    expect(open({ ...golden, version: 2 })).toBe('this snapshot was written by a newer Layerlens (snapshot version 2; this one reads version 1). Update Layerlens to open it.')
  })

  it('says when it is not a snapshot at all', () => {
    expect(open('{"format": "something-else"}')).toBe('not a Layerlens snapshot: "format" should be "layerlens-snapshot"')
    expect(open('PK\u0003\u0004')).toBe('not a Layerlens snapshot: the file is not JSON')
    expect(open({ ...golden, version: '1' })).toBe('not a Layerlens snapshot: "version" should be a whole number, found "1"')
  })

  it('says where a damaged snapshot is damaged', () => {
    const analysis = golden['analysis'] as { layers: Array<Record<string, unknown>> }
    const damaged = { ...golden, analysis: { ...analysis, layers: analysis.layers.map((layer, index) => (index === 2 ? { ...layer, size: 'big' } : layer)) } }
    expect(open(damaged)).toBe('the snapshot is damaged: analysis.layers.2.size: Invalid input: expected number, received string')
    const files = golden['files'] as Array<Record<string, unknown>>
    expect(open({ ...golden, files: files.slice(1) })).toBe(`the snapshot is damaged: its file index has ${files.length - 1} layers, the image ${files.length}`)
    expect(open({ ...golden, files: files.map((layer, index) => (index === 0 ? { ...layer, sizes: [] } : layer)) })).toMatch(/^the snapshot is damaged: files\.0\.sizes: has 0 values for \d+ entries$/)
  })

  it('names the file when reading one from disk', async () => {
    await expect(readSnapshotFile('/nonexistent/x.layerlens.json')).rejects.toThrow(/ENOENT/)
  })
})
