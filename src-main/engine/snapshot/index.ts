// Snapshots (`.layerlens.json`): an analysis, its contents summary and file index, shareable with no engine. Pure.
export { decodeLayerFiles, encodeLayerFiles, type SnapshotLayerFiles } from './file-index'
export { contentsSummarySchema, findingSchema, imageAnalysisSchema } from './model-schema'
export {
  createSnapshot,
  parseSnapshot,
  serializeSnapshot,
  SNAPSHOT_FILE_SUFFIX,
  SNAPSHOT_FORMAT,
  SNAPSHOT_VERSION,
  SnapshotError,
  type OpenedSnapshot,
  type Snapshot,
  type SnapshotInput,
} from './snapshot'
