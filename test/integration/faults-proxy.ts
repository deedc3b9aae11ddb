// A fault-injecting unix-socket proxy in front of a real engine socket: requests pass through to the
// real engine unless a fault matches them, and then they are swallowed (the engine never sees them) or
// their reply stops flowing after some bytes, with the connection left open, or flows slowly. Nothing stands in for the engine.
import { mkdtempSync, rmSync } from 'node:fs'
import { connect, createServer, type Server, type Socket } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

export type Fault = {
  /** Matched against the request path, e.g. /\/images\/.*\/get$/. */
  path: RegExp
  /** How many matching requests it hits; every one by default. */
  times?: number
} & (
  | /** `swallow`: never forwarded, never answered. A number: the reply stalls after that many bytes. */
  { stall: 'swallow' | number }
  /** The reply flows at this rate, as over a slow link. */
  | { bytesPerSecond: number }
)

const REQUEST_LINE = /^[A-Z]+ (\S+) HTTP\/1\.[01]\r\n/

export class FaultyProxy {
  /** Every request path the clients sent, in order, faulted or not. */
  readonly requests: string[] = []
  private readonly faults: Array<Fault & { hits: number }> = []
  private readonly connections = new Set<Socket>()

  private constructor(
    private readonly server: Server,
    private readonly dir: string
  ) {}

  static async start(upstreamSocket: string): Promise<FaultyProxy> {
    const dir = mkdtempSync(join(tmpdir(), 'll-faults-'))
    const server = createServer()
    const proxy = new FaultyProxy(server, dir)
    server.on('connection', (client) => proxy.relay(client, upstreamSocket))
    await new Promise<void>((resolve) => server.listen(proxy.socketPath, resolve))
    return proxy
  }

  get socketPath(): string {
    return join(this.dir, 'engine.sock')
  }

  get host(): string {
    return `unix://${this.socketPath}`
  }

  inject(fault: Fault): void {
    this.faults.push({ ...fault, hits: 0 })
  }

  async close(): Promise<void> {
    for (const connection of this.connections) connection.destroy()
    await new Promise<void>((resolve) => this.server.close(() => resolve()))
    rmSync(this.dir, { recursive: true, force: true })
  }

  private faultFor(path: string): Fault | undefined {
    const fault = this.faults.find((candidate) => candidate.path.test(path) && (candidate.times === undefined || candidate.hits < candidate.times))
    if (fault !== undefined) fault.hits += 1
    return fault
  }

  private relay(client: Socket, upstreamSocket: string): void {
    const upstream = connect(upstreamSocket)
    this.connections.add(client)
    this.connections.add(upstream)
    let replyLimit = Number.POSITIVE_INFINITY
    let bytesPerSecond = Number.POSITIVE_INFINITY
    let swallowing = false
    client.on('data', (chunk: Buffer) => {
      const path = REQUEST_LINE.exec(chunk.toString('latin1', 0, 2048))?.[1]
      if (path !== undefined) {
        this.requests.push(path)
        const fault = this.faultFor(path)
        swallowing = fault !== undefined && 'stall' in fault && fault.stall === 'swallow'
        if (fault !== undefined && 'stall' in fault && typeof fault.stall === 'number') replyLimit = fault.stall
        if (fault !== undefined && 'bytesPerSecond' in fault) bytesPerSecond = fault.bytesPerSecond
      }
      if (!swallowing) upstream.write(chunk)
    })
    upstream.on('data', (chunk: Buffer) => {
      if (replyLimit <= 0) return
      client.write(chunk.subarray(0, replyLimit))
      replyLimit -= chunk.length
      if (replyLimit <= 0) upstream.pause()
      else if (Number.isFinite(bytesPerSecond)) {
        upstream.pause()
        setTimeout(() => upstream.resume(), (chunk.length / bytesPerSecond) * 1000)
      }
    })
    const closeBoth = (): void => {
      client.destroy()
      upstream.destroy()
      this.connections.delete(client)
      this.connections.delete(upstream)
    }
    client.on('close', closeBoth)
    client.on('error', closeBoth)
    upstream.on('error', closeBoth)
    upstream.on('end', () => {
      if (replyLimit > 0) client.end()
    })
  }
}
