import type { Api } from '../../../src-preload/contract'
import { createHttpApi, takeTokenFromAddressBar } from './http'

/** Inside Electron the preload bridge is there; in a browser we talk to `layerlens serve`. */
export function chooseApi(): Api {
  return window.layerlens ?? createHttpApi(takeTokenFromAddressBar())
}
