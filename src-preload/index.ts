// The bridge: one function per operation of the contract, nothing generic.
import { contextBridge, ipcRenderer } from 'electron'
import { channelOf, type Api, type FileView } from './contract'

const api = {
  engineInfo: () => ipcRenderer.invoke(channelOf('engineInfo')),
  listImages: () => ipcRenderer.invoke(channelOf('listImages')),
  analyzeImage: (ref: string) => ipcRenderer.invoke(channelOf('analyzeImage'), ref),
  lessonParts: () => ipcRenderer.invoke(channelOf('lessonParts')),
  startScan: (ref: string) => ipcRenderer.invoke(channelOf('startScan'), ref),
  scanStatus: (imageId: string) => ipcRenderer.invoke(channelOf('scanStatus'), imageId),
  cancelScan: (imageId: string) => ipcRenderer.invoke(channelOf('cancelScan'), imageId),
  layerFiles: (imageId: string, layerIndex: number, view: FileView) => ipcRenderer.invoke(channelOf('layerFiles'), imageId, layerIndex, view)
} satisfies Api

contextBridge.exposeInMainWorld('layerlens', api)
