import { useState, type FormEvent } from 'react'
import type { AppliedFixes, ApiError, DockerfileAttachment, DockerfileCheck, Result } from '../../../src-preload/contract'
import { useApi } from '../api/ApiContext'
import { canWriteFiles } from '../api/chooseApi'
import { settle } from '../api/settle'
import { SeverityBadge } from '../components/Badges'
import { fullPathProblem, PathField } from '../components/PathField'
import { ErrorState, Spinner } from '../components/States'
import { formatBytes, plural } from '../format'
import { PatchedFileView } from './DiffView'

type Request<T> = { status: 'idle' } | { status: 'loading' } | { status: 'error'; error: ApiError } | { status: 'ok'; value: T }

/**
 * Attach a Dockerfile (and its build context) to the image, or check it on its own when `imageRef` is
 * null: its findings with line:col, what a build would send, and the proposed fix, written only after
 * the user confirms. Only an attached Dockerfile maps the image's steps to its lines.
 */
export function DockerfilePanel<Checked extends DockerfileCheck>({
  imageRef,
  check,
  attachment,
  onAttached
}: {
  imageRef: string | null
  /** attachDockerfile against `imageRef`, or checkDockerfile for a Dockerfile on its own. */
  check: (dockerfilePath: string, contextDir: string | null) => Promise<Result<Checked>>
  attachment: Checked | null
  onAttached: (attachment: Checked | null) => void
}) {
  const [dockerfilePath, setDockerfilePath] = useState('')
  const [contextDir, setContextDir] = useState('')
  const [attaching, setAttaching] = useState<Request<Checked>>({ status: 'idle' })

  const attach = async (event: FormEvent) => {
    event.preventDefault()
    const dockerfile = dockerfilePath.trim()
    // Like `docker build -f DOCKERFILE FOLDER` run from the Dockerfile's folder, as the audit command assumes too.
    const context = contextDir.trim() === '' ? folderOf(dockerfile) : contextDir.trim()
    const problem = fullPathProblem('Dockerfile', dockerfile, '/home/you/app/Dockerfile') ?? fullPathProblem('build-context folder', context, '/home/you/app')
    if (problem !== null) {
      setAttaching({ status: 'error', error: problem })
      return
    }
    setAttaching({ status: 'loading' })
    const result = await settle(() => check(dockerfile, context))
    if (result.ok) {
      setAttaching({ status: 'ok', value: result.value })
      onAttached(result.value)
    } else {
      setAttaching({ status: 'error', error: result.error })
    }
  }

  return (
    <section className="panel" id="dockerfile-section" aria-labelledby="dockerfile-title">
      <div className="panel-heading">
        <h2 id="dockerfile-title">Dockerfile</h2>
        <span className="muted">
          {imageRef === null ? 'Check it and its build context, and get a fixed Dockerfile' : 'Link each step to its line, check the build context, and get a fixed Dockerfile'}
        </span>
      </div>
      <form className="attach-form" onSubmit={(event) => void attach(event)}>
        <PathField label="Dockerfile path" value={dockerfilePath} onChange={setDockerfilePath} placeholder="/home/you/app/Dockerfile" hintId="dockerfile-path-hint" required />
        <PathField label="Build-context folder (optional)" value={contextDir} onChange={setContextDir} placeholder="/home/you/app" />
        <button type="submit" className="button button--primary" disabled={attaching.status === 'loading' || dockerfilePath.trim() === ''}>
          {imageRef === null ? (attachment === null ? 'Check Dockerfile' : 'Check again') : attachment === null ? 'Attach Dockerfile' : 'Attach again'}
        </button>
        <p id="dockerfile-path-hint" className="muted attach-hint">
          Full paths on the machine running Layerlens, as you would pass them to <code className="inline-code">docker build -f … folder</code>; with no
          folder, the Dockerfile's own. Nothing is written unless you confirm it below.
        </p>
      </form>
      {attaching.status === 'loading' && <Spinner label="Reading the Dockerfile…" />}
      {attaching.status === 'error' && <ErrorState title="Layerlens could not use this Dockerfile" error={attaching.error} />}
      {attachment !== null && attaching.status !== 'loading' && <AttachmentDetails imageRef={imageRef} attachment={attachment} />}
    </section>
  )
}

