import { useEffect, useState } from 'react'

export type Route = { view: 'list' } | { view: 'image'; ref: string }

export function parseRoute(hash: string): Route {
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
