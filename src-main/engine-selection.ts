// Which engine the service talks to: the one the environment names until the user picks another
// in the app. Every operation asks this for its connection, so a choice applies to all of them.
import type { ConnectionChoice } from '../src-preload/contract'
import { EngineWatch, type WatchTarget } from './engine-watch'
import { ScanRegistry, type ScanSource } from './scans'
import { connect, connectTo, type EngineConnection } from './sources/connection'
import { connectionCandidates, environmentCandidateId, type ConnectionCandidate } from './sources/connections'
import { EngineSource } from './sources/docker'
import type { EndpointEnvironment } from './sources/endpoint'
import { SourceError } from './sources/errors'

/** Short: the picker waits for every probe, and a dead remote host should not hold it up for long. */
const PROBE_TIMEOUT_MS = 3_000

export interface EngineSelectionOptions {
  environment?: EndpointEnvironment
  timeoutMs?: number
  exportStallMs?: number
  /** The scans of the first engine used; the CLI passes its own. */
  scans?: ScanRegistry
}

export function scanSourceOf(connection: EngineConnection, exportStallMs: number | undefined): ScanSource {
  const source: ScanSource = { client: connection.client, engine: new EngineSource(connection) }
  if (exportStallMs !== undefined) source.exportStallMs = exportStallMs
  return source
}

export class EngineSelection {
  readonly watch: EngineWatch
  private selectedId: string | undefined
  private readonly registries = new Map<string, ScanRegistry>()

  constructor(private readonly options: EngineSelectionOptions = {}) {
    this.watch = new EngineWatch(() => this.watchTarget())
  }

  /** The connection every operation uses now; throws SourceError when its settings are unusable or gone. */
  connection(): EngineConnection {
    const { environment, timeoutMs } = this.options
    if (this.selectedId === undefined) return connect(environment, timeoutMs)
    const chosen = this.candidate(this.selectedId)
    if (chosen?.endpoint === undefined) throw chosen?.problem ? new SourceError(chosen.problem) : chosenEngineGone(this.selectedId)
    return connectTo(chosen.endpoint, timeoutMs)
  }

  scanSource(): ScanSource {
    return scanSourceOf(this.connection(), this.options.exportStallMs)
  }

  /**
   * The scans of the engine in use. A scan's analysis names the tags and base images the engine it read
   * had, so each engine keeps its own; the layer cache is shared, as a diff-id is the digest of the content.
   */
  scans(): ScanRegistry {
    const url = this.connection().endpoint.url
    let registry = this.registries.get(url)
    if (registry === undefined) {
      const first = this.registries.values().next().value
      registry = first === undefined ? (this.options.scans ?? new ScanRegistry()) : new ScanRegistry(first.cache)
      this.registries.set(url, registry)
    }
    return registry
  }

  async list(): Promise<ConnectionChoice[]> {
    const environmentId = environmentCandidateId(this.options.environment)
    const selectedId = this.selectedId ?? environmentId
    return Promise.all(connectionCandidates(this.options.environment).map((candidate) => probe(candidate, environmentId, selectedId)))
  }

  async select(id: string): Promise<ConnectionChoice> {
    const chosen = this.candidate(id)
    if (chosen === undefined) throw chosenEngineGone(id)
    if (chosen.problem !== undefined) throw new SourceError(chosen.problem)
    // Chosen even when it does not answer now: the watch reports it and connects once it is up.
    if (id !== this.selectedId) {
      this.selectedId = id
      this.watch.retarget()
    }
    return probe(chosen, environmentCandidateId(this.options.environment), id)
  }

  private candidate(id: string): ConnectionCandidate | undefined {
    return connectionCandidates(this.options.environment).find((candidate) => candidate.id === id)
  }

  private watchTarget(): WatchTarget {
    const chosenInApp = this.selectedId !== undefined
    const connectionId = this.selectedId ?? environmentCandidateId(this.options.environment)
    try {
      return { connectionId, chosenInApp, connection: this.connection() }
    } catch (error) {
      if (error instanceof SourceError) return { connectionId, chosenInApp, problem: error.apiError }
      throw error
    }
  }
}

async function probe(candidate: ConnectionCandidate, environmentId: string, selectedId: string): Promise<ConnectionChoice> {
  const choice: ConnectionChoice = {
    id: candidate.id,
    label: candidate.label,
    source: candidate.source,
    environmentDefault: candidate.id === environmentId,
    selected: candidate.id === selectedId
  }
  if (candidate.contextName !== undefined) choice.contextName = candidate.contextName
  if (candidate.endpoint === undefined) return candidate.problem ? { ...choice, error: candidate.problem } : choice
  choice.url = candidate.endpoint.url
  try {
    const { product, version, apiVersion } = await new EngineSource(connectTo(candidate.endpoint, PROBE_TIMEOUT_MS)).engineInfo()
    return { ...choice, engine: { product, version, apiVersion } }
  } catch (error) {
    if (error instanceof SourceError) return { ...choice, error: error.apiError }
    throw error
  }
}

function chosenEngineGone(id: string): SourceError {
  return new SourceError({
    code: 'BAD_DOCKER_HOST',
    message: `The engine chosen in Layerlens (${id.slice(0, 200)}) is no longer among the connections: its docker context was removed, or its socket is gone.`,
    fix: 'Open the engine menu at the top and choose another engine; the list there is read again each time it opens.'
  })
}
