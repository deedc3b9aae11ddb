import { describe, expect, it } from 'vitest'
import { DEFAULT_WATCH_TIMING, retryDelayMs } from '../../src-main/engine-watch'
import { changesList } from '../../src-main/sources/connection-events'

describe('the reconnect pause', () => {
  it('starts at half a second and doubles up to ten seconds', () => {
    expect([1, 2, 3, 4, 5, 6, 7, 20].map((attempt) => retryDelayMs(attempt))).toEqual([500, 1000, 2000, 4000, 8000, 10_000, 10_000, 10_000])
  })

  it('follows the timing it is given', () => {
    expect(retryDelayMs(3, { ...DEFAULT_WATCH_TIMING, firstRetryDelayMs: 100, maxRetryDelayMs: 300 })).toBe(300)
  })
})

describe('which image events change the list', () => {
  const event = (fields: Record<string, string>): string => JSON.stringify({ Type: 'image', Actor: { ID: 'sha256:abc' }, ...fields })

  it('counts what adds, names or removes images, as Docker and Podman word it', () => {
    for (const action of ['tag', 'untag', 'delete', 'prune', 'pull', 'load', 'import', 'remove']) {
      expect(changesList(event({ Action: action, status: action })), action).toBe(true)
    }
    expect(changesList(JSON.stringify({ status: 'untag' }))).toBe(true)
  })

  it('leaves out exports (every scan makes one) and the actions that leave the list as it was', () => {
    for (const action of ['save', 'push', 'mount', 'unmount']) expect(changesList(event({ Action: action })), action).toBe(false)
  })

  it('counts a line it cannot read', () => {
    expect(changesList('{not json')).toBe(true)
    expect(changesList(JSON.stringify({ Type: 'image' }))).toBe(true)
  })
})
