// What the files themselves prove: package-manager caches, build-context leaks and secret files.
// Plain data out; the rules turn it into findings.

import type { FilesystemView } from './filesystem-view'
import type { LayerFileEntry, LayerFiles } from './types'

export type CacheKind = 'pip' | 'apt-lists' | 'apt-archives' | 'apk' | 'npm' | 'yarn' | 'poetry' | 'uv' | 'conda'

const HOME = '(?:/root|/home/[^/]+)'

const CACHE_ROOTS: ReadonlyArray<{ kind: CacheKind; root: RegExp }> = [
  { kind: 'pip', root: new RegExp(`^${HOME}/\\.cache/pip(?=/)`) },
  { kind: 'apt-lists', root: /^\/var\/lib\/apt\/lists(?=\/)/ },
  { kind: 'apt-archives', root: /^\/var\/cache\/apt\/archives(?=\/.*\.deb$)/ },
  { kind: 'apk', root: /^\/var\/cache\/apk(?=\/)/ },
  { kind: 'npm', root: new RegExp(`^${HOME}/\\.npm/_cacache(?=/)`) },
  { kind: 'yarn', root: new RegExp(`^(?:${HOME}/\\.cache/yarn|/usr/local/share/\\.cache/yarn)(?=/)`) },
  { kind: 'poetry', root: new RegExp(`^${HOME}/\\.cache/pypoetry(?=/)`) },
  { kind: 'uv', root: new RegExp(`^${HOME}/\\.cache/uv(?=/)`) },
  { kind: 'conda', root: /^\/opt\/conda\/pkgs(?=\/)/ }
]

export interface CacheHit {
  kind: CacheKind
  /** The cache directory, e.g. `/root/.cache/pip`. */
  root: string
  layer: number
  bytes: number
  files: number
  /** Of `bytes`, what the final filesystem still holds (the rest was deleted later, but still ships); known once every layer is read. */
  bytesInFinal?: number
}

/**
 * Cache files per layer (layers not read yet are undefined). `extraPipCacheDirs` are values of PIP_CACHE_DIR
 * from the config. apt's lists directory always holds a `lock` file and an empty `partial/`; those weigh nothing.
 * Without the final view, `bytesInFinal` stays unknown.
 */
export function findCaches(
  layers: ReadonlyArray<LayerFiles | undefined>,
  view: FilesystemView | undefined,
  extraPipCacheDirs: string[] = []
): CacheHit[] {
  const roots = [
    ...CACHE_ROOTS,
    ...extraPipCacheDirs.map((directory) => ({ kind: 'pip' as const, root: new RegExp(`^${escapeRegExp(directory.replace(/\/+$/, ''))}(?=/)`) }))
  ]
  const hits = new Map<string, CacheHit>()
  layers.forEach((files, layer) => {
    for (const entry of files?.entries ?? []) {
      if (entry.whiteout !== undefined || entry.type !== 'file' || entry.size === 0) continue
      for (const { kind, root } of roots) {
        const match = root.exec(entry.path)
        if (match === null) continue
        const key = `${layer}\u0000${match[0]}`
        let hit = hits.get(key)
        if (hit === undefined) {
          hit = { kind, root: match[0], layer, bytes: 0, files: 0 }
          if (view !== undefined) hit.bytesInFinal = 0
          hits.set(key, hit)
        }
        hit.bytes += entry.size
        hit.files += 1
        if (hit.bytesInFinal !== undefined && view?.get(entry.path)?.layer === layer) hit.bytesInFinal += entry.size
        break
      }
    }
  })
  return [...hits.values()]
}

export type ContextLeakKind = 'git' | 'virtualenv' | 'pycache' | 'tests' | 'tool-cache' | 'ide'

const LEAK_DIRECTORIES: ReadonlyMap<string, { kind: ContextLeakKind; dockerignore: string }> = new Map([
  ['.git', { kind: 'git', dockerignore: '.git' }],
  ['.venv', { kind: 'virtualenv', dockerignore: '.venv' }],
  ['venv', { kind: 'virtualenv', dockerignore: 'venv' }],
  ['__pycache__', { kind: 'pycache', dockerignore: '**/__pycache__' }],
  ['tests', { kind: 'tests', dockerignore: 'tests' }],
  ['.pytest_cache', { kind: 'tool-cache', dockerignore: '.pytest_cache' }],
  ['.mypy_cache', { kind: 'tool-cache', dockerignore: '.mypy_cache' }],
  ['.ruff_cache', { kind: 'tool-cache', dockerignore: '.ruff_cache' }],
  ['.idea', { kind: 'ide', dockerignore: '.idea' }],
  ['.vscode', { kind: 'ide', dockerignore: '.vscode' }]
])