function AttachmentDetails({ imageRef, attachment }: { imageRef: string | null; attachment: DockerfileCheck }) {
  return (
    <div className="attachment">
      {'mapping' in attachment && <StepLinks attachment={attachment as DockerfileAttachment} />}
      <DockerfileFindings attachment={attachment} />
      {attachment.context !== undefined && <ContextCheck context={attachment.context} contextDir={attachment.contextDir!} />}
      <FixView imageRef={imageRef} attachment={attachment} />
    </div>
  )
}

function StepLinks({ attachment }: { attachment: DockerfileAttachment }) {
  const linked = attachment.mapping.steps.filter((link) => link.kind !== undefined && link.kind !== 'base').length
  const unlinked = attachment.mapping.steps.filter((link) => link.kind === undefined).length
  const withoutStep = attachment.mapping.instructions.filter((link) => link.stepIndex === undefined)
  const lines = attachment.text.split('\n')
  return (
    <>
      <p className="attachment-summary">
        <strong>{plural(linked, 'step')}</strong> of this image linked to a line of <code className="inline-code">{attachment.dockerfilePath}</code>
        {unlinked > 0 && <span className="warning-text"> · {plural(unlinked, 'step')} not linked (the step table says why)</span>}
      </p>
      {withoutStep.length > 0 && (
        <details className="unlinked-lines">
          <summary>{plural(withoutStep.length, 'Dockerfile line')} with no step in this image</summary>
          <ul>
            {withoutStep.map((link) => (
              <li key={link.instructionIndex}>
                <code className="chip line-ref">line {link.location.line}</code> <code>{lines[link.location.line - 1]?.trim()}</code> — {link.reason}
              </li>
            ))}
          </ul>
        </details>
      )}
    </>
  )
}

function DockerfileFindings({ attachment }: { attachment: DockerfileCheck }) {
  const lines = attachment.text.split('\n')
  return (
    <div className="attachment-block">
      <h3>Findings in the Dockerfile</h3>
      {attachment.findings.length === 0 ? (
        <p className="good-text">No Dockerfile findings.</p>
      ) : (
        <ul className="dockerfile-findings">
          {attachment.findings.map((finding, index) => (
            <li key={index}>
              <SeverityBadge severity={finding.severity} />
              <code className="chip line-ref">{finding.location !== undefined ? `line ${finding.location.line}:${finding.location.column}` : 'whole file'}</code>
              <span className="finding-title">{finding.title}</span>
              {finding.location !== undefined && <code className="dockerfile-line">{lines[finding.location.line - 1]?.trim()}</code>}
            </li>
          ))}
        </ul>
      )}
    </div>
  )
}

