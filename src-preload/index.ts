// The bridge: one function per operation of the contract, nothing generic.
import { contextBridge, ipcRenderer } from 'electron'
import { channelOf, type Api } from './contract'

const api = {
  engineInfo: () => ipcRenderer.invoke(channelOf('engineInfo')),
  listImages: () => ipcRenderer.invoke(channelOf('listImages')),
  analyzeImage: (ref: string) => ipcRenderer.invoke(channelOf('analyzeImage'), ref),
  lessonParts: () => ipcRenderer.invoke(channelOf('lessonParts'))
} satisfies Api

contextBridge.exposeInMainWorld('layerlens', api)
