// The same daemon reached the other ways a user may point at it: over tcp:// and through a docker context.
import { createHash } from 'node:crypto'
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { connect as connectSocket, createServer, type Server, type Socket } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createService } from '../../src-main/service'
import { resolveEndpoint } from '../../src-main/sources/endpoint'
import type { EngineInfo } from '../../src-preload/contract'
import { dockerCliFormat, valueOf } from './support'

let daemonSocket: string
let scratch: string
let forwarder: Server
const connections = new Set<Socket>()

/** A loopback TCP port that forwards every connection to the daemon's unix socket. */
async function startForwarder(): Promise<number> {
  forwarder = createServer((client) => {
    const daemon = connectSocket(daemonSocket)
    for (const socket of [client, daemon]) {
      connections.add(socket)
      socket.on('close', () => connections.delete(socket))
      socket.on('error', () => undefined)
    }
    client.pipe(daemon).pipe(client)
  })
  await new Promise<void>((resolve) => forwarder.listen(0, '127.0.0.1', resolve))
  const address = forwarder.address()
  if (address === null || typeof address === 'string') throw new Error('the forwarder has no TCP port')
  return address.port
}

beforeAll(() => {
  const endpoint = resolveEndpoint()
  if (endpoint.transport.kind !== 'unix') throw new Error(`These tests forward to the daemon's unix socket; the engine here is at ${endpoint.url}.`)
  daemonSocket = endpoint.transport.socketPath
  scratch = mkdtempSync(join(tmpdir(), 'layerlens-forms-'))
})

afterAll(async () => {
  for (const socket of connections) socket.destroy()
  if (forwarder) await new Promise<void>((resolve) => forwarder.close(() => resolve()))
  rmSync(scratch, { recursive: true, force: true })
})

const expectedVersion = (): string => dockerCliFormat(['version'], '{{.Server.Version}}')

describe('connection forms', () => {
  it('reaches the daemon over tcp:// from DOCKER_HOST', async () => {
    const port = await startForwarder()
    const service = createService({ environment: { env: { DOCKER_HOST: `tcp://127.0.0.1:${port}` }, homeDir: scratch } })
    const info: EngineInfo = valueOf(await service.engineInfo())
    expect(info).toMatchObject({ endpoint: `tcp://127.0.0.1:${port}`, source: 'DOCKER_HOST', version: expectedVersion() })
    expect(valueOf(await service.listImages()).length).toBeGreaterThan(0)
  })

  it('reaches the daemon through the current docker context', async () => {
    const configDir = join(scratch, 'docker-config')
    const metaDir = join(configDir, 'contexts', 'meta', createHash('sha256').update('layerlens-test').digest('hex'))
    mkdirSync(metaDir, { recursive: true })
    writeFileSync(join(metaDir, 'meta.json'), JSON.stringify({ Name: 'layerlens-test', Metadata: {}, Endpoints: { docker: { Host: `unix://${daemonSocket}`, SkipTLSVerify: false } } }))
    writeFileSync(join(configDir, 'config.json'), JSON.stringify({ currentContext: 'layerlens-test' }))
    const service = createService({ environment: { env: { DOCKER_CONFIG: configDir }, homeDir: scratch } })
    const info = valueOf(await service.engineInfo())
    expect(info).toMatchObject({ endpoint: `unix://${daemonSocket}`, source: 'docker-context', contextName: 'layerlens-test', version: expectedVersion() })
  })
})