function ContextCheck({ context, contextDir }: { context: NonNullable<DockerfileCheck['context']>; contextDir: string }) {
  return (
    <div className="attachment-block" aria-label="Build context check">
      <h3>Build context</h3>
      <p>
        A build of <code className="inline-code">{contextDir}</code> sends <strong>{formatBytes(context.sent.bytes)}</strong> in {plural(context.sent.files, 'file')}{' '}
        {context.dockerignore.present ? 'with the current .dockerignore' : '(there is no .dockerignore)'}; without any .dockerignore it would send{' '}
        {formatBytes(context.withoutDockerignore.bytes)} in {plural(context.withoutDockerignore.files, 'file')}.
      </p>
      {context.secrets.length > 0 && (
        <div className="inline-error" role="alert">
          <strong>Secrets that a build would send:</strong>{' '}
          {context.secrets.map((secret) => (
            <code key={secret.path} className="chip">
              {secret.path} ({secret.kind})
            </code>
          ))}
        </div>
      )}
      {context.biggestFolders.length > 0 && (
        <table className="data-table compact-table">
          <caption className="muted">Biggest folders sent</caption>
          <thead>
            <tr>
              <th scope="col">Folder</th>
              <th scope="col" className="numeric">Files</th>
              <th scope="col" className="numeric">Size</th>
            </tr>
          </thead>
          <tbody>
            {context.biggestFolders.map((folder) => (
              <tr key={folder.path}>
                <td><code>{folder.path}/</code></td>
                <td className="numeric">{folder.files}</td>
                <td className="numeric">{formatBytes(folder.bytes)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {context.proposed.length > 0 && (
        <>
          <h4>Proposed .dockerignore entries</h4>
          <ul className="proposed-entries">
            {context.proposed.map((entry) => (
              <li key={entry.pattern}>
                <code className="chip">{entry.pattern}</code> keeps out {plural(entry.files, 'file')} ({formatBytes(entry.bytes)}), e.g.{' '}
                {entry.examples.join(', ')}
              </li>
            ))}
          </ul>
        </>
      )}
    </div>
  )
}

function FixView({ imageRef, attachment }: { imageRef: string | null; attachment: DockerfileCheck }) {
  const api = useApi()
  const [confirming, setConfirming] = useState(false)
  const [writing, setWriting] = useState<Request<AppliedFixes>>({ status: 'idle' })
  const { fixes, writes } = attachment
  const dockerignorePath = writes.find((write) => write.path !== attachment.dockerfilePath)?.path
  const patchedFiles = [
    ...(fixes.dockerfile.hunks.length > 0 ? [{ path: attachment.dockerfilePath, text: fixes.dockerfile.patched }] : []),
    ...(fixes.dockerignore !== undefined && dockerignorePath !== undefined ? [{ path: dockerignorePath, text: fixes.dockerignore.patched }] : [])
  ]

  const write = async () => {
    setConfirming(false)
    setWriting({ status: 'loading' })
    const result = await settle(() => api.applyFixes(imageRef, attachment.dockerfilePath, attachment.contextDir, attachment.originalSha256))
    setWriting(result.ok ? { status: 'ok', value: result.value } : { status: 'error', error: result.error })
  }

  return (
    <div className="attachment-block" id="fix-section" aria-label="Proposed fix">
      <h3>Proposed fix</h3>
      {writes.length === 0 ? (
        <p className="good-text">Nothing to change: the fixes Layerlens knows are already in this Dockerfile.</p>
      ) : (
        <>
          {fixes.dockerfile.hunks.length > 0 && <PatchedFileView file={fixes.dockerfile} path={attachment.dockerfilePath} />}
          {fixes.dockerignore !== undefined && dockerignorePath !== undefined && <PatchedFileView file={fixes.dockerignore} path={dockerignorePath} />}
          {fixes.unfixed.length > 0 && (
            <ul className="unfixed">
              {fixes.unfixed.map(({ finding, reason }, index) => (
                <li key={index}>
                  Not fixed: {finding.title} — {reason}
                </li>
              ))}
            </ul>
          )}
          {!canWriteFiles() ? (
            <PatchedTextToCopy files={patchedFiles} />
          ) : (
            writing.status !== 'ok' && (
              <button type="button" className="button button--primary" onClick={() => setConfirming(true)} disabled={writing.status === 'loading'}>
                Write these changes…
              </button>
            )
          )}
        </>
      )}
      {writing.status === 'loading' && <Spinner label="Writing…" />}
      {writing.status === 'error' && <ErrorState title="Nothing was written" error={writing.error} />}
      {writing.status === 'ok' && <WrittenFiles applied={writing.value} imageRef={imageRef} />}
      {confirming && <ConfirmWrite writes={writes} onConfirm={() => void write()} onCancel={() => setConfirming(false)} />}
    </div>
  )
}

/** In the browser nothing is written: the patched files are shown whole, to copy. */
function PatchedTextToCopy({ files }: { files: Array<{ path: string; text: string }> }) {
  return (
    <div className="read-only-fix" role="note" aria-label="Patched files to copy">
      <p>
        <strong>Layerlens in the browser is read-only</strong> and never writes your files. Copy the patched text below into them, or
        open the desktop app (<code className="inline-code">npm start</code>) to write it on confirm, keeping each original.
      </p>
      {files.map((file) => (
        <div key={file.path} className="patched-copy">
          <div className="patched-copy-header">
            <code className="inline-code">{file.path}</code>
            <CopyButton text={file.text} />
          </div>
          <pre className="code-block written-text" aria-label={`${file.path}, patched`}>
            {file.text}
          </pre>
        </div>
      ))}
    </div>
  )
}

function CopyButton({ text }: { text: string }) {
  const [copied, setCopied] = useState<'idle' | 'copied' | 'failed'>('idle')
  const copy = () => {
    navigator.clipboard.writeText(text).then(
      () => setCopied('copied'),
      () => setCopied('failed')
    )
  }
  return (
    <button type="button" className="button button--ghost" onClick={copy}>
      {copied === 'copied' ? 'Copied' : copied === 'failed' ? 'Copy failed: select the text' : 'Copy'}
    </button>
  )
}

function ConfirmWrite({ writes, onConfirm, onCancel }: { writes: DockerfileCheck['writes']; onConfirm: () => void; onCancel: () => void }) {
  return (
    <div className="modal-backdrop">
      <div className="modal" role="dialog" aria-modal="true" aria-labelledby="confirm-write-title" onKeyDown={(event) => event.key === 'Escape' && onCancel()}>
        <h3 id="confirm-write-title">Write these changes?</h3>
        <p>Layerlens will write {plural(writes.length, 'file')}:</p>
        <ul className="write-list">
          {writes.map((write) => (
            <li key={write.path}>
              <code>{write.path}</code>
              <br />
              {write.backupPath !== undefined ? (
                <span className="muted">
                  the current file is kept as <code>{write.backupPath}</code>
                </span>
              ) : (
                <span className="muted">a new file (nothing to back up)</span>
              )}
            </li>
          ))}
        </ul>
        <p className="muted">If a file changed since this proposal, or a backup is already there, nothing is written.</p>
        <div className="modal-actions">
          <button type="button" className="button" onClick={onCancel} autoFocus>
            Cancel
          </button>
          <button type="button" className="button button--primary" onClick={onConfirm}>
            Write {plural(writes.length, 'file')}
          </button>
        </div>
      </div>
    </div>
  )
}

function WrittenFiles({ applied, imageRef }: { applied: AppliedFixes; imageRef: string | null }) {
  return (
    <div className="written" role="status">
      <p className="good-text">
        <strong>Written:</strong>
      </p>
      <ul className="write-list">
        {applied.written.map((file) => (
          <li key={file.path}>
            <code>{file.path}</code>
            {file.backupPath !== undefined && (
              <span className="muted">
                {' '}
                (original kept as <code>{file.backupPath}</code>)
              </span>
            )}
            <pre className="code-block written-text" aria-label={`${file.path} as written`}>
              {file.text}
            </pre>
          </li>
        ))}
      </ul>
      <p className="muted">{imageRef === null ? 'Build the image, then open it to see its layers.' : 'Rebuild the image, then compare it with this one.'}</p>
    </div>
  )
}

/** `/home/you/app/Dockerfile` → `/home/you/app`, `/Dockerfile` → `/`, `C:\app\Dockerfile` → `C:\app`. */
function folderOf(path: string): string {
  const cut = Math.max(path.lastIndexOf('/'), path.lastIndexOf('\\'))
  if (cut < 0) return path
  const folder = path.slice(0, cut)
  // A root keeps its separator.
  return folder === '' || /^[A-Za-z]:$/.test(folder) ? path.slice(0, cut + 1) : folder
}
