// Every engine the user may pick in the app: DOCKER_HOST, each docker context, the default socket and
// the Podman sockets that exist here. Ids are stable for a machine's settings, so a choice can be
// made again by id; only ids from this list are ever connected to.
import { homedir } from 'node:os'
import type { ApiError } from '../../src-preload/contract'
import { currentContext, dockerConfigDir, listContextNames } from './docker-context'
import {
  contextEndpoint,
  defaultSocketEndpoint,
  dockerHostEndpoint,
  hasDockerHost,
  podmanSocketEndpoint,
  presentPodmanSockets,
  resolveEndpoint,
  type Endpoint,
  type EndpointEnvironment
} from './endpoint'
import { SourceError } from './errors'

export interface ConnectionCandidate {
  id: string
  label: string
  source: Endpoint['source']
  contextName?: string
  /** Absent when the settings cannot be used; `problem` says why. */
  endpoint?: Endpoint
  problem?: ApiError
}

const DOCKER_HOST_ID = 'docker-host'
const DEFAULT_SOCKET_ID = 'default-socket'
const contextId = (name: string): string => `context:${name}`
const podmanId = (socketPath: string): string => `podman:${socketPath}`

export function connectionCandidates(environment: EndpointEnvironment = {}): ConnectionCandidate[] {
  const env = environment.env ?? process.env
  const configDir = dockerConfigDir(env, environment.homeDir ?? homedir())
  const current = currentContext(env, configDir)
  const contextNames = [...new Set([...(current ? [current.name] : []), ...listContextNames(configDir)])].sort()
  return [
    ...(hasDockerHost(env) ? [candidate(DOCKER_HOST_ID, 'DOCKER_HOST', 'DOCKER_HOST', () => dockerHostEndpoint(env, configDir))] : []),
    ...contextNames.map((name) => ({
      ...candidate(contextId(name), `Context “${name}”`, 'docker-context', () => contextEndpoint(configDir, name === current?.name ? current : { name, origin: 'contexts folder' })),
      contextName: name
    })),
    candidate(DEFAULT_SOCKET_ID, 'Docker socket', 'default-socket', () => defaultSocketEndpoint(environment)),
    ...presentPodmanSockets(environment).map((socketPath) =>
      candidate(podmanId(socketPath), isUserSocket(socketPath, env) ? 'Podman (rootless)' : 'Podman', 'podman-socket', () => podmanSocketEndpoint(socketPath))
    )
  ]
}

/** The candidate Layerlens uses when the user has picked none: the one the environment names. */
export function environmentCandidateId(environment: EndpointEnvironment = {}): string {
  const env = environment.env ?? process.env
  if (hasDockerHost(env)) return DOCKER_HOST_ID
  const current = currentContext(env, dockerConfigDir(env, environment.homeDir ?? homedir()))
  if (current) return contextId(current.name)
  const endpoint = resolveEndpoint(environment)
  return endpoint.source === 'podman-socket' && endpoint.transport.kind === 'unix' ? podmanId(endpoint.transport.socketPath) : DEFAULT_SOCKET_ID
}

function candidate(id: string, label: string, source: Endpoint['source'], resolve: () => Endpoint): ConnectionCandidate {
  try {
    return { id, label, source, endpoint: resolve() }
  } catch (error) {
    if (error instanceof SourceError) return { id, label, source, problem: error.apiError }
    throw error
  }
}

function isUserSocket(socketPath: string, env: NodeJS.ProcessEnv): boolean {
  const runtimeDir = env['XDG_RUNTIME_DIR']
  return runtimeDir !== undefined && runtimeDir !== '' && socketPath.startsWith(`${runtimeDir}/`)
}
