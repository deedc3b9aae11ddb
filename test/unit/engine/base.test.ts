import { describe, expect, it } from 'vitest'
import { analyzeImage } from '../../../src-main/engine/analyze'
import { familyFromName, slimVariantOf } from '../../../src-main/engine/base'
import type { RawHistoryItem, RawImageInspect } from '../../../src-main/engine/raw'
import { capturedLocalImages, loadCaptured, type CapturedName } from './captured'

const analyzeCaptured = (name: CapturedName, withLocalImages = true) =>
  analyzeImage({ ...loadCaptured(name), localImages: withLocalImages ? capturedLocalImages() : [] })

describe('base identification by local prefix (captured fixtures)', () => {
  it.each(['lesson-before_classic', 'lesson-before_buildkit'] as const)('%s is FROM the local full python image', (name) => {
    const { base, steps } = analyzeCaptured(name)
    expect(base).toMatchObject({
      method: 'local-prefix',
      name: 'layerlens-fixtures/python:3.11',
      family: 'python-full',
      stepCount: loadCaptured('python_3.11').history.length,
      layerCount: 8,
      size: loadCaptured('python_3.11').inspect.Size,
    })
    expect(steps.filter((step) => step.inBase).map((step) => step.index)).toEqual(Array.from({ length: base.stepCount }, (_, i) => i))
    expect(steps.filter((step) => !step.inBase).map((step) => step.instruction)).toEqual(['WORKDIR', 'COPY', 'RUN', 'CMD'])
  })

  it.each(['lesson-after_classic', 'lesson-after_buildkit'] as const)('%s is FROM the local slim python image', (name) => {
    const { base, steps } = analyzeCaptured(name)
    expect(base).toMatchObject({ method: 'local-prefix', name: 'layerlens-fixtures/python:3.11-slim', family: 'python-slim', stepCount: 10, layerCount: 5 })
    expect(steps.filter((step) => !step.inBase).map((step) => step.instruction)).toEqual(['WORKDIR', 'COPY', 'RUN', 'COPY', 'RUN', 'USER', 'EXPOSE', 'CMD'])
  })

  it('names the Debian roots under the python images', () => {
    expect(analyzeCaptured('python_3.11').base).toMatchObject({ method: 'local-prefix', name: 'layerlens-fixtures/debian:bookworm', family: 'debian', stepCount: 1 })
    expect(analyzeCaptured('python_3.11-slim').base).toMatchObject({
      method: 'local-prefix',
      name: 'layerlens-fixtures/debian:bookworm-slim',
      family: 'debian-slim',
      stepCount: 1,
    })
  })

  it('without the base history, ends the base at its last layer and extends it to the python CMD', () => {
    const localImages = capturedLocalImages().map(({ history: _history, ...image }) => image)
    const { base } = analyzeImage({ ...loadCaptured('lesson-before_buildkit'), localImages })
    expect(base).toMatchObject({ method: 'local-prefix', name: 'layerlens-fixtures/python:3.11', family: 'python-full', stepCount: 13 })
  })

  it('does not take the image itself, or a sibling with the same layers, as its base', () => {
    const self = capturedLocalImages().filter((image) => image.repoTags.includes('layerlens-fixtures/lesson-before:buildkit'))
    expect(analyzeImage({ ...loadCaptured('lesson-before_buildkit'), localImages: self }).base.method).toBe('fingerprint')
  })
})

