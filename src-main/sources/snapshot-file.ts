// Reading and writing snapshot files (`.layerlens.json`).
import { readFile, rename, writeFile } from 'node:fs/promises'
import { createSnapshot, parseSnapshot, serializeSnapshot, SnapshotError, type OpenedSnapshot, type SnapshotInput } from '../engine/snapshot'

/** Writes beside the target and renames, so a reader never sees half a snapshot. Returns the bytes written. */
export async function writeSnapshotFile(path: string, input: SnapshotInput): Promise<number> {
  const text = serializeSnapshot(createSnapshot(input))
  const partial = `${path}.partial`
  await writeFile(partial, text, 'utf8')
  await rename(partial, path)
  return Buffer.byteLength(text)
}

export async function readSnapshotFile(path: string): Promise<OpenedSnapshot> {
  const text = await readFile(path, 'utf8')
  try {
    return parseSnapshot(text)
  } catch (error) {
    if (error instanceof SnapshotError) throw new SnapshotError(`${path}: ${error.message}`)
    throw error
  }
}
