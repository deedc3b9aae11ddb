// In a browser (`layerlens serve`) the page never leaves the app and opens no window, except a
// lesson's https link in a new tab, without opener or referrer. In the desktop app the main
// process enforces the same rules itself.
import { isLessonLink } from '../../src-preload/contract'

/**
 * The app's own links are `#/…` routes; a file the page made itself (a report, a snapshot) is saved as a
 * download, which never navigates; a lesson link may open in a new tab; nothing else is followed.
 */
function mayFollow(anchor: HTMLAnchorElement): boolean {
  if ((anchor.getAttribute('href') ?? '').startsWith('#')) return true
  if (anchor.hasAttribute('download') && anchor.protocol === 'blob:' && anchor.href.startsWith(`blob:${location.origin}/`)) return true
  return isLessonLink(anchor.href) && anchor.target === '_blank' && anchor.relList.contains('noopener') && anchor.relList.contains('noreferrer')
}

function refuseForeignLinks(event: MouseEvent): void {
  const anchor = event.target instanceof Element ? event.target.closest('a[href]') : null
  if (anchor instanceof HTMLAnchorElement && !mayFollow(anchor)) event.preventDefault()
}

export function guardNavigation(): void {
  window.open = () => null
  document.addEventListener('click', refuseForeignLinks, true)
  document.addEventListener('auxclick', refuseForeignLinks, true)
}
