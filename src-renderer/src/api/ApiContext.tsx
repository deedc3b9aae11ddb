import { createContext, useContext, type ReactNode } from 'react'
import type { Api } from '../../../src-preload/contract'

const ApiContext = createContext<Api | null>(null)

export function ApiProvider({ api, children }: { api: Api; children: ReactNode }) {
  return <ApiContext.Provider value={api}>{children}</ApiContext.Provider>
}

export function useApi(): Api {
  const api = useContext(ApiContext)
  if (api === null) throw new Error('useApi must be used inside <ApiProvider>.')
  return api
}
