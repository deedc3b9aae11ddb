// Which engine to talk to, chosen the way the docker CLI chooses: DOCKER_HOST, else the current
// docker context, else the default socket; and, where no Docker socket exists, a Podman socket.
import { statSync } from 'node:fs'
import { homedir } from 'node:os'
import { join } from 'node:path'
import type { EngineInfo } from '../../src-preload/contract'
import { currentContext, dockerConfigDir, readContextEndpoint, type NamedContext } from './docker-context'
import { DEFAULT_DOCKER_SOCKET, DEFAULT_NAMED_PIPE, parseDockerHost, transportUrl, type TlsSettings, type Transport } from './docker-host'

export interface Endpoint {
  /** The address in canonical form, e.g. `unix:///var/run/docker.sock`. */
  url: string
  source: EngineInfo['source']
  contextName?: string
  transport: Transport
}

export interface EndpointEnvironment {
  env?: NodeJS.ProcessEnv
  homeDir?: string
  platform?: NodeJS.Platform
  /** The system Docker socket; a parameter so tests can stand in for a machine without one. */
  dockerSocket?: string
  /** Podman sockets to try, in order, when there is no Docker socket. */
  podmanSockets?: string[]
}

function defaultPodmanSockets(env: NodeJS.ProcessEnv): string[] {
  const runtimeDir = env['XDG_RUNTIME_DIR']
  return [...(runtimeDir ? [join(runtimeDir, 'podman', 'podman.sock')] : []), '/run/podman/podman.sock']
}

export function resolveEndpoint(environment: EndpointEnvironment = {}): Endpoint {
  const env = environment.env ?? process.env
  const configDir = dockerConfigDir(env, environment.homeDir ?? homedir())
  if (hasDockerHost(env)) return dockerHostEndpoint(env, configDir)
  const context = currentContext(env, configDir)
  if (context) return contextEndpoint(configDir, context)
  const defaultSocket = defaultSocketEndpoint(environment)
  if (defaultSocket.transport.kind === 'unix' && !isPresent(defaultSocket.transport.socketPath)) {
    const podmanSocket = presentPodmanSockets(environment)[0]
    if (podmanSocket) return podmanSocketEndpoint(podmanSocket)
  }
  // Also when nothing is there: connecting then fails with a message about the default socket.
  return defaultSocket
}

export const hasDockerHost = (env: NodeJS.ProcessEnv): boolean => (env['DOCKER_HOST'] ?? '').trim() !== ''

export function dockerHostEndpoint(env: NodeJS.ProcessEnv, configDir: string): Endpoint {
  const transport = parseDockerHost(env['DOCKER_HOST'] ?? '', 'DOCKER_HOST', tlsFromEnvironment(env, configDir))
  return { url: transportUrl(transport), source: 'DOCKER_HOST', transport }
}

export function contextEndpoint(configDir: string, context: NamedContext): Endpoint {
  const contextEndpoint = readContextEndpoint(configDir, context)
  const tls: TlsSettings | undefined = contextEndpoint.tlsDir ? { certDir: contextEndpoint.tlsDir, verify: !contextEndpoint.skipTlsVerify } : undefined
  const transport = parseDockerHost(contextEndpoint.host, `The docker context "${context.name}"`, tls)
  return { url: transportUrl(transport), source: 'docker-context', contextName: context.name, transport }
}

/** The docker CLI's "default" context without DOCKER_HOST: the system socket (the named pipe on Windows). */
export function defaultSocketEndpoint(environment: EndpointEnvironment): Endpoint {
  const transport: Transport =
    (environment.platform ?? process.platform) === 'win32'
      ? { kind: 'npipe', pipePath: DEFAULT_NAMED_PIPE }
      : { kind: 'unix', socketPath: environment.dockerSocket ?? DEFAULT_DOCKER_SOCKET }
  return { url: transportUrl(transport), source: 'default-socket', transport }
}

export function podmanSocketEndpoint(socketPath: string): Endpoint {
  const transport: Transport = { kind: 'unix', socketPath }
  return { url: transportUrl(transport), source: 'podman-socket', transport }
}

/** The Podman sockets that exist here, the user's own (rootless) first. */
export function presentPodmanSockets(environment: EndpointEnvironment): string[] {
  return (environment.podmanSockets ?? defaultPodmanSockets(environment.env ?? process.env)).filter(isPresent)
}

// The CLI turns TLS on for any non-empty DOCKER_TLS_VERIFY (even "0"), and DOCKER_TLS without verification.
function tlsFromEnvironment(env: NodeJS.ProcessEnv, configDir: string): TlsSettings | undefined {
  const verify = Boolean(env['DOCKER_TLS_VERIFY'])
  if (!verify && !env['DOCKER_TLS']) return undefined
  return { certDir: env['DOCKER_CERT_PATH'] || configDir, verify }
}

/** A socket we may not even look at is still there: connecting will say "permission denied". */
function isPresent(socketPath: string): boolean {
  try {
    return statSync(socketPath).isSocket()
  } catch (error) {
    return (error as { code?: string }).code === 'EACCES'
  }
}