export interface ContextLeak {
  kind: ContextLeakKind
  /** The leaked directory, or the file for a stray `*.pyc`. */
  path: string
  /** The .dockerignore line that keeps it out of the build context. */
  dockerignore: string
  bytes: number
  files: number
}

/** Build-context leftovers inside one COPY/ADD layer, grouped by their top-most leaked directory. */
export function findContextLeaks(files: LayerFiles): ContextLeak[] {
  const leaks = new Map<string, ContextLeak>()
  for (const entry of files.entries) {
    if (entry.whiteout !== undefined) continue
    const found = leakOf(entry)
    if (found === undefined) continue
    let leak = leaks.get(found.path)
    if (leak === undefined) {
      leak = { ...found, bytes: 0, files: 0 }
      leaks.set(found.path, leak)
    }
    if (entry.type === 'file') {
      leak.bytes += entry.size
      leak.files += 1
    }
  }
  return [...leaks.values()]
}

function leakOf(entry: LayerFileEntry): Omit<ContextLeak, 'bytes' | 'files'> | undefined {
  const segments = entry.path.split('/')
  for (let index = 1; index < segments.length; index++) {
    const isLast = index === segments.length - 1
    const known = LEAK_DIRECTORIES.get(segments[index]!)
    if (known !== undefined && (!isLast || entry.type === 'dir')) {
      return { ...known, path: segments.slice(0, index + 1).join('/') }
    }
  }
  if (entry.type === 'file' && entry.path.endsWith('.pyc')) return { kind: 'pycache', path: entry.path, dockerignore: '**/*.pyc' }
  return undefined
}

export type SecretFileKind = 'dotenv' | 'private-key' | 'credentials'

export interface SecretFile {
  kind: SecretFileKind
  path: string
  layer: number
  bytes: number
  /** True when a later layer deleted or replaced it: it is gone from the final filesystem but still ships. Known once every layer is read. */
  removedLater?: boolean
}

const NOT_SECRET_DOTENV = /^\.env\.(example|sample|template|dist)$/
const PRIVATE_KEY_NAME = /^(id_(rsa|dsa|ecdsa|ed25519)|.*\.(pem|key|p12|pfx))$/
/** Public certificates ship in every distribution and in Python packages; they are not secrets. */
const PUBLIC_CERTIFICATE_PLACES = /\/(certs|ca-certificates|ssl|site-packages|dist-packages|node_modules)\//
const CREDENTIAL_FILES = /(\/\.aws\/credentials|\/\.netrc|\/\.pypirc|\/\.git-credentials|\/\.docker\/config\.json|\/\.npmrc)$/

/**
 * Secret-looking files in any layer read so far, including those a later layer deleted (they can still be
 * extracted). Without the final view, whether a later layer removed them stays unknown.
 */
export function findSecretFiles(layers: ReadonlyArray<LayerFiles | undefined>, view: FilesystemView | undefined): SecretFile[] {
  const found: SecretFile[] = []
  layers.forEach((files, layer) => {
    for (const entry of files?.entries ?? []) {
      if (entry.whiteout !== undefined || entry.type !== 'file') continue
      const kind = secretKindOf(entry.path)
      if (kind === undefined) continue
      const secret: SecretFile = { kind, path: entry.path, layer, bytes: entry.size }
      if (view !== undefined) secret.removedLater = view.get(entry.path)?.layer !== layer
      found.push(secret)
    }
  })
  return found
}

export function secretKindOf(path: string): SecretFileKind | undefined {
  const name = path.slice(path.lastIndexOf('/') + 1)
  if ((name === '.env' || name.startsWith('.env.')) && !NOT_SECRET_DOTENV.test(name)) return 'dotenv'
  if (PRIVATE_KEY_NAME.test(name) && !name.endsWith('.pub') && !PUBLIC_CERTIFICATE_PLACES.test(path)) return 'private-key'
  if (CREDENTIAL_FILES.test(path)) return 'credentials'
  return undefined
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
}
