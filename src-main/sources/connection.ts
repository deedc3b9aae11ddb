// The one place that creates dockerode clients.
import Docker from 'dockerode'
import { readFileSync } from 'node:fs'
import { Agent } from 'node:https'
import { join } from 'node:path'
import type { TlsSettings, Transport } from './docker-host'
import { resolveEndpoint, type Endpoint, type EndpointEnvironment } from './endpoint'
import { SourceError } from './errors'

const DEFAULT_TIMEOUT_MS = 30_000

export interface EngineConnection {
  client: Docker
  endpoint: Endpoint
  /** How long one metadata request may take before it is abandoned as a timeout. */
  timeoutMs: number
}

/** Resolves the endpoint and makes a client for it. Throws SourceError when the settings are unusable. */
export function connect(environment: EndpointEnvironment = {}, timeoutMs = DEFAULT_TIMEOUT_MS): EngineConnection {
  return connectTo(resolveEndpoint(environment), timeoutMs)
}

export function connectTo(endpoint: Endpoint, timeoutMs = DEFAULT_TIMEOUT_MS): EngineConnection {
  return { client: createClient(endpoint), endpoint, timeoutMs }
}

function createClient(endpoint: Endpoint): Docker {
  const options = clientOptions(endpoint.transport, endpoint)
  try {
    return new Docker(options)
  } catch {
    // docker-modem also reads DOCKER_HOST and DOCKER_CERT_PATH itself while constructing, and throws on values it dislikes.
    throw new SourceError({
      code: 'BAD_DOCKER_HOST',
      message: 'The Docker client library could not use the DOCKER_HOST or DOCKER_CERT_PATH settings of this environment.',
      fix: 'Check that DOCKER_HOST is unix:///path, tcp://HOST:PORT or npipe:////./pipe/NAME, and that DOCKER_CERT_PATH (if set) names a directory with ca.pem, cert.pem and key.pem.'
    })
  }
}

type ClientOptions = Docker.DockerOptions & { agent?: Agent }

function clientOptions(transport: Transport, endpoint: Endpoint): ClientOptions {
  switch (transport.kind) {
    case 'unix':
      return { socketPath: transport.socketPath }
    case 'npipe':
      return { socketPath: transport.pipePath }
    case 'tcp':
      if (!transport.tls) return { host: transport.host, port: transport.port, protocol: 'http' }
      return { host: transport.host, port: transport.port, protocol: 'https', ...tlsOptions(transport.tls, endpoint) }
  }
}

function tlsOptions(tls: TlsSettings, endpoint: Endpoint): Pick<ClientOptions, 'ca' | 'cert' | 'key' | 'agent'> {
  const ca = readTlsFile(tls.certDir, 'ca.pem', tls.verify, endpoint)
  const cert = readTlsFile(tls.certDir, 'cert.pem', false, endpoint)
  const key = readTlsFile(tls.certDir, 'key.pem', false, endpoint)
  const material = { ...(ca ? { ca } : {}), ...(cert && key ? { cert, key } : {}) }
  // Without verification the server certificate is accepted as is, as the CLI's --tls does.
  return tls.verify ? material : { ...material, agent: new Agent({ rejectUnauthorized: false }) }
}

function readTlsFile(certDir: string, name: string, required: boolean, endpoint: Endpoint): Buffer | undefined {
  try {
    return readFileSync(join(certDir, name))
  } catch {
    if (!required) return undefined
    const origin = endpoint.source === 'DOCKER_HOST' ? 'DOCKER_CERT_PATH (or ~/.docker)' : `the TLS files of the docker context "${endpoint.contextName ?? ''}"`
    throw new SourceError({
      code: 'BAD_DOCKER_HOST',
      message: `TLS verification is on for ${endpoint.url}, but ${name} cannot be read from ${origin}.`,
      fix: 'Put ca.pem, cert.pem and key.pem for this engine in that directory (set DOCKER_CERT_PATH to it), or unset DOCKER_TLS_VERIFY if the engine does not use TLS.'
    })
  }
}
