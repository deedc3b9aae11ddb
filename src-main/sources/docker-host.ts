// Parsing an engine address the way the docker CLI does (its opts.ParseHost), a little stricter
// where the CLI would quietly turn a mistake into a wrong address.
import { badDockerHost } from './errors'

export const DEFAULT_DOCKER_SOCKET = '/var/run/docker.sock'
export const DEFAULT_NAMED_PIPE = '//./pipe/docker_engine'

export type Transport =
  | { kind: 'unix'; socketPath: string }
  | { kind: 'npipe'; pipePath: string }
  | { kind: 'tcp'; host: string; port: number; tls?: TlsSettings }

export interface TlsSettings {
  /** Directory with ca.pem, cert.pem and key.pem. */
  certDir: string
  verify: boolean
}

/** `origin` names where the value came from (e.g. `DOCKER_HOST`), for error messages. */
export function parseDockerHost(rawValue: string, origin: string, tls?: TlsSettings): Transport {
  const value = rawValue.trim()
  const separator = value.indexOf('://')
  const scheme = separator === -1 ? 'tcp' : value.slice(0, separator).toLowerCase()
  const rest = separator === -1 ? value : value.slice(separator + 3)

  switch (scheme) {
    case 'unix':
      return { kind: 'unix', socketPath: rest === '' ? DEFAULT_DOCKER_SOCKET : rest }
    case 'npipe':
      return { kind: 'npipe', pipePath: rest === '' ? DEFAULT_NAMED_PIPE : rest }
    case 'tcp':
      if (rest.startsWith('/')) {
        throw badDockerHost(rawValue, origin, 'it looks like a socket path without the unix:// scheme', `Write it as unix://${rest} (a socket) or tcp://HOST:PORT (a TCP address).`)
      }
      return parseTcp(rest, rawValue, origin, tls)
    case 'ssh':
      throw badDockerHost(
        rawValue,
        origin,
        'ssh:// engines are not supported yet',
        'Forward the remote socket over ssh and point DOCKER_HOST at the local end: `ssh -nNT -L /tmp/remote-docker.sock:/var/run/docker.sock USER@HOST`, then DOCKER_HOST=unix:///tmp/remote-docker.sock.'
      )
    case 'fd':
      throw badDockerHost(rawValue, origin, 'fd:// is an address for the daemon to listen on, not one a client can connect to')
    default:
      throw badDockerHost(rawValue, origin, `"${scheme}://" is not an engine address scheme`)
  }
}

function parseTcp(address: string, rawValue: string, origin: string, tls: TlsSettings | undefined): Transport {
  let url: URL
  try {
    url = new URL(`tcp://${address}`)
  } catch {
    throw badDockerHost(rawValue, origin, 'it is not a valid HOST:PORT address')
  }
  if (url.hostname === '' || url.username !== '' || url.password !== '' || url.search !== '' || url.hash !== '') {
    throw badDockerHost(rawValue, origin, 'it is not a valid HOST:PORT address')
  }
  if (url.pathname !== '' && url.pathname !== '/') {
    throw badDockerHost(rawValue, origin, 'an address with a path after HOST:PORT is not supported')
  }
  // The CLI's defaults: 2376 when TLS is on, 2375 otherwise.
  const port = url.port === '' ? (tls ? 2376 : 2375) : Number(url.port)
  const host = url.hostname.startsWith('[') ? url.hostname.slice(1, -1) : url.hostname
  return tls ? { kind: 'tcp', host, port, tls } : { kind: 'tcp', host, port }
}

/** The address in the CLI's canonical form, for display. */
export function transportUrl(transport: Transport): string {
  switch (transport.kind) {
    case 'unix':
      return `unix://${transport.socketPath}`
    case 'npipe':
      return `npipe://${transport.pipePath}`
    case 'tcp':
      return `tcp://${transport.host.includes(':') ? `[${transport.host}]` : transport.host}:${transport.port}`
  }
}
