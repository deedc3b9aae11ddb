// Endpoint resolution is configuration, not the engine: these tests build real config
// directories and real unix sockets in temp dirs and check what gets chosen.
import { createHash } from 'node:crypto'
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { createServer, type Server } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { resolveEndpoint, type EndpointEnvironment } from '../../../src-main/sources/endpoint'
import { SourceError } from '../../../src-main/sources/errors'
import type { ApiError } from '../../../src-preload/contract'

let home: string
let servers: Server[]

beforeEach(() => {
  home = mkdtempSync(join(tmpdir(), 'layerlens-endpoint-'))
  servers = []
})

afterEach(async () => {
  await Promise.all(servers.map((server) => new Promise<void>((resolve) => server.close(() => resolve()))))
  rmSync(home, { recursive: true, force: true })
})

async function listeningSocket(path: string): Promise<string> {
  mkdirSync(join(path, '..'), { recursive: true })
  const server = createServer()
  servers.push(server)
  await new Promise<void>((resolve) => server.listen(path, resolve))
  return path
}

function writeContext(configDir: string, name: string, host: string, extra: Record<string, unknown> = {}): void {
  const dir = join(configDir, 'contexts', 'meta', createHash('sha256').update(name).digest('hex'))
  mkdirSync(dir, { recursive: true })
  writeFileSync(join(dir, 'meta.json'), JSON.stringify({ Name: name, Metadata: {}, Endpoints: { docker: { Host: host, SkipTLSVerify: false, ...extra } } }))
}

function writeConfig(configDir: string, config: Record<string, unknown>): void {
  mkdirSync(configDir, { recursive: true })
  writeFileSync(join(configDir, 'config.json'), JSON.stringify(config))
}

/** A machine with nothing on it unless a test adds it. */
function environment(env: NodeJS.ProcessEnv, overrides: Partial<EndpointEnvironment> = {}): EndpointEnvironment {
  return { env, homeDir: home, platform: 'linux', dockerSocket: join(home, 'no-docker.sock'), podmanSockets: [], ...overrides }
}

function apiErrorOf(run: () => unknown): ApiError {
  try {
    run()
  } catch (error) {
    if (error instanceof SourceError) return error.apiError
    throw error
  }
  throw new Error('expected a SourceError')
}

