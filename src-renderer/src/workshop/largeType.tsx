import { useEffect, useState } from 'react'
import './largeType.css'

const STORAGE_KEY = 'layerlens.largeType'
const ROOT_CLASS = 'large-type'

function storedLargeType(): boolean {
  try {
    return window.localStorage.getItem(STORAGE_KEY) === 'on'
  } catch {
    return false
  }
}

/** Large type for projectors: a class on the root that scales the whole page, remembered across sessions. */
export function LargeTypeToggle() {
  const [on, setOn] = useState(storedLargeType)
  useEffect(() => {
    document.documentElement.classList.toggle(ROOT_CLASS, on)
    try {
      window.localStorage.setItem(STORAGE_KEY, on ? 'on' : 'off')
    } catch {
      // Storage can be switched off; the toggle still works for this session.
    }
  }, [on])
  return (
    <button type="button" className="button button--ghost large-type-toggle" aria-pressed={on} onClick={() => setOn((value) => !value)} title="Larger type, for projectors">
      <span aria-hidden="true">Aa</span> Large type
    </button>
  )
}
