// The one declaration of what the Electron preload puts on `window`.
import type { Api } from '../../src-preload/contract'

declare global {
  interface Window {
    /** Present only inside the desktop app; the browser build talks HTTP instead. */
    readonly layerlens?: Api
  }
}

export {}