describe('DOCKER_HOST', () => {
  it('takes unix:// paths as sockets', () => {
    const endpoint = resolveEndpoint(environment({ DOCKER_HOST: 'unix:///srv/engine.sock' }))
    expect(endpoint).toEqual({ url: 'unix:///srv/engine.sock', source: 'DOCKER_HOST', transport: { kind: 'unix', socketPath: '/srv/engine.sock' } })
  })

  it('reads unix:// without a path as the default socket, like the CLI', () => {
    expect(resolveEndpoint(environment({ DOCKER_HOST: 'unix://' })).url).toBe('unix:///var/run/docker.sock')
  })

  it('takes tcp:// with the CLI default ports', () => {
    expect(resolveEndpoint(environment({ DOCKER_HOST: 'tcp://10.0.0.5' })).transport).toEqual({ kind: 'tcp', host: '10.0.0.5', port: 2375 })
    expect(resolveEndpoint(environment({ DOCKER_HOST: 'tcp://engine.local:12375' })).url).toBe('tcp://engine.local:12375')
    expect(resolveEndpoint(environment({ DOCKER_HOST: 'engine.local:2375' })).url).toBe('tcp://engine.local:2375')
    expect(resolveEndpoint(environment({ DOCKER_HOST: 'tcp://[::1]:2375' })).url).toBe('tcp://[::1]:2375')
  })

  it('turns TLS on with DOCKER_TLS_VERIFY, certificates from DOCKER_CERT_PATH or the config dir', () => {
    const withCertPath = resolveEndpoint(environment({ DOCKER_HOST: 'tcp://engine.local', DOCKER_TLS_VERIFY: '1', DOCKER_CERT_PATH: '/certs' }))
    expect(withCertPath.transport).toEqual({ kind: 'tcp', host: 'engine.local', port: 2376, tls: { certDir: '/certs', verify: true } })
    const withConfigDir = resolveEndpoint(environment({ DOCKER_HOST: 'tcp://engine.local:2376', DOCKER_TLS_VERIFY: '1' }))
    expect(withConfigDir.transport).toMatchObject({ tls: { certDir: join(home, '.docker'), verify: true } })
  })

  it('takes npipe://', () => {
    expect(resolveEndpoint(environment({ DOCKER_HOST: 'npipe:////./pipe/docker_engine' })).transport).toEqual({ kind: 'npipe', pipePath: '//./pipe/docker_engine' })
  })

  it('wins over DOCKER_CONTEXT and the current context', () => {
    const configDir = join(home, '.docker')
    writeContext(configDir, 'remote', 'tcp://remote:2375')
    writeConfig(configDir, { currentContext: 'remote' })
    const endpoint = resolveEndpoint(environment({ DOCKER_HOST: 'unix:///srv/engine.sock', DOCKER_CONTEXT: 'remote' }))
    expect(endpoint.source).toBe('DOCKER_HOST')
  })

  it.each([
    ['not a host', 'not a valid HOST:PORT'],
    ['tcp://engine:notaport', 'not a valid HOST:PORT'],
    ['http://engine:2375', '"http://" is not an engine address scheme'],
    ['/var/run/docker.sock', 'socket path without the unix:// scheme'],
    ['ssh://me@build-box', 'ssh:// engines are not supported']
  ])('refuses %j with a message naming the value and the accepted forms', (value, problem) => {
    const error = apiErrorOf(() => resolveEndpoint(environment({ DOCKER_HOST: value })))
    expect(error.code).toBe('BAD_DOCKER_HOST')
    expect(error.message).toContain(problem)
    expect(error.message).toContain('DOCKER_HOST is set to')
    expect(error.fix.length).toBeGreaterThan(20)
  })

  it('never shows credentials written into DOCKER_HOST', () => {
    const error = apiErrorOf(() => resolveEndpoint(environment({ DOCKER_HOST: 'ssh://deploy:hunter2@build-box' })))
    expect(error.message).not.toContain('hunter2')
    expect(error.message).toContain('ssh://build-box')
  })

  it('treats an empty DOCKER_HOST as unset', () => {
    expect(resolveEndpoint(environment({ DOCKER_HOST: '  ' })).source).toBe('default-socket')
  })
})

