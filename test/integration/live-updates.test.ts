// Live updates from the engine's events stream: images built, tagged, removed and pruned with the docker
// CLI move the watch's generation and change the list; a daemon of the test's own is stopped and started again.
import { execFileSync } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { ImageSummary } from '../../src-main/engine/model'
import { retryDelayMs } from '../../src-main/engine-watch'
import { createService } from '../../src-main/service'
import type { Api, EngineWatchStatus } from '../../src-preload/contract'
import { DisposableEngine } from './disposable-engine'
import { valueOf } from './support'

const SMALL_IMAGE = 'layerlens-fixtures/debian:bookworm-slim'

/** Long-polls the watch, as the app does, until a status satisfies `wanted`; returns every status seen. */
async function watchUntil(api: Api, wanted: (status: EngineWatchStatus) => boolean, since = 0): Promise<EngineWatchStatus[]> {
  const seen: EngineWatchStatus[] = []
  let revision = since
  for (;;) {
    const status = valueOf(await api.watchEngine(revision))
    seen.push(status)
    if (wanted(status)) return seen
    revision = status.revision
  }
}

const last = (statuses: EngineWatchStatus[]): EngineWatchStatus => statuses[statuses.length - 1]!

async function tagsOf(api: Api): Promise<string[]> {
  return valueOf(await api.listImages()).flatMap((image) => image.repoTags)
}

const hasTag = (tag: string) => (images: ImageSummary[]) => images.some((image) => image.repoTags.includes(tag))

/** Waits for the generation to move past `status`, then reads the list; again until `wanted` holds. */
async function listFollowing(api: Api, status: EngineWatchStatus, wanted: (images: ImageSummary[]) => boolean): Promise<EngineWatchStatus> {
  let current = status
  for (;;) {
    current = last(await watchUntil(api, (next) => next.generation > current.generation, current.revision))
    if (wanted(valueOf(await api.listImages()))) return current
  }
}

describe('live updates on the shared engines', () => {
  const tag = `layerlens-live-${randomBytes(4).toString('hex')}:t`

  afterAll(() => {
    for (const command of [['/usr/bin/docker', 'rmi', tag], ['podman', 'rmi', tag]]) {
      try {
        execFileSync(command[0]!, command.slice(1), { stdio: 'ignore' })
      } catch {
        // The test removed it already.
      }
    }
  })

  it('moves the generation when an image is tagged and untagged, and the list follows', async () => {
    const api = createService()
    const connected = last(await watchUntil(api, (status) => status.state === 'connected'))
    expect(connected).toMatchObject({ attempt: 0, connectionId: 'default-socket', endpoint: 'unix:///var/run/docker.sock' })
    expect(await tagsOf(api)).not.toContain(tag)

    execFileSync('/usr/bin/docker', ['tag', SMALL_IMAGE, tag])
    const tagged = await listFollowing(api, connected, hasTag(tag))
    expect(tagged.generation).toBeGreaterThan(connected.generation)

    execFileSync('/usr/bin/docker', ['rmi', tag])
    const untagged = await listFollowing(api, tagged, (images) => !hasTag(tag)(images))
    expect(untagged.generation).toBeGreaterThan(tagged.generation)
    expect(untagged.state).toBe('connected')
  }, 120_000)

  it('follows the engine chosen in the app, and its events', async () => {
    const api = createService()
    const before = last(await watchUntil(api, (status) => status.state === 'connected'))
    const podman = valueOf(await api.listConnections()).find((choice) => choice.source === 'podman-socket' && choice.engine !== undefined)
    if (podman === undefined) throw new Error('No Podman socket answers here: start it as scripts/engines/README.md says.')

    valueOf(await api.selectConnection(podman.id))
    const switched = last(await watchUntil(api, (status) => status.connectionId === podman.id && status.state === 'connected', before.revision))
    expect(switched).toMatchObject({ chosenInApp: true, endpoint: podman.url, attempt: 0 })
    expect(switched.generation).toBeGreaterThan(before.generation)

    execFileSync('podman', ['tag', `localhost/${SMALL_IMAGE}`, tag])
    const tagged = await listFollowing(api, switched, hasTag(`localhost/${tag}`))
    execFileSync('podman', ['rmi', tag])
    await listFollowing(api, tagged, (images) => !hasTag(`localhost/${tag}`)(images))
  }, 120_000)

  it('reports an engine that is not there as unreachable, with the reason and the next try', async () => {
    const api = createService({ environment: { env: { DOCKER_HOST: 'unix:///tmp/layerlens-no-engine-here.sock' } } })
    const status = last(await watchUntil(api, (next) => next.attempt >= 2))
    expect(status).toMatchObject({ state: 'unreachable', connectionId: 'docker-host', endpoint: 'unix:///tmp/layerlens-no-engine-here.sock' })
    expect(status.error?.code).toBe('ENGINE_UNREACHABLE')
    expect(status.error?.message).toContain('/tmp/layerlens-no-engine-here.sock')
    expect(status.nextRetryMs).toBeGreaterThan(0)
  }, 60_000)
})

