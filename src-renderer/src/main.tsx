import { StrictMode } from 'react'
import { createRoot } from 'react-dom/client'
import { ApiProvider } from './api/ApiContext'
import { chooseApi } from './api/chooseApi'
import { App } from './App'
import { guardNavigation } from './navigationGuard'
import './styles/base.css'
import './styles/layout.css'
import './styles/connections.css'
import './styles/list.css'
import './styles/image.css'
import './styles/findings.css'
import './styles/contents.css'
import './dockerfile/dockerfile.css'
import './compare/compare.css'

const container = document.getElementById('root')
if (container === null) throw new Error('index.html has no #root element.')

if (window.layerlens === undefined) guardNavigation()

createRoot(container).render(
  <StrictMode>
    <ApiProvider api={chooseApi()}>
      <App />
    </ApiProvider>
  </StrictMode>
)
