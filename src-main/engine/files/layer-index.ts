import type { FileType, LayerFileEntry, LayerFiles } from './types'

const WHITEOUT_PREFIX = '.wh.'
const OPAQUE_MARKER = '.wh..wh..opq'

/** Text files worth keeping whole: user resolution and base identification read them. */
export const CAPTURED_TEXT_PATHS: ReadonlySet<string> = new Set([
  '/etc/passwd',
  '/etc/group',
  '/etc/os-release',
  '/usr/lib/os-release',
  '/etc/debian_version',
  '/etc/alpine-release'
])
export const CAPTURED_TEXT_MAX_BYTES = 256 * 1024

/** What a tar header says about one member; the archive reader fills it. */
export interface TarMember {
  name: string
  type: FileType
  size: number
  mode: number
  uid: number
  gid: number
  linkName: string
}

const UNUSUAL_SEGMENT = /(?:^|\/)\.{0,2}(?:\/|$)/

/**
 * `./usr//bin/` → `/usr/bin`; `.` and `/` → undefined (the root itself carries nothing worth indexing).
 * `..` segments are resolved without climbing above the root, as a container runtime would.
 */
export function normaliseLayerPath(name: string): string | undefined {
  // Most members are plain `usr/bin/python` or `usr/lib/`: no other segment that is empty, `.` or `..`.
  const trimmed = name.endsWith('/') ? name.slice(0, -1) : name
  if (!UNUSUAL_SEGMENT.test(trimmed)) return '/' + trimmed
  const segments: string[] = []
  for (const segment of name.split('/')) {
    if (segment === '' || segment === '.') continue
    if (segment === '..') segments.pop()
    else segments.push(segment)
  }
  return segments.length === 0 ? undefined : '/' + segments.join('/')
}

export function parentPath(path: string): string {
  const slash = path.lastIndexOf('/')
  return slash <= 0 ? '/' : path.slice(0, slash)
}

export function baseName(path: string): string {
  return path.slice(path.lastIndexOf('/') + 1)
}

/** Turns a tar member into an index entry, decoding overlay whiteout markers. */
export function entryFromTarMember(member: TarMember): LayerFileEntry | undefined {
  const path = normaliseLayerPath(member.name)
  if (path === undefined) return undefined
  const name = baseName(path)
  const common = { mode: member.mode, uid: member.uid, gid: member.gid }
  if (name === OPAQUE_MARKER) {
    return { path: parentPath(path), type: 'dir', size: 0, ...common, whiteout: 'opaque' }
  }
  if (name.startsWith(WHITEOUT_PREFIX)) {
    const parent = parentPath(path)
    const target = (parent === '/' ? '' : parent) + '/' + name.slice(WHITEOUT_PREFIX.length)
    return { path: target, type: 'file', size: 0, ...common, whiteout: 'delete' }
  }
  const entry: LayerFileEntry = { path, type: member.type, size: member.type === 'file' ? member.size : 0, ...common }
  if (member.type === 'symlink') entry.linkTarget = member.linkName
  if (member.type === 'hardlink') entry.linkTarget = normaliseLayerPath(member.linkName) ?? '/'
  return entry
}

/** Collects one layer's entries as its tar streams by. */
export class LayerIndexBuilder {
  private readonly entries: LayerFileEntry[] = []
  private contentBytes = 0
  private readonly capturedText: Record<string, string> = {}

  /** Adds a member; returns true when its content should be captured with `addCapturedText`. */
  add(member: TarMember): { entry: LayerFileEntry; captureContent: boolean } | undefined {
    const entry = entryFromTarMember(member)
    if (entry === undefined) return undefined
    this.entries.push(entry)
    this.contentBytes += entry.size
    const captureContent =
      entry.whiteout === undefined &&
      entry.type === 'file' &&
      entry.size <= CAPTURED_TEXT_MAX_BYTES &&
      CAPTURED_TEXT_PATHS.has(entry.path)
    return { entry, captureContent }
  }

  addCapturedText(path: string, text: string): void {
    this.capturedText[path] = text
  }

  finish(): LayerFiles {
    return { entries: this.entries, contentBytes: this.contentBytes, capturedText: this.capturedText }
  }
}
