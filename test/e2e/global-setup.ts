// Builds the e2e-only image, then starts `layerlens serve` once for the browser tests and hands
// its address (with the token) to them.
import { ensureManyFilesImage } from './many-files-image'
import { startServe } from './serve-process'
import { SERVER_URL_VARIABLE } from './server'

export default async function globalSetup(): Promise<() => Promise<void>> {
  ensureManyFilesImage()
  const server = await startServe()
  process.env[SERVER_URL_VARIABLE] = server.url
  return server.stop
}
