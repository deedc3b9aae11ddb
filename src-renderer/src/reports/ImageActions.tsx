import { useEffect, useState } from 'react'
import type { ApiError, Result } from '../../../src-preload/contract'
import { useApi } from '../api/ApiContext'
import { settle } from '../api/settle'
import { downloadText, fileStem } from './download'
import './reports.css'

interface Download {
  label: string
  suffix: string
  type: string
  load: (imageId: string) => Promise<Result<string>>
}

/** Save the open image as a snapshot or a report, or print it. Saving waits for the scan to finish. */
export function ImageActions({ imageId, imageName, ready }: { imageId: string | undefined; imageName: string; ready: boolean }) {
  const api = useApi()
  const [busy, setBusy] = useState<string | null>(null)
  const [error, setError] = useState<ApiError | null>(null)
  const downloads: Download[] = [
    { label: 'Export snapshot', suffix: '.layerlens.json', type: 'application/json', load: (id) => api.exportSnapshot(id) },
    { label: 'Save HTML report', suffix: '.report.html', type: 'text/html', load: (id) => api.imageReport(id, 'html') },
    { label: 'Save Markdown report', suffix: '.report.md', type: 'text/markdown', load: (id) => api.imageReport(id, 'markdown') }
  ]
  const save = async (download: Download) => {
    if (imageId === undefined) return
    setBusy(download.label)
    setError(null)
    const result = await settle(() => download.load(imageId))
    setBusy(null)
    if (result.ok) downloadText(`${fileStem(imageName)}${download.suffix}`, result.value, download.type)
    else setError(result.error)
  }
  // Paper has no disclosure triangles: whatever is folded is printed open.
  useEffect(() => {
    const unfold = () => document.querySelectorAll('details').forEach((details) => (details.open = true))
    window.addEventListener('beforeprint', unfold)
    return () => window.removeEventListener('beforeprint', unfold)
  }, [])
  const disabledWhy = ready ? undefined : 'Available once the scan of the layers is done'
  return (
    <div className="image-actions" role="group" aria-label="Save or print this image's analysis">
      {downloads.map((download) => (
        <button key={download.label} type="button" className="button button--ghost" disabled={!ready || busy !== null} title={disabledWhy} onClick={() => void save(download)}>
          {busy === download.label ? 'Saving…' : download.label}
        </button>
      ))}
      <button type="button" className="button button--ghost" onClick={() => window.print()}>
        Print
      </button>
      {error !== null && (
        <p className="image-actions-error" role="alert">
          {error.message} {error.fix}
        </p>
      )}
    </div>
  )
}
