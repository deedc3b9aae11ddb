import { useCallback, useEffect, useMemo, useRef, useState, type MouseEvent } from 'react'
import type { DockerfileAttachment } from '../../../src-preload/contract'
import type { LessonPart, LessonPartId } from '../../../src-main/engine/model'
import { useApi } from '../api/ApiContext'
import { useResult } from '../api/useResult'
import { useScan } from '../api/useScan'
import { DockerfilePanel } from '../dockerfile/DockerfilePanel'
import { stepLineNotes } from '../dockerfile/StepLine'
import { FileExplorer, type ExplorerTarget } from '../explorer/FileExplorer'
import { ImageActions } from '../reports/ImageActions'
import { hrefOf, navigate } from '../routing'
import { ConfigPanel } from './ConfigPanel'
import { FindingsPanel } from './FindingsPanel'
import { displayName } from './ImageList'
import { LayerChart } from './LayerChart'
import { LessonPanel } from './LessonPanel'
import { StepTable } from './StepTable'
import { ErrorState, Skeleton, Spinner } from './States'
import { ScanProgress } from './ScanProgress'
import { SummaryPanel } from './SummaryPanel'
import { WastePanel } from './WastePanel'

/** A step chosen in the chart or in a finding; `nonce` makes choosing the same step again scroll again. */
export interface StepSelection {
  index: number
  nonce: number
}

/** A step (and a path in it) to select from outside, as the workshop walk does; a new `key` selects again. */
export interface ImageFocus {
  stepIndex: number
  path?: string | undefined
  key: string
}

