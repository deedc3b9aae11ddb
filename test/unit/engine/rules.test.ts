// Rule edge cases, on the captured lesson images with one detail changed each.
import { describe, expect, it } from 'vitest'
import { analyzeImage } from '../../../src-main/engine/analyze'
import type { RawContainerConfig, RawHistoryItem } from '../../../src-main/engine/raw'
import { isRootUser } from '../../../src-main/engine/rules/root-user'
import { shellWrappedCommand } from '../../../src-main/engine/rules/shell-form-cmd'
import { capturedLocalImages, loadCaptured, type CapturedName } from './captured'

function analyzeVariant(
  name: CapturedName,
  change: { config?: Partial<RawContainerConfig>; history?: (entry: RawHistoryItem) => RawHistoryItem[] },
) {
  const { inspect, history } = loadCaptured(name)
  return analyzeImage({
    inspect: { ...inspect, Config: { ...inspect.Config, ...change.config } },
    history: change.history ? history.flatMap(change.history) : history,
    localImages: capturedLocalImages(),
  })
}

const analyzeCaptured = (name: CapturedName) => analyzeImage({ ...loadCaptured(name), localImages: capturedLocalImages() })

const rulesOf = (analysis: ReturnType<typeof analyzeImage>) => analysis.findings.map((finding) => finding.rule)

describe('root-user', () => {
  it.each(['', 'root', '0', 'root:root', '0:0'])('%j is root', (user) => expect(isRootUser(user)).toBe(true))
  it.each(['appuser', '1000', '1000:1000', 'nobody'])('%j is not root', (user) => expect(isRootUser(user)).toBe(false))

  it('notes an entrypoint that may drop privileges', () => {
    const analysis = analyzeVariant('lesson-after_buildkit', { config: { User: '', Entrypoint: ['gosu', 'appuser', 'uvicorn'] } })
    const finding = analysis.findings.find((f) => f.rule === 'root-user')
    expect(finding?.evidence.notes.join(' ')).toContain('gosu')
  })
})

describe('shell-form-cmd', () => {
  it('recognises the shell form, but not a shell that execs into the app', () => {
    expect(shellWrappedCommand(['/bin/sh', '-c', 'uvicorn main:app'])).toBe('uvicorn main:app')
    expect(shellWrappedCommand(['/bin/sh', '-c', 'exec uvicorn main:app'])).toBeNull()
    expect(shellWrappedCommand(['uvicorn', 'main:app'])).toBeNull()
    expect(shellWrappedCommand(null)).toBeNull()
  })

  it('keeps the shell for commands that need it, and exec-s into the app', () => {
    const analysis = analyzeVariant('lesson-after_buildkit', { config: { Cmd: ['/bin/sh', '-c', 'uvicorn main:app --port $PORT'] } })
    expect(analysis.findings.find((f) => f.rule === 'shell-form-cmd')?.fix.after).toBe('CMD ["/bin/sh", "-c", "exec uvicorn main:app --port $PORT"]')
  })

  it('suggests a start script for chained commands', () => {
    const analysis = analyzeVariant('lesson-after_buildkit', { config: { Cmd: ['/bin/sh', '-c', 'alembic upgrade head && uvicorn main:app'] } })
    expect(analysis.findings.find((f) => f.rule === 'shell-form-cmd')?.fix.after).toBe('COPY start.sh .\nCMD ["./start.sh"]')
  })

  it('reports a shell-form ENTRYPOINT', () => {
    const analysis = analyzeVariant('lesson-after_buildkit', { config: { Entrypoint: ['/bin/sh', '-c', 'uvicorn main:app'], Cmd: null } })
    expect(analysis.findings.find((f) => f.rule === 'shell-form-cmd')?.fix).toEqual({
      before: 'ENTRYPOINT uvicorn main:app',
      after: 'ENTRYPOINT ["uvicorn", "main:app"]',
    })
  })
})

describe('pip-cache', () => {
  const pipRun = 'RUN /bin/sh -c pip install -r requirements.txt # buildkit'

  it('is silenced by a truthy PIP_NO_CACHE_DIR set before the install', () => {
    const analysis = analyzeVariant('lesson-before_buildkit', {
      history: (entry) => (entry.CreatedBy === pipRun ? [entry, { ...entry, CreatedBy: 'ENV PIP_NO_CACHE_DIR=1', Size: 0 }] : [entry]),
    })
    expect(rulesOf(analysis)).not.toContain('pip-cache')
  })

  it('is not silenced by PIP_NO_CACHE_DIR set only after the install, or set to off', () => {
    const after = analyzeVariant('lesson-before_buildkit', {
      history: (entry) => (entry.CreatedBy === pipRun ? [{ ...entry, CreatedBy: 'ENV PIP_NO_CACHE_DIR=1', Size: 0 }, entry] : [entry]),
    })
    expect(rulesOf(after)).toContain('pip-cache')
    const off = analyzeVariant('lesson-before_buildkit', {
      history: (entry) => (entry.CreatedBy === pipRun ? [entry, { ...entry, CreatedBy: 'ENV PIP_NO_CACHE_DIR=off', Size: 0 }] : [entry]),
    })
    expect(rulesOf(off)).toContain('pip-cache')
  })

  it('is silenced inline and flags only the offending install of a chain', () => {
    const inline = analyzeVariant('lesson-before_buildkit', {
      history: (entry) => (entry.CreatedBy === pipRun ? [{ ...entry, CreatedBy: 'RUN /bin/sh -c PIP_NO_CACHE_DIR=1 pip install -r requirements.txt # buildkit' }] : [entry]),
    })
    expect(rulesOf(inline)).not.toContain('pip-cache')
    const chain = analyzeVariant('lesson-before_buildkit', {
      history: (entry) =>
        entry.CreatedBy === pipRun
          ? [{ ...entry, CreatedBy: 'RUN /bin/sh -c pip install --no-cache-dir -U pip && python3 -m pip install -r requirements.txt # buildkit' }]
          : [entry],
    })
    expect(chain.findings.find((f) => f.rule === 'pip-cache')?.fix.after).toBe(
      'RUN pip install --no-cache-dir -U pip && python3 -m pip install --no-cache-dir -r requirements.txt',
    )
  })
})

describe('copy-before-install', () => {
  it('does not fire when only the requirements file is copied first', () => {
    expect(rulesOf(analyzeCaptured('lesson-after_classic'))).not.toContain('copy-before-install')
  })

  it('names the lock files of other installers', () => {
    const analysis = analyzeVariant('lesson-before_buildkit', {
      history: (entry) =>
        entry.CreatedBy === 'RUN /bin/sh -c pip install -r requirements.txt # buildkit'
          ? [{ ...entry, CreatedBy: 'RUN /bin/sh -c poetry install --no-root # buildkit' }]
          : [entry],
    })
    expect(analysis.findings.find((f) => f.rule === 'copy-before-install')?.fix.after).toBe(
      'COPY pyproject.toml poetry.lock ./\nRUN poetry install --no-root\nCOPY . .',
    )
  })
})

describe('no-healthcheck and no-expose', () => {
  it('treats a disabled health check as none, and a real one as fine', () => {
    expect(rulesOf(analyzeVariant('lesson-after_buildkit', { config: { Healthcheck: { Test: ['NONE'] } } }))).toContain('no-healthcheck')
    expect(rulesOf(analyzeVariant('lesson-after_buildkit', { config: { Healthcheck: { Test: ['CMD-SHELL', 'true'] } } }))).toEqual([])
  })
})
