// The connection picker against the real engines: a home folder of its own with docker contexts
// pointing at the Docker 26 daemons, the system Docker 20.10 socket and the Podman socket.
import { execFileSync } from 'node:child_process'
import { createHash } from 'node:crypto'
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createService } from '../../src-main/service'
import type { Api, ConnectionChoice, ScanStatus } from '../../src-preload/contract'
import { valueOf } from './support'

interface EngineEntry {
  name: string
  host: string
  version: string
}
const ENGINES: EngineEntry[] = JSON.parse(readFileSync('/run/layerlens/engines.json', 'utf8'))
const engine = (name: string): EngineEntry => {
  const entry = ENGINES.find((candidate) => candidate.name === name)
  if (entry === undefined) throw new Error(`/run/layerlens/engines.json lists no engine "${name}"`)
  return entry
}
const docker20 = engine('docker-20.10')
const docker26 = engine('docker-26')
const containerd = engine('docker-26-containerd')
const podman = ENGINES.find((entry) => entry.name.startsWith('podman'))!
const PODMAN_ID = `podman:${podman.host.slice('unix://'.length)}`
const SMALL_IMAGE = 'layerlens-fixtures/debian:bookworm-slim'

let home: string

function writeContext(configDir: string, name: string, host: string): void {
  const metaDir = join(configDir, 'contexts', 'meta', createHash('sha256').update(name).digest('hex'))
  mkdirSync(metaDir, { recursive: true })
  writeFileSync(join(metaDir, 'meta.json'), JSON.stringify({ Name: name, Metadata: {}, Endpoints: { docker: { Host: host, SkipTLSVerify: false } } }))
}

beforeAll(() => {
  home = mkdtempSync(join(tmpdir(), 'layerlens-connections-'))
  const configDir = join(home, '.docker')
  writeContext(configDir, 'docker26', docker26.host)
  writeContext(configDir, 'containerd-store', containerd.host)
  writeContext(configDir, 'build-box', 'ssh://deploy@build-box')
  writeFileSync(join(configDir, 'config.json'), JSON.stringify({ currentContext: 'docker26' }))
})

afterAll(() => rmSync(home, { recursive: true, force: true }))

/** The system's Docker and Podman sockets; the contexts from the home folder above. */
const service = (env: NodeJS.ProcessEnv = {}): Api => createService({ environment: { env, homeDir: home } })

/** The engine's own image ids, from the docker CLI as a witness. */
function imageIdsOn(host: string): string[] {
  const output = execFileSync('/usr/bin/docker', ['--host', host, 'images', '--all', '--quiet', '--no-trunc'], { encoding: 'utf8' })
  return [...new Set(output.split('\n').filter((line) => line !== '').map((id) => (id.startsWith('sha256:') ? id : `sha256:${id}`)))].sort()
}

async function listedIds(api: Api): Promise<string[]> {
  return valueOf(await api.listImages())
    .map((image) => image.id)
    .sort()
}

const byId = (choices: ConnectionChoice[], id: string): ConnectionChoice => {
  const choice = choices.find((candidate) => candidate.id === id)
  if (choice === undefined) throw new Error(`no connection ${id} among ${choices.map((candidate) => candidate.id).join(', ')}`)
  return choice
}

async function scanToEnd(api: Api, ref: string): Promise<ScanStatus> {
  let status = valueOf(await api.startScan(ref))
  while (status.state === 'running') {
    await new Promise((resolve) => setTimeout(resolve, 200))
    status = valueOf(await api.scanStatus(status.imageId))
  }
  return status
}

