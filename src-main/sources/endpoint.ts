// Which engine to talk to, chosen the way the docker CLI chooses: DOCKER_HOST, else the current
// docker context, else the default socket; and, where no Docker socket exists, a Podman socket.
import { statSync } from 'node:fs'
import { homedir } from 'node:os'
import { join } from 'node:path'
import type { EngineInfo } from '../../src-preload/contract'
import { currentContext, dockerConfigDir, readContextEndpoint } from './docker-context'
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

  const dockerHost = env['DOCKER_HOST']
  if (dockerHost && dockerHost.trim() !== '') {
    const transport = parseDockerHost(dockerHost, 'DOCKER_HOST', tlsFromEnvironment(env, configDir))
    return { url: transportUrl(transport), source: 'DOCKER_HOST', transport }
  }

  const context = currentContext(env, configDir)
  if (context) {
    const contextEndpoint = readContextEndpoint(configDir, context)
    const tls: TlsSettings | undefined = contextEndpoint.tlsDir ? { certDir: contextEndpoint.tlsDir, verify: !contextEndpoint.skipTlsVerify } : undefined
    const transport = parseDockerHost(contextEndpoint.host, `The docker context "${context.name}"`, tls)
    return { url: transportUrl(transport), source: 'docker-context', contextName: context.name, transport }
  }

  if ((environment.platform ?? process.platform) === 'win32') {
    const transport: Transport = { kind: 'npipe', pipePath: DEFAULT_NAMED_PIPE }
    return { url: transportUrl(transport), source: 'default-socket', transport }
  }

  const dockerSocket = environment.dockerSocket ?? DEFAULT_DOCKER_SOCKET
  if (!isPresent(dockerSocket)) {
    const podmanSocket = (environment.podmanSockets ?? defaultPodmanSockets(env)).find(isPresent)
    if (podmanSocket) {
      const transport: Transport = { kind: 'unix', socketPath: podmanSocket }
      return { url: transportUrl(transport), source: 'podman-socket', transport }
    }
  }
  // Also when nothing is there: connecting then fails with a message about the default socket.
  const transport: Transport = { kind: 'unix', socketPath: dockerSocket }
  return { url: transportUrl(transport), source: 'default-socket', transport }
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
