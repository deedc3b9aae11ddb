import type { Api } from '../../../src-preload/contract'
import { createHttpApi, takeTokenFromAddressBar } from './http'

/** Inside Electron the preload bridge is there; in a browser we talk to `layerlens serve`. */
export function chooseApi(): Api {
  return window.layerlens ?? createHttpApi(takeTokenFromAddressBar())
}

/** Only the desktop app writes files: `layerlens serve` is read-only, and its server refuses writes too. */
export const canWriteFiles = (): boolean => window.layerlens !== undefined
