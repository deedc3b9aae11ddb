import type { Instruction, Severity } from '../../../src-main/engine/model'

const SEVERITY_LABELS: Record<Severity, string> = {
  critical: 'Critical',
  high: 'High',
  medium: 'Medium',
  low: 'Low',
  info: 'Info'
}

/** Severity in words and a shape, so it never depends on colour alone. */
const SEVERITY_GLYPHS: Record<Severity, string> = {
  critical: '◆',
  high: '▲',
  medium: '●',
  low: '▼',
  info: 'i'
}

export function severityLabel(severity: Severity): string {
  return SEVERITY_LABELS[severity]
}

export function SeverityBadge({ severity, count }: { severity: Severity; count?: number }) {
  return (
    <span className={`severity severity--${severity}`}>
      <span className="severity-glyph" aria-hidden="true">
        {SEVERITY_GLYPHS[severity]}
      </span>
      {SEVERITY_LABELS[severity]}
      {count !== undefined && <span className="severity-count">{count}</span>}
    </span>
  )
}

const INSTRUCTION_GROUPS: Partial<Record<Instruction, string>> = {
  RUN: 'run',
  COPY: 'files',
  ADD: 'files',
  ROOTFS: 'files',
  CMD: 'start',
  ENTRYPOINT: 'start',
  USER: 'user',
  ENV: 'meta',
  ARG: 'meta',
  LABEL: 'meta',
  WORKDIR: 'meta',
  EXPOSE: 'meta',
  HEALTHCHECK: 'meta',
  VOLUME: 'meta',
  SHELL: 'meta',
  STOPSIGNAL: 'meta'
}

export function InstructionBadge({ instruction }: { instruction: Instruction }) {
  return <span className={`instruction instruction--${INSTRUCTION_GROUPS[instruction] ?? 'other'}`}>{instruction}</span>
}
