import { useEffect, useState } from 'react'

export type Route =
  | { view: 'list' }
  | { view: 'image'; ref: string }
  | { view: 'compare'; before?: string; after?: string }
  /** A Dockerfile opened on its own, with no image. */
  | { view: 'dockerfile' }
  | { view: 'samples' }
  | { view: 'sample'; id: string }
  /** A snapshot file the user opened; it lives in the service until it stops. */
  | { view: 'snapshot'; imageId: string }
  /** An image archive file the user opened; like a snapshot, it lives in the service until it stops. */
  | { view: 'archive'; imageId: string }
  | { view: 'workshop'; step: number }

const SNAPSHOT_ROUTES: Array<[RegExp, (value: string) => Route]> = [
  [/^#\/samples$/, () => ({ view: 'samples' })],
  [/^#\/dockerfile$/, () => ({ view: 'dockerfile' })],
  [/^#\/sample\/([a-z0-9-]+)$/, (id) => ({ view: 'sample', id })],
  [/^#\/snapshot\/(sha256:[0-9a-f]{64})$/, (imageId) => ({ view: 'snapshot', imageId })],
  [/^#\/archive\/(sha256:[0-9a-f]{64})$/, (imageId) => ({ view: 'archive', imageId })],
  [/^#\/workshop(?:\/(\d{1,2}))?$/, (step) => ({ view: 'workshop', step: Number(step ?? 0) })]
]

export function parseRoute(hash: string): Route {
  for (const [pattern, routeOf] of SNAPSHOT_ROUTES) {
    const matched = pattern.exec(hash)
    if (matched !== null) return routeOf(matched[1]!)
  }
  const compare = /^#\/compare(?:\?(.*))?$/.exec(hash)
  if (compare !== null) {
    const query = new URLSearchParams(compare[1] ?? '')
    const route: Route = { view: 'compare' }
    const before = query.get('before')
    const after = query.get('after')
    if (before) route.before = before
    if (after) route.after = after
    return route
  }
  const match = /^#\/image\/(.+)$/.exec(hash)
  if (match?.[1] !== undefined) {
    try {
      return { view: 'image', ref: decodeURIComponent(match[1]) }
    } catch {
      return { view: 'list' }
    }
  }
  return { view: 'list' }
}

export function hrefOf(route: Route): string {
  if (route.view === 'samples') return '#/samples'
  if (route.view === 'dockerfile') return '#/dockerfile'
  if (route.view === 'sample') return `#/sample/${route.id}`
  if (route.view === 'snapshot') return `#/snapshot/${route.imageId}`
  if (route.view === 'archive') return `#/archive/${route.imageId}`
  if (route.view === 'workshop') return `#/workshop/${route.step}`
  if (route.view === 'compare') {
    const query = new URLSearchParams()
    if (route.before !== undefined) query.set('before', route.before)
    if (route.after !== undefined) query.set('after', route.after)
    const text = query.toString()
    return text === '' ? '#/compare' : `#/compare?${text}`
  }
  return route.view === 'image' ? `#/image/${encodeURIComponent(route.ref)}` : '#/'
}

export function navigate(route: Route): void {
  window.location.hash = hrefOf(route)
}

export function useRoute(): Route {
  const [route, setRoute] = useState(() => parseRoute(window.location.hash))
  useEffect(() => {
    const onChange = () => setRoute(parseRoute(window.location.hash))
    window.addEventListener('hashchange', onChange)
    return () => window.removeEventListener('hashchange', onChange)
  }, [])
  return route
}
