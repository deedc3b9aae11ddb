// The bridge: one function per operation of the contract, nothing generic.
import { contextBridge, ipcRenderer } from 'electron'
import { channelOf, type Api, type FileView, type ReportFormat } from './contract'

const api = {
  engineInfo: () => ipcRenderer.invoke(channelOf('engineInfo')),
  listImages: () => ipcRenderer.invoke(channelOf('listImages')),
  listConnections: () => ipcRenderer.invoke(channelOf('listConnections')),
  selectConnection: (id: string) => ipcRenderer.invoke(channelOf('selectConnection'), id),
  watchEngine: (sinceRevision: number) => ipcRenderer.invoke(channelOf('watchEngine'), sinceRevision),
  analyzeImage: (ref: string) => ipcRenderer.invoke(channelOf('analyzeImage'), ref),
  lessonParts: () => ipcRenderer.invoke(channelOf('lessonParts')),
  startScan: (ref: string) => ipcRenderer.invoke(channelOf('startScan'), ref),
  scanStatus: (imageId: string) => ipcRenderer.invoke(channelOf('scanStatus'), imageId),
  cancelScan: (imageId: string) => ipcRenderer.invoke(channelOf('cancelScan'), imageId),
  layerFiles: (imageId: string, layerIndex: number, view: FileView) => ipcRenderer.invoke(channelOf('layerFiles'), imageId, layerIndex, view),
  attachDockerfile: (ref: string, dockerfilePath: string, contextDir: string | null) =>
    ipcRenderer.invoke(channelOf('attachDockerfile'), ref, dockerfilePath, contextDir),
  checkDockerfile: (dockerfilePath: string, contextDir: string | null) => ipcRenderer.invoke(channelOf('checkDockerfile'), dockerfilePath, contextDir),
  applyFixes: (ref: string | null, dockerfilePath: string, contextDir: string | null, expectedOriginalSha256: string) =>
    ipcRenderer.invoke(channelOf('applyFixes'), ref, dockerfilePath, contextDir, expectedOriginalSha256),
  compareImages: (refA: string, refB: string) => ipcRenderer.invoke(channelOf('compareImages'), refA, refB),
  listSamples: () => ipcRenderer.invoke(channelOf('listSamples')),
  openSample: (id: string) => ipcRenderer.invoke(channelOf('openSample'), id),
  openSnapshot: (text: string) => ipcRenderer.invoke(channelOf('openSnapshot'), text),
  openArchive: (path: string) => ipcRenderer.invoke(channelOf('openArchive'), path),
  exportSnapshot: (imageId: string) => ipcRenderer.invoke(channelOf('exportSnapshot'), imageId),
  imageReport: (imageId: string, format: ReportFormat) => ipcRenderer.invoke(channelOf('imageReport'), imageId, format)
} satisfies Api

contextBridge.exposeInMainWorld('layerlens', api)
