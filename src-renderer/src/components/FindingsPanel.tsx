import { useState } from 'react'
import { SEVERITIES, type Finding, type LessonPart, type LessonPartId, type Step } from '../../../src-main/engine/model'
import { formatBytes } from '../format'
import { InstructionBadge, SeverityBadge, severityLabel } from './Badges'
import { BeforeAfter } from './BeforeAfter'
import { RichText } from './RichText'

/** Shows a path in the file explorer, at the layer of the first of `stepIndexes` that made one. */
type RevealPath = (path: string, stepIndexes: readonly number[]) => void

export function FindingsPanel({
  findings,
  steps,
  lessons,
  onSelectStep,
  onRevealPath,
  onOpenLesson
}: {
  findings: Finding[]
  steps: Step[]
  lessons: Map<LessonPartId, LessonPart>
  onSelectStep: (index: number) => void
  onRevealPath: RevealPath
  onOpenLesson: (id: LessonPartId) => void
}) {
  const groups = SEVERITIES.map((severity) => ({ severity, items: findings.filter((finding) => finding.severity === severity) })).filter(
    (group) => group.items.length > 0
  )
  const totalSavings = findings.reduce((sum, finding) => sum + (finding.savingsBytes ?? 0), 0)

  return (
    <section className="panel findings-panel" id="findings-section" aria-labelledby="findings-title">
      <div className="panel-heading">
        <h2 id="findings-title">Findings</h2>
        {totalSavings > 0 && <span className="savings-total">Fixing these could save about {formatBytes(totalSavings)}</span>}
      </div>
      {groups.length === 0 ? (
        <p className="all-clear">No findings: this image follows every rule Layerlens checks.</p>
      ) : (
        groups.map((group) => (
          <div key={group.severity} className="finding-group" data-severity={group.severity}>
            <h3 className="finding-group-title">
              <SeverityBadge severity={group.severity} />
              <span className="muted">
                {group.items.length} {severityLabel(group.severity).toLowerCase()}-severity finding{group.items.length === 1 ? '' : 's'}
              </span>
            </h3>
            <ul className="finding-list">
              {group.items.map((finding, position) => (
                <li key={`${finding.rule}-${position}`}>
                  <FindingCard
                    finding={finding}
                    steps={steps}
                    lesson={lessons.get(finding.lessonPart)}
                    onSelectStep={onSelectStep}
                    onRevealPath={onRevealPath}
                    onOpenLesson={onOpenLesson}
                  />
                </li>
              ))}
            </ul>
          </div>
        ))
      )}
    </section>
  )
}

function FindingCard({
  finding,
  steps,
  lesson,
  onSelectStep,
  onRevealPath,
  onOpenLesson
}: {
  finding: Finding
  steps: Step[]
  lesson: LessonPart | undefined
  onSelectStep: (index: number) => void
  onRevealPath: RevealPath
  onOpenLesson: (id: LessonPartId) => void
}) {
  const { evidence } = finding
  return (
    <article className={`finding finding--${finding.severity}`} data-rule={finding.rule} aria-label={finding.title}>
      <header className="finding-header">
        <SeverityBadge severity={finding.severity} />
        <h4 className="finding-title">{finding.title}</h4>
        <span
          className={finding.confidence === 'confirmed' ? 'confidence confidence--confirmed' : 'confidence confidence--hint'}
          title={
            finding.confidence === 'confirmed'
              ? 'The image’s configuration or files prove this.'
              : 'Only the build history suggests this; the layer contents have not confirmed it.'
          }
        >
          {finding.confidence === 'confirmed' ? '✓ Confirmed' : '? Hint from history'}
        </span>
        <code className="rule-id">{finding.rule}</code>
      </header>
      <p className="finding-detail">
        <RichText text={finding.detail} />
      </p>

      {(evidence.notes.length > 0 || (evidence.steps?.length ?? 0) > 0 || (evidence.paths?.length ?? 0) > 0 || (evidence.config?.length ?? 0) > 0) && (
        <div className="evidence">
          <div className="evidence-label">Evidence</div>
          {evidence.notes.length > 0 && (
            <ul className="evidence-notes">
              {evidence.notes.map((note, index) => (
                <li key={index}>
                  <RichText text={note} />
                </li>
              ))}
            </ul>
          )}
          {evidence.steps !== undefined && evidence.steps.length > 0 && <EvidenceSteps indexes={evidence.steps} steps={steps} onSelectStep={onSelectStep} />}
          {(evidence.paths?.length ?? 0) > 0 && (
            <div className="chips">
              <span className="muted">Files:</span>
              {evidence.paths?.map((path) => (
                <button
                  key={path}
                  type="button"
                  className="path-link"
                  onClick={() => onRevealPath(path, evidence.steps ?? [])}
                  title="Show this path in the file explorer"
                >
                  {path}
                </button>
              ))}
            </div>
          )}
          {(evidence.config?.length ?? 0) > 0 && (
            <div className="chips">
              <span className="muted">Config:</span>
              {evidence.config?.map((key) => (
                <code key={key} className="chip">
                  {key}
                </code>
              ))}
            </div>
          )}
        </div>
      )}

      {finding.savingsBytes !== undefined && finding.savingsBytes > 0 && (
        <p className="savings">
          Estimated saving: <strong>{formatBytes(finding.savingsBytes)}</strong>
        </p>
      )}

      <BeforeAfter before={finding.fix.before} after={finding.fix.after} beforeLabel="This image" afterLabel="Fix" />

      <div className="finding-footer">
        <button
          type="button"
          className="lesson-link"
          onClick={() => onOpenLesson(finding.lessonPart)}
        >
          Lesson: {lesson?.title ?? finding.lessonPart} <span aria-hidden="true">→</span>
        </button>
      </div>
    </article>
  )
}

/** Long lists (a whole base image) start folded to the first few steps. */
const FOLDED_STEP_COUNT = 4

function EvidenceSteps({ indexes, steps, onSelectStep }: { indexes: number[]; steps: Step[]; onSelectStep: (index: number) => void }) {
  const [expanded, setExpanded] = useState(false)
  const foldable = indexes.length > FOLDED_STEP_COUNT + 1
  const shown = foldable && !expanded ? indexes.slice(0, FOLDED_STEP_COUNT) : indexes
  return (
    <div className="evidence-steps">
      {shown.map((index) => {
        const step = steps[index]
        return (
          <button key={index} type="button" className="step-link" onClick={() => onSelectStep(index)} title="Show this step in the build steps table">
            <span className="step-link-number">Step {index + 1}</span>
            {step !== undefined && <InstructionBadge instruction={step.instruction} />}
            {step !== undefined && <span className="step-link-text">{oneLine(step.args) || '(no command recorded)'}</span>}
          </button>
        )
      })}
      {foldable && (
        <button type="button" className="link-button" aria-expanded={expanded} onClick={() => setExpanded(!expanded)}>
          {expanded ? 'Show fewer steps' : `Show ${indexes.length - FOLDED_STEP_COUNT} more steps`}
        </button>
      )}
    </div>
  )
}

function oneLine(text: string): string {
  const flat = text.replace(/\s+/g, ' ').trim()
  return flat.length > 90 ? `${flat.slice(0, 90)}…` : flat
}
