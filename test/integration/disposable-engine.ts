// A real Docker 26 daemon of a test's own, on its own socket, data root and exec root, so a test may
// stop, kill and restart it without disturbing the engines the other tests share. It uses the Docker 26
// that scripts/engines/start.sh unpacked (.ci/run does), and the images it needs are copied in from the
// Docker 20.10 daemon with `docker save | docker load`.
import { execFileSync, spawn, type ChildProcess } from 'node:child_process'
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { request } from 'node:http'
import { join } from 'node:path'

const DOCKER26_PREFIX = '/opt/layerlens-engines/docker26'
const DOCKERD = `${DOCKER26_PREFIX}/usr/sbin/dockerd`
const DOCKER26_CLIENT = `${DOCKER26_PREFIX}/usr/bin/docker`
const DOCKER20_CLIENT = '/usr/bin/docker'
const START_TIMEOUT_MS = 60_000

export class DisposableEngine {
  /** e.g. `unix:///run/ll-test-AbC123/docker.sock`; stays the same across restarts. */
  readonly host: string
  private readonly dir: string
  private daemon: ChildProcess | undefined
  private log = ''

  private constructor(dir: string) {
    this.dir = dir
    this.host = `unix://${join(dir, 'docker.sock')}`
  }

  /** Starts a fresh daemon. Fails with the reason when Docker 26 is not unpacked or does not come up. */
  static async start(): Promise<DisposableEngine> {
    if (!existsSync(DOCKERD)) throw new Error(`${DOCKERD} is missing: run scripts/engines/start.sh first (.ci/run does).`)
    // Short: the daemon's containerd socket lives under the exec root, and unix socket paths are limited to 108 bytes.
    const engine = new DisposableEngine(mkdtempSync('/run/ll-test-'))
    await engine.restart()
    return engine
  }

  get socketPath(): string {
    return this.host.slice('unix://'.length)
  }

  get running(): boolean {
    return this.daemon !== undefined && this.daemon.exitCode === null && this.daemon.signalCode === null
  }

  /** Starts the daemon again on the same data root (its images survive), and waits until it answers. */
  async restart(): Promise<void> {
    if (this.running) throw new Error('the disposable engine is already running')
    this.log = ''
    const daemon = spawn(
      DOCKERD,
      [
        '--host', this.host,
        '--data-root', join(this.dir, 'data'),
        '--exec-root', join(this.dir, 'exec'),
        '--pidfile', join(this.dir, 'docker.pid'),
        '--bridge=none', '--iptables=false', '--ip6tables=false'
      ],
      { env: { ...process.env, PATH: `${DOCKER26_PREFIX}/usr/sbin:${DOCKER26_PREFIX}/usr/bin:${process.env.PATH ?? ''}` }, stdio: ['ignore', 'pipe', 'pipe'] }
    )
    const keepLog = (chunk: Buffer): void => {
      this.log = (this.log + chunk.toString()).slice(-4000)
    }
    daemon.stdout?.on('data', keepLog)
    daemon.stderr?.on('data', keepLog)
    this.daemon = daemon
    const deadline = Date.now() + START_TIMEOUT_MS
    while (!(await this.answers())) {
      if (!this.running) throw new Error(`the disposable dockerd exited while starting:\n${this.log}`)
      if (Date.now() > deadline) throw new Error(`the disposable dockerd did not answer within ${START_TIMEOUT_MS / 1000} s:\n${this.log}`)
      await new Promise((resolve) => setTimeout(resolve, 200))
    }
  }

  /** Copies images from the Docker 20.10 daemon into this one. */
  loadFrom20(...refs: string[]): void {
    const saved = execFileSync(DOCKER20_CLIENT, ['save', ...refs], { maxBuffer: 4 * 1024 ** 3 })
    this.cli('load', '--quiet').input(saved)
  }

  /** Runs the Docker 26 client against this daemon; `.input(buffer)` feeds its stdin. */
  cli(...args: string[]): { output: () => string; input: (stdin: Buffer) => string } {
    const run = (input?: Buffer): string =>
      execFileSync(DOCKER26_CLIENT, ['--host', this.host, ...args], { encoding: 'utf8', input, maxBuffer: 64 * 1024 * 1024 })
    return { output: () => run(), input: (stdin) => run(stdin) }
  }

  /** Stops the daemon: SIGTERM for a clean shutdown, SIGKILL for a crash. Resolves once it has exited. */
  async stop(signal: 'SIGTERM' | 'SIGKILL' = 'SIGTERM'): Promise<void> {
    const daemon = this.daemon
    if (daemon === undefined || !this.running) return
    const exited = new Promise<void>((resolve) => daemon.once('exit', () => resolve()))
    daemon.kill(signal)
    await exited
    if (signal === 'SIGKILL') killManagedContainerd(join(this.dir, 'exec'))
  }

  /** Stops the daemon and deletes everything it stored. */
  async dispose(): Promise<void> {
    await this.stop('SIGTERM')
    killManagedContainerd(join(this.dir, 'exec'))
    unmountUnder(this.dir)
    rmSync(this.dir, { recursive: true, force: true })
  }

  private answers(): Promise<boolean> {
    return new Promise((resolve) => {
      const probe = request({ socketPath: this.socketPath, path: '/_ping', timeout: 2000 }, (response) => {
        response.resume()
        resolve(response.statusCode === 200)
      })
      probe.on('error', () => resolve(false))
      probe.on('timeout', () => probe.destroy())
      probe.end()
    })
  }
}

/** A killed dockerd leaves its managed containerd running; it would hold the exec root's sockets. */
function killManagedContainerd(execRoot: string): void {
  try {
    execFileSync('pkill', ['-KILL', '-f', `containerd --config ${execRoot}`])
  } catch {
    // pkill exits 1 when nothing matched.
  }
}

/** The daemon mounts its data root (and any layers in use) on itself; a killed one leaves them behind. */
function unmountUnder(dir: string): void {
  const mountPoints = readFileSync('/proc/mounts', 'utf8')
    .split('\n')
    .map((line) => line.split(' ')[1] ?? '')
    .filter((mountPoint) => mountPoint.startsWith(`${dir}/`))
  for (const mountPoint of mountPoints.reverse()) execFileSync('umount', ['-l', mountPoint])
}
