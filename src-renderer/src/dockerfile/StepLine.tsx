import type { ReactNode } from 'react'
import type { StepLink } from '../../../src-main/engine/dockerfile'
import type { DockerfileAttachment } from '../../../src-preload/contract'

/** Per step index: the Dockerfile line it came from, or why it has none. The base image's steps are named once, on the first. */
export function stepLineNotes(attachment: DockerfileAttachment): Map<number, ReactNode> {
  const lines = attachment.text.split('\n')
  const firstBase = attachment.mapping.steps.find((link) => link.kind === 'base')
  const own = attachment.mapping.steps.filter((link) => link.kind !== 'base')
  const notes = new Map<number, ReactNode>(own.map((link) => [link.stepIndex, <StepLine link={link} lines={lines} />]))
  if (firstBase !== undefined) {
    notes.set(firstBase.stepIndex, <p className="step-line step-line--base">{firstBase.reason} So do the steps down to where the base image ends.</p>)
  }
  return notes
}

function StepLine({ link, lines }: { link: StepLink; lines: readonly string[] }) {
  if (link.location === undefined) return <p className="step-line step-line--unmapped">Not linked: {link.reason}</p>
  const { line, endLine } = link.location
  return (
    <p className="step-line" title={link.reason}>
      <span className="step-line-number">
        Dockerfile line {line}
        {endLine !== undefined && endLine !== line ? `–${endLine}` : ''}
      </span>
      <code>{lines[line - 1]?.trim()}</code>
      {link.kind === 'partial' && <span className="warning-text"> — {link.reason}</span>}
    </p>
  )
}
