// The golden snapshot: written once by this snapshot version from a real image; it must keep opening.
import { fileURLToPath } from 'node:url'

export const GOLDEN_SNAPSHOT_PATH = fileURLToPath(new URL('../../fixtures/snapshots/lesson-after_buildkit.v1.layerlens.json', import.meta.url))
export const GOLDEN_TOOL_VERSION = '0.1.0'
export const GOLDEN_CREATED_AT = '2026-01-15T12:00:00.000Z'
