// What a user sees when the engine cannot be reached: real sockets, real permissions, real processes.
import { chmodSync, existsSync, mkdtempSync, rmSync, statSync } from 'node:fs'
import { createServer, type Server } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createService } from '../../src-main/service'
import type { ApiError, Result } from '../../src-preload/contract'
import { requireBuiltCli, runCli } from './support'

const NOBODY = 65534
const isRoot = process.getuid?.() === 0
const DOCKER_SOCKET = '/var/run/docker.sock'
/** The usual setup: root:docker, mode 660, so `nobody` may not open it. */
const dockerSocketIsGroupOnly = existsSync(DOCKER_SOCKET) && (statSync(DOCKER_SOCKET).mode & 0o006) === 0

let scratch: string
const servers: Server[] = []

beforeAll(() => {
  scratch = mkdtempSync(join(tmpdir(), 'layerlens-errors-'))
  chmodSync(scratch, 0o755)
})

afterAll(async () => {
  await Promise.all(servers.map((server) => new Promise<void>((resolve) => server.close(() => resolve()))))
  rmSync(scratch, { recursive: true, force: true })
})

interface SilentSocket {
  path: string
  /** Settles when the first client connection is closed by the client. */
  firstConnectionClosed: Promise<void>
}

/** A unix socket that accepts connections and never answers. */
async function silentSocket(name: string): Promise<SilentSocket> {
  const path = join(scratch, name)
  let closed: () => void = () => undefined
  const firstConnectionClosed = new Promise<void>((resolve) => (closed = resolve))
  const server = createServer((connection) => {
    connection.resume() // read (and drop) the request, so the client's hang-up is seen
    connection.once('close', closed)
  })
  servers.push(server)
  await new Promise<void>((resolve) => server.listen(path, resolve))
  return { path, firstConnectionClosed }
}

function errorOf(result: Result<unknown>): ApiError {
  if (result.ok) throw new Error('expected a failure')
  return result.error
}

const serviceWith = (env: NodeJS.ProcessEnv, timeoutMs?: number) =>
  createService({ environment: { env, homeDir: scratch }, ...(timeoutMs === undefined ? {} : { timeoutMs }) })

describe('engine errors through the service', () => {
  it('a DOCKER_HOST socket that does not exist: the engine is not running, and how to start it', async () => {
    const socket = join(scratch, 'nothing-here.sock')
    const error = errorOf(await serviceWith({ DOCKER_HOST: `unix://${socket}` }).engineInfo())
    expect(error.code).toBe('ENGINE_UNREACHABLE')
    expect(error.message).toBe(`Docker is not running at unix://${socket} (from DOCKER_HOST).`)
    expect(error.fix).toContain('sudo systemctl start docker')
    expect(error.fix).toContain('podman system service')
    expect(error.fix).toContain('DOCKER_HOST')
  })

  it('a TCP address where nothing listens: unreachable too', async () => {
    const error = errorOf(await serviceWith({ DOCKER_HOST: 'tcp://127.0.0.1:1' }).listImages())
    expect(error.code).toBe('ENGINE_UNREACHABLE')
    expect(error.message).toBe('Docker is not running at tcp://127.0.0.1:1 (from DOCKER_HOST).')
  })

  it('a bare host name that does not resolve: read as tcp://NAME:2375 as the docker command does, and the name is what to check', async () => {
    const error = errorOf(await serviceWith({ DOCKER_HOST: 'layerlens-no-such-host.invalid' }).listImages())
    expect(error.code).toBe('ENGINE_UNREACHABLE')
    expect(error.message).toBe('No engine can be reached at tcp://layerlens-no-such-host.invalid:2375 (from DOCKER_HOST): the host name does not resolve.')
    expect(error.fix).toMatch(/^Check the host name in DOCKER_HOST/)
  })

  it.each([['not a host'], ['http://127.0.0.1:2375'], ['/var/run/docker.sock']])(
    'a garbage DOCKER_HOST (%j) names the value read and the accepted forms',
    async (value) => {
      const error = errorOf(await serviceWith({ DOCKER_HOST: value }).analyzeImage('anything'))
      expect(error.code).toBe('BAD_DOCKER_HOST')
      expect(error.message).toContain(`DOCKER_HOST is set to "${value}"`)
      expect(`${error.message} ${error.fix}`).toMatch(/unix:\/\//)
      expect(`${error.message} ${error.fix}`).toMatch(/tcp:\/\//)
    }
  )

  it('an engine that accepts the connection but never answers: a timeout, and the request is abandoned', async () => {
    const socket = await silentSocket('silent.sock')
    const error = errorOf(await serviceWith({ DOCKER_HOST: `unix://${socket.path}` }, 300).engineInfo())
    expect(error.code).toBe('TIMEOUT')
    expect(error.message).toContain(`unix://${socket.path}`)
    await socket.firstConnectionClosed
  })
})

// Root may open any socket, so these run the built CLI as `nobody`.
describe.runIf(isRoot)('permission denied, as a user outside the docker group', () => {
  beforeAll(requireBuiltCli)

  it('on a socket with mode 000', async () => {
    const { path: socket } = await silentSocket('locked.sock')
    chmodSync(socket, 0o000)
    const run = await runCli(['audit', '--json', 'layerlens-fixtures/lesson-before:buildkit'], {
      asUid: NOBODY,
      env: { PATH: process.env['PATH'], HOME: scratch, DOCKER_HOST: `unix://${socket}` }
    })
    expect(run.exitCode).toBe(3)
    const report = JSON.parse(run.stdout) as { images: { ok: boolean; error?: ApiError }[] }
    expect(report.images[0]?.error?.code).toBe('PERMISSION_DENIED')
    expect(report.images[0]?.error?.fix).toContain('sudo usermod -aG docker $USER')
    expect(run.stderr).toContain(`Permission denied on the engine socket unix://${socket}`)
  })

  it.runIf(dockerSocketIsGroupOnly)('on the real Docker socket, found without any settings', async () => {
    const run = await runCli(['audit', 'layerlens-fixtures/lesson-before:buildkit'], {
      asUid: NOBODY,
      env: { PATH: process.env['PATH'], HOME: scratch, XDG_RUNTIME_DIR: scratch }
    })
    expect(run.exitCode).toBe(3)
    expect(run.stdout).toBe('')
    expect(run.stderr).toContain(`Permission denied on the engine socket unix://${DOCKER_SOCKET}`)
    expect(run.stderr).toContain('sudo usermod -aG docker $USER')
    expect(run.stderr).toContain('(PERMISSION_DENIED)')
  })
})

if (!isRoot) {
  it.skip('PERMISSION_DENIED is checked only as root, which may switch to `nobody` (as .ci/run does)', () => undefined)
}
