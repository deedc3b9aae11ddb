import { useCallback, useEffect, useMemo, useState, type MouseEvent } from 'react'
import type { LessonPart, LessonPartId } from '../../../src-main/engine/model'
import { useApi } from '../api/ApiContext'
import { useResult } from '../api/useResult'
import { navigate } from '../routing'
import { ConfigPanel } from './ConfigPanel'
import { FindingsPanel } from './FindingsPanel'
import { displayName } from './ImageList'
import { LayerChart } from './LayerChart'
import { LessonPanel } from './LessonPanel'
import { StepTable } from './StepTable'
import { ErrorState, Skeleton, Spinner } from './States'
import { SummaryPanel } from './SummaryPanel'

/** A step chosen in the chart or in a finding; `nonce` makes choosing the same step again scroll again. */
export interface StepSelection {
  index: number
  nonce: number
}

export function ImageView({ imageRef, generation, onRetry }: { imageRef: string; generation: number; onRetry: () => void }) {
  const api = useApi()
  const analysis = useResult(() => api.analyzeImage(imageRef), `analysis:${imageRef}:${generation}`)
  const lessons = useResult(() => api.lessonParts(), `lessons:${generation}`)
  const [selection, setSelection] = useState<StepSelection | null>(null)
  const [openLesson, setOpenLesson] = useState<LessonPartId | null>(null)

  const closeLesson = useCallback(() => setOpenLesson(null), [])
  const selectStep = useCallback((index: number) => setSelection((before) => ({ index, nonce: (before?.nonce ?? 0) + 1 })), [])
  const lessonsById = useMemo(
    () => new Map<LessonPartId, LessonPart>(lessons.status === 'ok' ? lessons.value.map((part) => [part.id, part]) : []),
    [lessons]
  )

  const backButton = (
    <button type="button" className="button button--ghost back-button" onClick={() => navigate({ view: 'list' })}>
      ← All images
    </button>
  )

  const value = analysis.status === 'ok' ? analysis.value : analysis.status === 'loading' ? analysis.previous : undefined
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
        <nav className="section-nav" aria-label="Sections of this image">
          <a href="#layers-section" onClick={scrollToSection}>Layers</a>
          <a href="#findings-section" onClick={scrollToSection}>
            Findings <span className="count-pill">{value.findings.length}</span>
          </a>
          <a href="#steps-section" onClick={scrollToSection}>Steps</a>
          <a href="#config-section" onClick={scrollToSection}>Config</a>
        </nav>
      </div>
      <SummaryPanel analysis={value} name={title} />
      <LayerChart analysis={value} selectedStep={selection?.index ?? null} onSelectStep={selectStep} />
      <FindingsPanel
        findings={value.findings}
        steps={value.steps}
        lessons={lessonsById}
        onSelectStep={selectStep}
        onOpenLesson={setOpenLesson}
      />
      <StepTable analysis={value} selection={selection} onSelectStep={selectStep} />
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

/** In-page links must not touch the hash: it holds the route. */
function scrollToSection(event: MouseEvent<HTMLAnchorElement>) {
  event.preventDefault()
  const id = event.currentTarget.getAttribute('href')?.slice(1)
  if (id) document.getElementById(id)?.scrollIntoView({ behavior: 'smooth', block: 'start' })
}