describe('base identification by fingerprint', () => {
  it.each([
    ['lesson-before_classic', 'python-full', 13],
    ['lesson-before_buildkit', 'python-full', 13],
    ['lesson-after_classic', 'python-slim', 10],
    ['lesson-after_buildkit', 'python-slim', 10],
  ] as const)('%s without local images: %s, %i steps', (name, family, stepCount) => {
    const { base } = analyzeCaptured(name, false)
    expect(base).toMatchObject({ method: 'fingerprint', family, stepCount })
    expect(base.name).toBeUndefined()
  })

  // The official images' own history, as docker-library/repo-info records it (long RUNs shortened);
  // the root gets the size of a full Debian root, every other step with files 1 MB.
  const official = (lines: string[]): RawHistoryItem[] =>
    lines
      .map((line, index) => ({ Created: 1_786_000_000 + index, CreatedBy: line, Size: index === 0 ? 116_562_596 : /^(RUN|ADD|COPY)/.test(line) ? 1_000_000 : 0, Comment: 'buildkit.dockerfile.v0' }))
      .reverse()
  const inspectFor = (history: RawHistoryItem[], env: string[], labels: Record<string, string> | null = null): RawImageInspect => ({
    Id: 'sha256:' + 'f'.repeat(64),
    RepoTags: ['myapp:latest'],
    Created: '2026-08-13T19:43:39Z',
    Size: 1_100_000_000,
    Os: 'linux',
    Architecture: 'amd64',
    Config: { Env: env, Cmd: ['python3', 'app.py'], User: '', Labels: labels },
    RootFS: { Type: 'layers', Layers: history.filter((entry) => (entry.Size ?? 0) > 0).map((_, i) => `sha256:${String(i).padStart(64, '0')}`) },
  })

  const PYTHON_312_FULL = [
    "# debian.sh --arch 'amd64' out/ 'trixie' '@1785715200'",
    'RUN /bin/sh -c set -eux; \tapt-get update; \tapt-get install -y --no-install-recommends \t\tca-certificates \t\tcurl \t\tgnupg \t\tnetbase \t\tsq \t\twget \t; \tapt-get dist-clean # buildkit',
    'RUN /bin/sh -c set -eux; \tapt-get update; \tapt-get install -y --no-install-recommends \t\tgit \t\tmercurial \t\topenssh-client \t\tsubversion \t\t\t\tprocps \t; \tapt-get dist-clean # buildkit',
    'RUN /bin/sh -c set -ex; \tapt-get update; \tapt-get install -y --no-install-recommends \t\tautoconf \t\tautomake \t\tbzip2 \t\tdpkg-dev \t\tfile \t\tg++ \t\tgcc \t\timagemagick \t\tlibbz2-dev \t; \tapt-get dist-clean # buildkit',
    'ENV PATH=/usr/local/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin',
    'ENV LANG=C.UTF-8',
    'RUN /bin/sh -c set -eux; \tapt-get update; \tapt-get install -y --no-install-recommends \t\tlibbluetooth-dev \t\ttk-dev \t\tuuid-dev \t; \tapt-get dist-clean # buildkit',
    'ENV GPG_KEY=7169605F62C751356D054A26A821E680E5FA6305',
    'ENV PYTHON_VERSION=3.12.14',
    'ENV PYTHON_SHA256=5c8462af5790baf43a321a1559dbe0db06d1be4300fb85fb53c40060668e548a',
    'RUN /bin/sh -c set -eux; \t\twget -O python.tar.xz "https://www.python.org/ftp/python/${PYTHON_VERSION%%[a-z]*}/Python-$PYTHON_VERSION.tar.xz"; \tmake install; \tpython3 --version; \tpip3 --version # buildkit',
    'RUN /bin/sh -c set -eux; \tfor src in idle3 pip3 pydoc3 python3 python3-config; do \t\tdst="$(echo "$src" | tr -d 3)"; \t\tln -svT "$src" "/usr/local/bin/$dst"; \tdone # buildkit',
    'CMD ["python3"]',
  ]

  it('recognises the official python:3.12 (full) and suggests its slim tag', () => {
    const history = official([...PYTHON_312_FULL, 'WORKDIR /app', 'COPY . . # buildkit', 'RUN /bin/sh -c pip install -r requirements.txt # buildkit'])
    const analysis = analyzeImage({ inspect: inspectFor(history, ['PYTHON_VERSION=3.12.14']), history, localImages: [] })
    expect(analysis.base).toMatchObject({ method: 'fingerprint', family: 'python-full', stepCount: 13 })
    const bloated = analysis.findings.find((finding) => finding.rule === 'bloated-base')
    expect(bloated?.fix).toEqual({ before: 'FROM python:3.12', after: 'FROM python:3.12-slim' })
  })

  it('recognises the official python:3.12-alpine', () => {
    const history = official([
      'ADD alpine-minirootfs-3.24.2-x86_64.tar.gz / # buildkit',
      'CMD ["/bin/sh"]',
      'ENV LANG=C.UTF-8',
      'RUN /bin/sh -c set -eux; \tapk add --no-cache \t\tca-certificates \t\ttzdata \t; # buildkit',
      'ENV GPG_KEY=7169605F62C751356D054A26A821E680E5FA6305',
      'ENV PYTHON_VERSION=3.12.14',
      'RUN /bin/sh -c set -eux; \t\tapk add --no-cache --virtual .build-deps \t\tgcc \t\tmake; \tapk del --no-network .build-deps # buildkit',
      'CMD ["python3"]',
      'COPY app.py . # buildkit',
    ])
    const { base } = analyzeImage({ inspect: inspectFor(history, []), history, localImages: [] })
    expect(base).toMatchObject({ method: 'fingerprint', family: 'python-alpine', stepCount: 8 })
  })

  it('recognises a classic-builder alpine root and a debuerreotype debian root', () => {
    const alpine = official(['/bin/sh -c #(nop) ADD file:aad4290d27580cc1a094ffaf98c3ca2fc5d699fe695dfb8e6e9fac20f1129450 in / ', '/bin/sh -c #(nop)  CMD ["/bin/sh"]', '/bin/sh -c apk add curl'])
    expect(analyzeImage({ inspect: inspectFor(alpine, []), history: alpine, localImages: [] }).base).toMatchObject({ family: 'alpine', stepCount: 2 })
    const debian = official(["# debian.sh --arch 'amd64' out/ 'bookworm' '@1766966400'", 'CMD ["bash"]', 'RUN /bin/sh -c apt-get update # buildkit'])
    expect(analyzeImage({ inspect: inspectFor(debian, []), history: debian, localImages: [] }).base).toMatchObject({ family: 'debian', stepCount: 2 })
  })

  it('falls back to the base-name label', () => {
    const history = official(['COPY app.py . # buildkit'])
    const labels = { 'org.opencontainers.image.base.name': 'docker.io/library/python:3.12-slim' }
    expect(analyzeImage({ inspect: inspectFor(history, [], labels), history, localImages: [] }).base).toMatchObject({
      method: 'label',
      name: 'docker.io/library/python:3.12-slim',
      family: 'python-slim',
      stepCount: 0,
    })
  })

  it('says so when nothing identifies the base', () => {
    const history = official(['COPY app.py . # buildkit'])
    expect(analyzeImage({ inspect: inspectFor(history, []), history, localImages: [] }).base).toMatchObject({ method: 'none', family: 'unknown', stepCount: 0 })
  })
})

describe('names', () => {
  it('tells families from names', () => {
    expect(familyFromName('python:3.12')).toBe('python-full')
    expect(familyFromName('python:3.12-slim-bookworm')).toBe('python-slim')
    expect(familyFromName('registry.local:5000/library/python:3.12-alpine')).toBe('python-alpine')
    expect(familyFromName('debian:bookworm-slim')).toBe('debian-slim')
    expect(familyFromName('node:20')).toBe('unknown')
  })
  it('finds the slim sibling of a tag', () => {
    expect(slimVariantOf('python:3.11')).toBe('python:3.11-slim')
    expect(slimVariantOf('layerlens-fixtures/python:3.11')).toBe('layerlens-fixtures/python:3.11-slim')
    expect(slimVariantOf('python:3.12-bookworm')).toBe('python:3.12-slim-bookworm')
    expect(slimVariantOf('localhost:5000/python')).toBe('localhost:5000/python:slim')
  })
})