describe('docker contexts', () => {
  it('follows currentContext in config.json to the context endpoint', () => {
    const configDir = join(home, '.docker')
    writeContext(configDir, 'desktop-linux', `unix://${home}/.docker/desktop/docker.sock`)
    writeConfig(configDir, { currentContext: 'desktop-linux' })
    const endpoint = resolveEndpoint(environment({}))
    expect(endpoint).toEqual({
      url: `unix://${home}/.docker/desktop/docker.sock`,
      source: 'docker-context',
      contextName: 'desktop-linux',
      transport: { kind: 'unix', socketPath: `${home}/.docker/desktop/docker.sock` }
    })
  })

  it('lets DOCKER_CONTEXT override config.json, and DOCKER_CONFIG move the config dir', () => {
    const configDir = join(home, 'elsewhere')
    writeContext(configDir, 'remote', 'tcp://remote.example:2375')
    writeContext(configDir, 'other', 'tcp://other.example:2375')
    writeConfig(configDir, { currentContext: 'other' })
    const endpoint = resolveEndpoint(environment({ DOCKER_CONFIG: configDir, DOCKER_CONTEXT: 'remote' }))
    expect(endpoint.url).toBe('tcp://remote.example:2375')
    expect(endpoint.contextName).toBe('remote')
  })

  it('uses the context TLS material when the context has it', () => {
    const configDir = join(home, '.docker')
    writeContext(configDir, 'secure', 'tcp://secure.example:2376')
    const tlsDir = join(configDir, 'contexts', 'tls', createHash('sha256').update('secure').digest('hex'), 'docker')
    mkdirSync(tlsDir, { recursive: true })
    writeFileSync(join(tlsDir, 'ca.pem'), 'not a real certificate')
    const endpoint = resolveEndpoint(environment({ DOCKER_CONTEXT: 'secure' }))
    expect(endpoint.transport).toEqual({ kind: 'tcp', host: 'secure.example', port: 2376, tls: { certDir: tlsDir, verify: true } })
  })

  it('treats the context named "default" as no context', async () => {
    const dockerSocket = await listeningSocket(join(home, 'run', 'docker.sock'))
    writeConfig(join(home, '.docker'), { currentContext: 'default' })
    expect(resolveEndpoint(environment({}, { dockerSocket }))).toMatchObject({ source: 'default-socket', url: `unix://${dockerSocket}` })
  })

  it('ignores a malformed config.json, as the CLI does', () => {
    mkdirSync(join(home, '.docker'))
    writeFileSync(join(home, '.docker', 'config.json'), '{ not json')
    expect(resolveEndpoint(environment({})).source).toBe('default-socket')
  })

  it('explains a context that does not exist', () => {
    const error = apiErrorOf(() => resolveEndpoint(environment({ DOCKER_CONTEXT: 'gone' })))
    expect(error.code).toBe('BAD_DOCKER_HOST')
    expect(error.message).toBe('The docker context "gone" (named by DOCKER_CONTEXT) cannot be used: it does not exist.')
    expect(error.fix).toContain('docker context ls')
  })

  it('explains a context whose endpoint is unusable', () => {
    writeContext(join(home, '.docker'), 'broken', 'carrier-pigeon://loft')
    const error = apiErrorOf(() => resolveEndpoint(environment({ DOCKER_CONTEXT: 'broken' })))
    expect(error.code).toBe('BAD_DOCKER_HOST')
    expect(error.message).toContain('The docker context "broken" is set to "carrier-pigeon://loft"')
  })
})

describe('default sockets', () => {
  it('uses the Docker socket when it exists', async () => {
    const dockerSocket = await listeningSocket(join(home, 'run', 'docker.sock'))
    const podmanSocket = await listeningSocket(join(home, 'run', 'podman', 'podman.sock'))
    expect(resolveEndpoint(environment({}, { dockerSocket, podmanSockets: [podmanSocket] }))).toMatchObject({ source: 'default-socket', url: `unix://${dockerSocket}` })
  })

  it('finds a Podman socket when there is no Docker socket', async () => {
    const podmanSocket = await listeningSocket(join(home, 'run', 'podman', 'podman.sock'))
    const endpoint = resolveEndpoint(environment({}, { podmanSockets: [join(home, 'missing.sock'), podmanSocket] }))
    expect(endpoint).toEqual({ url: `unix://${podmanSocket}`, source: 'podman-socket', transport: { kind: 'unix', socketPath: podmanSocket } })
  })

  it('looks for the rootless Podman socket under XDG_RUNTIME_DIR', async () => {
    const runtimeDir = join(home, 'xdg')
    const podmanSocket = await listeningSocket(join(runtimeDir, 'podman', 'podman.sock'))
    const { podmanSockets: _unused, ...withoutPodmanOverride } = environment({ XDG_RUNTIME_DIR: runtimeDir })
    expect(resolveEndpoint(withoutPodmanOverride)).toMatchObject({ source: 'podman-socket', url: `unix://${podmanSocket}` })
  })

  it('does not take a plain file for a socket', () => {
    const notASocket = join(home, 'podman.sock')
    writeFileSync(notASocket, '')
    expect(resolveEndpoint(environment({}, { podmanSockets: [notASocket] })).source).toBe('default-socket')
  })

  it('falls back to the Docker socket path when nothing is there, so the error names it', () => {
    const dockerSocket = join(home, 'no-docker.sock')
    expect(resolveEndpoint(environment({}))).toMatchObject({ source: 'default-socket', url: `unix://${dockerSocket}` })
  })

  it('uses the named pipe on Windows', () => {
    expect(resolveEndpoint(environment({}, { platform: 'win32' }))).toMatchObject({ source: 'default-socket', url: 'npipe:////./pipe/docker_engine' })
  })
})