describe('the connection picker', () => {
  it('lists every context, the default socket and the Podman socket, each probed', async () => {
    const choices = valueOf(await service().listConnections())
    expect(choices.map((choice) => choice.id)).toEqual(['context:build-box', 'context:containerd-store', 'context:docker26', 'default-socket', PODMAN_ID])

    expect(byId(choices, 'context:docker26')).toMatchObject({
      url: docker26.host,
      source: 'docker-context',
      contextName: 'docker26',
      environmentDefault: true,
      selected: true,
      engine: { product: 'Docker', version: docker26.version }
    })
    expect(byId(choices, 'context:containerd-store')).toMatchObject({ url: containerd.host, environmentDefault: false, selected: false, engine: { version: containerd.version } })
    expect(byId(choices, 'default-socket')).toMatchObject({ url: docker20.host, source: 'default-socket', engine: { product: 'Docker', version: docker20.version } })
    expect(byId(choices, PODMAN_ID)).toMatchObject({ url: podman.host, source: 'podman-socket', label: 'Podman', engine: { product: 'Podman', version: podman.version } })

    const sshContext = byId(choices, 'context:build-box')
    expect(sshContext.url).toBeUndefined()
    expect(sshContext.engine).toBeUndefined()
    expect(sshContext.error).toMatchObject({ code: 'BAD_DOCKER_HOST' })
    expect(sshContext.error?.message).toContain('ssh://')
  })

  it('puts DOCKER_HOST first and uses it when it is set', async () => {
    const choices = valueOf(await service({ DOCKER_HOST: containerd.host }).listConnections())
    expect(choices[0]).toMatchObject({ id: 'docker-host', label: 'DOCKER_HOST', url: containerd.host, environmentDefault: true, selected: true })
    expect(byId(choices, 'context:docker26')).toMatchObject({ environmentDefault: false, selected: false })
  })

  it('makes every operation use the chosen engine', async () => {
    const api = service()
    expect(valueOf(await api.engineInfo())).toMatchObject({ endpoint: docker26.host, version: docker26.version })
    expect(await listedIds(api)).toEqual(imageIdsOn(docker26.host))

    expect(valueOf(await api.selectConnection('context:containerd-store'))).toMatchObject({ selected: true, url: containerd.host })
    expect(valueOf(await api.engineInfo())).toMatchObject({ endpoint: containerd.host, version: containerd.version })
    expect(await listedIds(api)).toEqual(imageIdsOn(containerd.host))

    valueOf(await api.selectConnection(PODMAN_ID))
    expect(valueOf(await api.engineInfo())).toMatchObject({ endpoint: podman.host, product: 'Podman', version: podman.version })
    expect(await listedIds(api)).toEqual(imageIdsOn(podman.host))
    const afterSwitch = valueOf(await api.listConnections())
    expect(afterSwitch.filter((choice) => choice.selected).map((choice) => choice.id)).toEqual([PODMAN_ID])
    expect(byId(afterSwitch, 'context:docker26').environmentDefault).toBe(true)
  })

  it('refuses an id it did not list, and settings it cannot use, and keeps the engine in use', async () => {
    const api = service()
    const unknown = await api.selectConnection('context:no-such-context')
    expect(unknown.ok).toBe(false)
    const ssh = await api.selectConnection('context:build-box')
    expect(ssh.ok ? undefined : ssh.error.code).toBe('BAD_DOCKER_HOST')
    expect(valueOf(await api.engineInfo()).endpoint).toBe(docker26.host)
  })

  it('keeps the scans of each engine apart, though the image id is the same on both', async () => {
    const api = service()
    valueOf(await api.selectConnection('default-socket'))
    const onDocker = await scanToEnd(api, SMALL_IMAGE)
    expect(onDocker.state).toBe('done')
    expect(onDocker.analysis.image.repoTags).toContain(SMALL_IMAGE)

    valueOf(await api.selectConnection(PODMAN_ID))
    // Podman has the same image (same id, same content) under its own name.
    const missing = await api.scanStatus(onDocker.imageId)
    expect(missing.ok).toBe(false)
    const onPodman = await scanToEnd(api, onDocker.imageId)
    expect(onPodman).toMatchObject({ imageId: onDocker.imageId, state: 'done' })
    expect(onPodman.analysis.image.repoTags).toContain(`localhost/${SMALL_IMAGE}`)
    expect(onPodman.analysis.image.repoTags).not.toContain(SMALL_IMAGE)
  })
})
