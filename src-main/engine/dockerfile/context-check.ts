// What a build would send from a context folder, with the current .dockerignore and with
// none, and which lesson .dockerignore entries are missing.
import { secretKindOf, type SecretFileKind } from '../files/file-markers'
import { createMatcher, readDockerignore, sentEntries, type ContextEntry } from './dockerignore'

/** The lesson's .dockerignore, in its order. */
export const LESSON_DOCKERIGNORE: readonly string[] = [
  '__pycache__',
  '*.pyc',
  '.venv',
  'venv',
  '.git',
  '.gitignore',
  '.env',
  '.env.*',
  '*.md',
  'tests/',
  '.pytest_cache',
  '.mypy_cache',
  '.ruff_cache',
]

/** Lesson entries that only reach the top level; nested copies need the `**` form. */
const NESTED_FORMS: Readonly<Record<string, string>> = { __pycache__: '**/__pycache__', '*.pyc': '**/*.pyc' }

export interface Tally {
  files: number
  bytes: number
}

export interface ProposedEntry {
  pattern: string
  /** What it would keep out of the context that is sent today. */
  files: number
  bytes: number
  examples: string[]
}

export interface ContextReport {
  dockerignore: { present: boolean; patterns: string[] }
  sent: Tally
  withoutDockerignore: Tally
  /** Top-level folders of what is sent today, biggest first. */
  biggestFolders: Array<Tally & { path: string }>
  /** Secret-looking files that are sent today. */
  secrets: Array<{ path: string; kind: SecretFileKind; bytes: number }>
  proposed: ProposedEntry[]
}

const BIGGEST_FOLDERS = 10

const tally = (entries: readonly ContextEntry[]): Tally => ({
  files: entries.filter((entry) => entry.type !== 'dir').length,
  bytes: entries.reduce((sum, entry) => sum + (entry.type === 'file' ? entry.size : 0), 0),
})

/** `entries` in walk order, each folder before its contents; `dockerignore` is null when the file is absent. */
export function checkBuildContext(entries: readonly ContextEntry[], dockerignore: string | null): ContextReport {
  const patterns = dockerignore === null ? [] : readDockerignore(dockerignore)
  const sent = sentEntries(entries, createMatcher(patterns))
  const secrets = sent
    .filter((entry) => entry.type === 'file')
    .flatMap((entry) => {
      const kind = secretKindOf(`/${entry.path}`)
      return kind ? [{ path: entry.path, kind, bytes: entry.size }] : []
    })
  const lessonEntries = proposeEntries(sent, patterns)
  return {
    dockerignore: { present: dockerignore !== null, patterns },
    sent: tally(sent),
    withoutDockerignore: tally(entries),
    biggestFolders: biggestFolders(sent),
    secrets,
    proposed: [...lessonEntries, ...proposeSecretPaths(secrets, lessonEntries)],
  }
}

/** A secret file that no lesson entry keeps out (a private key, a credentials file) is kept out by its own path. */
function proposeSecretPaths(secrets: ContextReport['secrets'], lessonEntries: readonly ProposedEntry[]): ProposedEntry[] {
  const covered = createMatcher(lessonEntries.map((entry) => entry.pattern))
  return secrets
    .filter((secret) => !covered.excludes(secret.path))
    .map((secret) => ({ pattern: secret.path, files: 1, bytes: secret.bytes, examples: [secret.path] }))
}

function biggestFolders(sent: readonly ContextEntry[]): ContextReport['biggestFolders'] {
  const folders = new Map<string, Tally>()
  for (const entry of sent) {
    const slash = entry.path.indexOf('/')
    if (slash < 0 || entry.type === 'dir') continue
    const folder = entry.path.slice(0, slash)
    const sum = folders.get(folder) ?? { files: 0, bytes: 0 }
    sum.files += 1
    sum.bytes += entry.type === 'file' ? entry.size : 0
    folders.set(folder, sum)
  }
  return [...folders.entries()]
    .map(([path, sum]) => ({ path, ...sum }))
    .sort((a, b) => b.bytes - a.bytes || a.path.localeCompare(b.path))
    .slice(0, BIGGEST_FOLDERS)
}

/** Lesson entries that would keep out something sent today, in the lesson's order. */
function proposeEntries(sent: readonly ContextEntry[], current: readonly string[]): ProposedEntry[] {
  const proposed: ProposedEntry[] = []
  for (const entry of LESSON_DOCKERIGNORE) {
    const forms = [entry, NESTED_FORMS[entry]].filter((form): form is string => form !== undefined && !current.includes(form))
    const best = forms
      .map((pattern) => {
        const matcher = createMatcher([pattern])
        return { pattern, removed: sent.filter((candidate) => matcher.excludes(candidate.path)) }
      })
      .sort((a, b) => b.removed.length - a.removed.length)[0]
    if (!best || best.removed.length === 0) continue
    const { files, bytes } = tally(best.removed)
    proposed.push({ pattern: best.pattern, files, bytes, examples: best.removed.slice(0, 3).map((removed) => removed.path) })
  }
  return proposed
}

export { type ContextEntry } from './dockerignore'
