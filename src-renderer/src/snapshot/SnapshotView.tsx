import { ImageView } from '../components/ImageView'
import { useApi } from '../api/ApiContext'
import { useResult } from '../api/useResult'
import { ErrorState, Spinner } from '../components/States'
import { hrefOf } from '../routing'
import './snapshot.css'

export function SnapshotBanner({ kind }: { kind: 'sample' | 'file' }) {
  return (
    <div className="snapshot-banner" role="note">
      <strong>{kind === 'sample' ? 'Sample (snapshot) — no engine needed' : 'Snapshot file — no engine needed'}</strong>
      <span>
        Everything here was read from a snapshot: the layers, the file index and the findings, with no file contents. Comparing with another
        image and attaching a Dockerfile need the image on an engine.
      </span>
      <a href={hrefOf({ view: 'samples' })}>All samples</a>
    </div>
  )
}

/** A bundled sample, opened in the service and shown in the usual image view. */
export function SampleView({ sampleId, generation, onRetry }: { sampleId: string; generation: number; onRetry: () => void }) {
  const api = useApi()
  const opened = useResult(() => api.openSample(sampleId), `sample:${sampleId}:${generation}`)
  if (opened.status === 'error') return <ErrorState title={`The sample “${sampleId}” could not be opened`} error={opened.error} onRetry={onRetry} />
  if (opened.status === 'loading') return <Spinner label="Opening the sample…" />
  return (
    <>
      <SnapshotBanner kind="sample" />
      <ImageView imageRef={opened.value.imageId} generation={generation} onRetry={onRetry} fromSnapshot />
    </>
  )
}

/** A snapshot file the user opened earlier in this session. */
export function SnapshotFileView({ imageId, generation, onRetry }: { imageId: string; generation: number; onRetry: () => void }) {
  return (
    <>
      <SnapshotBanner kind="file" />
      <ImageView imageRef={imageId} generation={generation} onRetry={onRetry} fromSnapshot />
    </>
  )
}
