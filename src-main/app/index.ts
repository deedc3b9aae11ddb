// Electron entry: one hardened window, the IPC handlers, nothing else.
import { app, BrowserWindow, ipcMain, session, shell } from 'electron'
import { fileURLToPath } from 'node:url'
import { OPERATIONS, channelOf, isLessonLink } from '../../src-preload/contract'
import { dispatch } from '../dispatch'
import { createService } from '../service'
import { CONTENT_SECURITY_POLICY } from '../security'

const preloadPath = fileURLToPath(new URL('../preload/index.cjs', import.meta.url))
const rendererIndex = fileURLToPath(new URL('../renderer/index.html', import.meta.url))
const devServerUrl = process.env['ELECTRON_RENDERER_URL']

app.enableSandbox()

function isAppPage(url: string): boolean {
  if (devServerUrl) return url.startsWith(devServerUrl)
  return url.startsWith('file://') && fileURLToPath(url.split(/[?#]/)[0] ?? '') === rendererIndex
}

function registerIpc(): void {
  const service = createService()
  for (const operation of OPERATIONS) {
    ipcMain.handle(channelOf(operation), (event, ...args: unknown[]) => {
      if (!event.senderFrame || !isAppPage(event.senderFrame.url)) {
        return { ok: false, error: { code: 'INVALID_ARGUMENT', message: 'Request from an unknown page was refused.', fix: 'Reload Layerlens.' } }
      }
      return dispatch(service, operation, args)
    })
  }
}

function hardenSessions(): void {
  session.defaultSession.webRequest.onHeadersReceived((details, callback) => {
    callback({ responseHeaders: { ...details.responseHeaders, 'Content-Security-Policy': [CONTENT_SECURITY_POLICY] } })
  })
  session.defaultSession.setPermissionRequestHandler((_webContents, _permission, callback) => callback(false))
  app.on('web-contents-created', (_event, contents) => {
    contents.on('will-navigate', (event, url) => {
      if (!isAppPage(url)) event.preventDefault()
    })
    contents.on('will-attach-webview', (event) => event.preventDefault())
    // No window of ours ever opens; a lesson's https link goes to the user's browser instead.
    contents.setWindowOpenHandler(({ url }) => {
      if (isLessonLink(url)) void shell.openExternal(url)
      return { action: 'deny' }
    })
  })
}

function createWindow(): void {
  const window = new BrowserWindow({
    width: 1360,
    height: 900,
    minWidth: 900,
    minHeight: 600,
    title: 'Layerlens',
    show: false,
    webPreferences: {
      preload: preloadPath,
      sandbox: true,
      contextIsolation: true,
      nodeIntegration: false,
      webSecurity: true,
      spellcheck: false
    }
  })
  window.once('ready-to-show', () => window.show())
  if (devServerUrl) void window.loadURL(devServerUrl)
  else void window.loadFile(rendererIndex)
}

void app.whenReady().then(() => {
  hardenSessions()
  registerIpc()
  createWindow()
  app.on('activate', () => {
    if (BrowserWindow.getAllWindows().length === 0) createWindow()
  })
})

app.on('window-all-closed', () => {
  if (process.platform !== 'darwin') app.quit()
})