/** `fromSnapshot`: the image is a sample or snapshot file, with no engine behind it to compare with or attach a Dockerfile to. */
export function ImageView({
  imageRef,
  generation,
  onRetry,
  focus,
  fromSnapshot = false
}: {
  imageRef: string
  generation: number
  onRetry: () => void
  focus?: ImageFocus
  fromSnapshot?: boolean
}) {
  const api = useApi()
  const analysis = useResult(() => api.analyzeImage(imageRef), `analysis:${imageRef}:${generation}`)
  const lessons = useResult(() => api.lessonParts(), `lessons:${generation}`)
  const scan = useScan(imageRef, generation)
  const [selection, setSelection] = useState<StepSelection | null>(null)
  const [explorerTarget, setExplorerTarget] = useState<ExplorerTarget | null>(null)
  const [openLesson, setOpenLesson] = useState<LessonPartId | null>(null)
  const [attachment, setAttachment] = useState<DockerfileAttachment | null>(null)

  const fromAnalysis = analysis.status === 'ok' ? analysis.value : analysis.status === 'loading' ? analysis.previous : undefined
  // The scan's analysis is the same one with the file findings merged in, so it wins once there.
  const value = scan.status?.analysis ?? fromAnalysis
  const steps = value?.steps
  const layerCount = value?.layers.length ?? 0
  // An attachment made for another image (the route moved on) does not apply here.
  const currentAttachment = attachment !== null && attachment.imageId === value?.image.id ? attachment : null
  const stepNotes = useMemo(() => (currentAttachment === null ? undefined : stepLineNotes(currentAttachment)), [currentAttachment])

  const closeLesson = useCallback(() => setOpenLesson(null), [])
  const showLayer = useCallback(
    (layerIndex: number, revealPath?: string) => setExplorerTarget((before) => ({ layerIndex, revealPath, nonce: (before?.nonce ?? 0) + 1 })),
    []
  )
  const selectStep = useCallback(
    (index: number) => {
      setSelection((before) => ({ index, nonce: (before?.nonce ?? 0) + 1 }))
      const layerIndex = steps?.[index]?.layerIndex
      if (layerIndex !== undefined) showLayer(layerIndex)
    },
    [steps, showLayer]
  )
  /** Shows a path in the explorer, at the layer of the first step given that made one (else the last layer). */
  const revealPath = useCallback(
    (path: string, stepIndexes: readonly number[]) => {
      const layerIndex = stepIndexes.map((index) => steps?.[index]?.layerIndex).find((index) => index !== undefined) ?? layerCount - 1
      showLayer(layerIndex, path)
      document.getElementById('files-section')?.scrollIntoView({ behavior: 'smooth', block: 'start' })
    },
    [steps, layerCount, showLayer]
  )
  const focusSection = useRef<string | null>(null)
  useEffect(() => {
    if (focus === undefined || steps === undefined) return
    focusSection.current = focus.path !== undefined ? 'files-section' : 'layers-section'
    selectStep(focus.stepIndex)
    if (focus.path !== undefined) revealPath(focus.path, [focus.stepIndex])
    // Only a new focus (or the steps arriving) moves the view; the callbacks change with every scan status.
  }, [focus?.key, steps === undefined])
  // Runs after the step table has scrolled to the selected step, so the focus's own section ends in view.
  useEffect(() => {
    if (focusSection.current === null) return
    document.getElementById(focusSection.current)?.scrollIntoView({ behavior: 'smooth', block: 'start' })
    focusSection.current = null
  }, [selection])
  const lessonsById = useMemo(
    () => new Map<LessonPartId, LessonPart>(lessons.status === 'ok' ? lessons.value.map((part) => [part.id, part]) : []),
    [lessons]
  )

  const backButton = (
    <button type="button" className="button button--ghost back-button" onClick={() => navigate({ view: 'list' })}>
      ← All images
    </button>
  )

  const title = value !== undefined ? displayName(value.image) : imageRef
  useEffect(() => {
    document.title = `${title} — Layerlens`
    return () => {
      document.title = 'Layerlens'
    }
  }, [title])

  if (analysis.status === 'error') {
    const notFound = analysis.error.code === 'IMAGE_NOT_FOUND'
    return (
      <div className="image-view">
        <div className="view-bar">{backButton}</div>
        <ErrorState
          title={notFound ? `No image “${imageRef}” on this engine` : `Layerlens could not analyse “${imageRef}”`}
          error={analysis.error}
          onRetry={onRetry}
        >
          <button type="button" className="button" onClick={() => navigate({ view: 'list' })}>
            Back to the image list
          </button>
        </ErrorState>
      </div>
    )
  }

  if (value === undefined) {
    return (
      <div className="image-view" aria-busy="true">
        <div className="view-bar">{backButton}</div>
        <section className="panel">
          <Spinner label={`Analysing ${imageRef}…`} />
          <Skeleton lines={3} />
        </section>
        <section className="panel">
          <Skeleton lines={1} tall />
        </section>
        <section className="panel">
          <Skeleton lines={6} />
        </section>
      </div>
    )
  }

  return (
    <div className="image-view">
      <div className="view-bar">
        {backButton}
        {!fromSnapshot && (
          <a className="button button--ghost" href={hrefOf({ view: 'compare', before: imageRef })}>
            Compare with…
          </a>
        )}
        <ImageActions imageId={scan.status?.imageId} imageName={title} ready={scan.status?.state === 'done'} />
        <nav className="section-nav" aria-label="Sections of this image">
          <a href="#layers-section" onClick={scrollToSection}>Layers</a>
          <a href="#waste-section" onClick={scrollToSection}>Waste</a>
          <a href="#findings-section" onClick={scrollToSection}>
            Findings <span className="count-pill">{value.findings.length}</span>
          </a>
          <a href="#files-section" onClick={scrollToSection}>Files</a>
          <a href="#steps-section" onClick={scrollToSection}>Steps</a>
          <a href="#dockerfile-section" onClick={scrollToSection}>Dockerfile</a>
          <a href="#config-section" onClick={scrollToSection}>Config</a>
        </nav>
      </div>
      <SummaryPanel analysis={value} name={title} />
      <ScanProgress scan={scan} />
      <LayerChart analysis={value} contents={scan.status?.contents} selectedStep={selection?.index ?? null} onSelectStep={selectStep} />
      <WastePanel
        contents={scan.status?.contents}
        scanState={scan.status?.state}
        steps={value.steps}
        onSelectStep={selectStep}
        onRevealPath={(path, stepIndex) => revealPath(path, [stepIndex])}
      />
      <FindingsPanel
        findings={value.findings}
        steps={value.steps}
        lessons={lessonsById}
        onSelectStep={selectStep}
        onRevealPath={revealPath}
        onOpenLesson={setOpenLesson}
      />
      <FileExplorer
        analysis={value}
        contents={scan.status?.contents}
        scanState={scan.status?.state}
        scanId={scan.status?.imageId ?? value.image.id}
        target={explorerTarget}
        onSelectLayer={showLayer}
      />
      {fromSnapshot ? (
        <EngineOnlyNote imageName={title} />
      ) : (
        <DockerfilePanel
          imageRef={imageRef}
          check={(dockerfilePath, contextDir) => api.attachDockerfile(imageRef, dockerfilePath, contextDir)}
          attachment={currentAttachment}
          onAttached={setAttachment}
        />
      )}
      <StepTable analysis={value} selection={selection} onSelectStep={selectStep} stepNotes={stepNotes} />
      <ConfigPanel config={value.config} />
      {openLesson !== null && (
        <LessonPanel
          partId={openLesson}
          part={lessonsById.get(openLesson)}
          loading={lessons.status === 'loading'}
          error={lessons.status === 'error' ? lessons.error : null}
          onClose={closeLesson}
        />
      )}
    </div>
  )
}

/** The Dockerfile section of a snapshot: why no Dockerfile can be attached, and what works instead. */
function EngineOnlyNote({ imageName }: { imageName: string }) {
  return (
    <section className="panel" id="dockerfile-section" aria-labelledby="dockerfile-title">
      <div className="panel-heading">
        <h2 id="dockerfile-title">Dockerfile</h2>
      </div>
      <p>
        Linking the steps to Dockerfile lines needs the image itself, on a container engine; a snapshot holds only what was read from it. Open{' '}
        <strong>{imageName}</strong> from the image list of an engine that has it. To check a Dockerfile on its own, with no image:{' '}
        <a href={hrefOf({ view: 'dockerfile' })}>Open a Dockerfile</a>.
      </p>
    </section>
  )
}

/** In-page links must not touch the hash: it holds the route. */
function scrollToSection(event: MouseEvent<HTMLAnchorElement>) {
  event.preventDefault()
  const id = event.currentTarget.getAttribute('href')?.slice(1)
  if (id) document.getElementById(id)?.scrollIntoView({ behavior: 'smooth', block: 'start' })
}