describe("live updates on a daemon of the test's own", () => {
  const built = 'layerlens-live/built:1'
  const retagged = 'layerlens-live/retagged:1'
  /** Every image this test builds carries it, so the prune below can only touch those. */
  const label = 'layerlens.test.live-updates'
  let engine: DisposableEngine
  let contextDir: string

  beforeAll(async () => {
    engine = await DisposableEngine.start()
    engine.loadFrom20(SMALL_IMAGE)
    contextDir = mkdtempSync(join(tmpdir(), 'layerlens-live-'))
    writeFileSync(join(contextDir, 'Dockerfile'), `FROM ${SMALL_IMAGE}\nCMD ["true"]\n`)
  }, 180_000)

  afterAll(async () => {
    await engine?.dispose()
    if (contextDir !== undefined) rmSync(contextDir, { recursive: true, force: true })
  })

  /** The image id `docker build --quiet` prints; a new label value makes a new image. */
  const build = (value: string): string => engine.cli('build', '--quiet', '--label', `${label}=${value}`, '--tag', built, contextDir).output().trim()
  const idOf = (images: ImageSummary[], tag: string): string | undefined => images.find((image) => image.repoTags.includes(tag))?.id

  it('follows images built, tagged, removed and pruned', async () => {
    const api = createService({ environment: { env: { DOCKER_HOST: engine.host } } })
    const connected = last(await watchUntil(api, (status) => status.state === 'connected'))
    expect(idOf(valueOf(await api.listImages()), built)).toBeUndefined()

    const first = build('first')
    const afterBuild = await listFollowing(api, connected, (images) => idOf(images, built) === first)

    engine.cli('tag', built, retagged).output()
    const afterTag = await listFollowing(api, afterBuild, (images) => idOf(images, retagged) === first)

    engine.cli('rmi', retagged).output()
    const afterRemove = await listFollowing(api, afterTag, (images) => idOf(images, retagged) === undefined)

    // The rebuild takes the tag, and leaves the first image dangling.
    const second = build('second')
    expect(second).not.toBe(first)
    const afterRebuild = await listFollowing(
      api,
      afterRemove,
      (images) => idOf(images, built) === second && images.some((image) => image.id === first && image.dangling)
    )

    engine.cli('image', 'prune', '--force', '--filter', `label=${label}`).output()
    const afterPrune = await listFollowing(api, afterRebuild, (images) => !images.some((image) => image.id === first))
    expect(idOf(valueOf(await api.listImages()), built)).toBe(second)
    expect(afterPrune).toMatchObject({ state: 'connected', attempt: 0 })
  }, 180_000)

  it('says it is reconnecting with growing pauses while the daemon is down, and recovers when it is back', async () => {
    const api = createService({ environment: { env: { DOCKER_HOST: engine.host } } })
    const connected = last(await watchUntil(api, (status) => status.state === 'connected'))
    expect(await tagsOf(api)).toContain(SMALL_IMAGE)

    await engine.stop('SIGKILL')
    const whileDown = await watchUntil(api, (status) => status.attempt >= 3, connected.revision)
    const attempts = whileDown.map((status) => status.attempt)
    expect(attempts).toEqual([...attempts].sort((a, b) => a - b))
    for (const status of whileDown) {
      expect(status).toMatchObject({ state: 'reconnecting', endpoint: engine.host, error: { code: 'ENGINE_UNREACHABLE' } })
      expect(status.nextRetryMs).toBeLessThanOrEqual(retryDelayMs(status.attempt))
    }
    expect((await api.listImages()).ok).toBe(false)

    await engine.restart()
    const back = last(await watchUntil(api, (status) => status.state === 'connected', last(whileDown).revision))
    expect(back).toMatchObject({ attempt: 0 })
    expect(back.error).toBeUndefined()
    expect(back.generation).toBeGreaterThan(connected.generation)
    expect(await tagsOf(api)).toContain(SMALL_IMAGE)

    // And it follows the restarted daemon's events.
    const tag = `layerlens-live-${randomBytes(4).toString('hex')}:t`
    engine.cli('tag', SMALL_IMAGE, tag).output()
    await listFollowing(api, back, hasTag(tag))
  }, 180_000)
})
