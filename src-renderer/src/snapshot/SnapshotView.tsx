import { ImageView } from '../components/ImageView'
import { useApi } from '../api/ApiContext'
import { useResult } from '../api/useResult'
import { ErrorState, Spinner } from '../components/States'
import { hrefOf } from '../routing'
import './snapshot.css'

type OpenedKind = 'sample' | 'file' | 'archive'

const BANNER_TITLES: Record<OpenedKind, string> = {
  sample: 'Sample (snapshot) — no engine needed',
  file: 'Snapshot file — no engine needed',
  archive: 'Image archive — no engine needed'
}

export function SnapshotBanner({ kind }: { kind: OpenedKind }) {
  return (
    <div className="snapshot-banner" role="note">
      <strong>{BANNER_TITLES[kind]}</strong>
      <span>
        {kind === 'archive'
          ? 'Everything here was read from the archive file: the layers, the file index and the findings; no file contents are kept.'
          : 'Everything here was read from a snapshot: the layers, the file index and the findings, with no file contents.'}{' '}
        Comparing with another image and attaching a Dockerfile need the image on an engine.
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

/** A snapshot or image archive file the user opened earlier in this session. */
export function SnapshotFileView({ kind, imageId, generation, onRetry }: { kind: 'file' | 'archive'; imageId: string; generation: number; onRetry: () => void }) {
  return (
    <>
      <SnapshotBanner kind={kind} />
      <ImageView imageRef={imageId} generation={generation} onRetry={onRetry} fromSnapshot />
    </>
  )
}
