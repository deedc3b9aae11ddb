import { describe, expect, it } from 'vitest'
import { analyzeContents } from '../../../src-main/engine/contents'
import type { Finding, RuleId } from '../../../src-main/engine/model'
import { buildImage, copy, DEBIAN_ROOT, env, run, type StepSpec } from './built-image'

const rulesOf = (findings: readonly Finding[]): RuleId[] => findings.map((finding) => finding.rule).sort()
const findingOf = (findings: readonly Finding[], rule: RuleId): Finding => {
  const found = findings.find((finding) => finding.rule === rule)
  if (found === undefined) throw new Error(`no ${rule} finding among ${rulesOf(findings).join(', ')}`)
  return found
}

const PIP_HTTP = 6_000_000
const PIP_WHEEL = 2_300_000
const pipInstall = (command = 'pip install -r requirements.txt'): StepSpec =>
  run(command, [
    { name: 'root/.cache/pip/http-v2/a/b/c', content: Buffer.alloc(PIP_HTTP, 7) },
    { name: 'root/.cache/pip/wheels/x/fastapi-0.1-py3-none-any.whl', content: Buffer.alloc(PIP_WHEEL, 8) },
    { name: 'usr/local/lib/python3.11/site-packages/fastapi/__init__.py', content: 'x = 1\n' }
  ])
const appCopy = copy('. .', [
  { name: 'app/', type: 'directory' },
  { name: 'app/main.py', content: 'print(1)\n' },
  { name: 'app/.env', content: 'SECRET_KEY=not-a-real-one\n' },
  { name: 'app/.git/', type: 'directory' },
  { name: 'app/.git/HEAD', content: 'ref: refs/heads/main\n' },
  { name: 'app/__pycache__/main.cpython-311.pyc', content: Buffer.alloc(700, 1) },
  { name: 'app/tests/test_main.py', content: 'def test(): pass\n' }
])

describe('pip cache: the files confirm or clear the history hint', () => {
  it('confirms the hint with the bytes of ~/.cache/pip, in place of the hint', async () => {
    const image = await buildImage(DEBIAN_ROOT, [pipInstall()], { User: 'appuser' })
    expect(findingOf(image.metadata.findings, 'pip-cache').confidence).toBe('hint')
    const { analysis } = analyzeContents(image.metadata, image.layers)
    const pip = analysis.findings.filter((finding) => finding.rule === 'pip-cache')
    expect(pip).toHaveLength(1)
    expect(pip[0]).toMatchObject({
      confidence: 'confirmed',
      savingsBytes: PIP_HTTP + PIP_WHEEL,
      evidence: { steps: [2], paths: ['/root/.cache/pip'], bytes: PIP_HTTP + PIP_WHEEL },
      fix: { after: 'RUN pip install --no-cache-dir -r requirements.txt' }
    })
  })

  it('clears the hint once the step\'s layer shows no pip cache (a cache mount, say)', async () => {
    const image = await buildImage(DEBIAN_ROOT, [run('pip install -r requirements.txt', [{ name: 'usr/local/lib/x.py', content: 'x' }])], { User: 'appuser' })
    expect(rulesOf(image.metadata.findings)).toContain('pip-cache')
    expect(rulesOf(analyzeContents(image.metadata, image.layers).analysis.findings)).not.toContain('pip-cache')
  })

  it('keeps the hint while the step\'s layer has not been read', async () => {
    const image = await buildImage(DEBIAN_ROOT, [pipInstall()], { User: 'appuser' })
    const partial = analyzeContents(image.metadata, [image.layers[0], undefined])
    expect(findingOf(partial.analysis.findings, 'pip-cache').confidence).toBe('hint')
    expect(partial.contents).toBeUndefined()
  })

  it('finds nothing when PIP_NO_CACHE_DIR is set with ENV and the layer has no cache', async () => {
    const image = await buildImage(
      DEBIAN_ROOT,
      [env('PIP_NO_CACHE_DIR=1'), run('pip install -r requirements.txt', [{ name: 'usr/local/lib/x.py', content: 'x' }])],
      { User: 'appuser', Env: ['PIP_NO_CACHE_DIR=1'] }
    )
    expect(rulesOf(image.metadata.findings)).not.toContain('pip-cache')
    expect(rulesOf(analyzeContents(image.metadata, image.layers).analysis.findings)).not.toContain('pip-cache')
  })
})

describe('waste, attributed to steps', () => {
  it('says that rm -rf in a later RUN freed nothing, and where the bytes still ship', async () => {
    const image = await buildImage(DEBIAN_ROOT, [pipInstall(), run('rm -rf /root/.cache', [{ name: 'root/', type: 'directory' }, { name: 'root/.wh..cache', content: '' }])], { User: 'appuser' })
    const { analysis, contents } = analyzeContents(image.metadata, image.layers)
    expect(contents!.reclaimableBytes).toBe(PIP_HTTP + PIP_WHEEL)
    expect(contents!.layers.map((layer) => layer.reclaimableBytes)).toEqual([0, PIP_HTTP + PIP_WHEEL, 0])
    expect(contents!.waste[0]).toMatchObject({
      path: '/root/.cache',
      reason: 'deleted',
      removedByStep: 3,
      bytes: PIP_HTTP + PIP_WHEEL,
      shippedBy: [{ stepIndex: 2, bytes: PIP_HTTP + PIP_WHEEL }],
      sentence: 'RUN rm -rf /root/.cache in step 4 freed nothing: 8.3 MB of /root/.cache still ship in step 3.'
    })
    expect(findingOf(analysis.findings, 'wasted-bytes')).toMatchObject({ severity: 'low', savingsBytes: PIP_HTTP + PIP_WHEEL, evidence: { steps: [2, 3] } })
    const pip = findingOf(analysis.findings, 'pip-cache')
    expect(pip.confidence).toBe('confirmed')
    expect(pip.detail).toContain('frees nothing')
    expect(contents!.dive.efficiency).toBeGreaterThan(0)
  })
})

describe('context leaks and secret files', () => {
  it('names the .dockerignore entry of each leftover the COPY brought in', async () => {
    const image = await buildImage(DEBIAN_ROOT, [appCopy], { User: 'appuser' })
    const leak = findingOf(analyzeContents(image.metadata, image.layers).analysis.findings, 'context-leak')
    expect(leak.evidence.paths).toEqual(['/app/.git', '/app/__pycache__', '/app/tests'])
    expect(leak.fix.after).toBe('# .dockerignore\n.git\n**/__pycache__\ntests')
    expect(leak.severity).toBe('medium')
  })

  it('ignores the same names when a RUN made them (site-packages ship tests folders)', async () => {
    const image = await buildImage(DEBIAN_ROOT, [run('pip install x', [{ name: 'usr/lib/python3/x/tests/test_x.py', content: 'x' }])], { User: 'appuser' })
    expect(rulesOf(analyzeContents(image.metadata, image.layers).analysis.findings)).not.toContain('context-leak')
  })

  it('reports a .env that a later step deletes: it can still be pulled from the layer that added it', async () => {
    const image = await buildImage(DEBIAN_ROOT, [appCopy, run('rm /app/.env', [{ name: 'app/', type: 'directory' }, { name: 'app/.wh..env', content: '' }])], { User: 'appuser' })
    const partial = analyzeContents(image.metadata, [image.layers[0], image.layers[1], undefined])
    expect(findingOf(partial.analysis.findings, 'secret-file').evidence.paths).toEqual(['/app/.env'])
    const secret = findingOf(analyzeContents(image.metadata, image.layers).analysis.findings, 'secret-file')
    expect(secret).toMatchObject({ severity: 'high', lessonPart: 'dockerignore', evidence: { steps: [2, 3], paths: ['/app/.env'] } })
    expect(secret.evidence.notes[0]).toContain('Step 4 removes it, but it still ships in the layer of step 3')
  })
})

describe('build tools, setuid programs and the base', () => {
  const compilers = [
    { name: 'usr/bin/', type: 'directory' as const },
    { name: 'usr/bin/gcc-12', content: Buffer.alloc(1_000_000, 1) },
    { name: 'usr/bin/gcc', type: 'symlink' as const, linkname: 'gcc-12' },
    { name: 'usr/bin/make', content: Buffer.alloc(240_000, 2) },
    { name: 'usr/lib/gcc/x86_64-linux-gnu/12/cc1', content: Buffer.alloc(3_000_000, 3) },
    { name: 'usr/include/stdio.h', content: Buffer.alloc(30_000, 4) }
  ]

  it('reports compilers a user step installed, with the multi-stage fix', async () => {
    const image = await buildImage(DEBIAN_ROOT, [run('apt-get install -y gcc make', compilers)], { User: 'appuser' })
    const tools = findingOf(analyzeContents(image.metadata, image.layers).analysis.findings, 'build-tools')
    expect(tools).toMatchObject({ lessonPart: 'multi-stage', savingsBytes: 4_270_000, evidence: { steps: [2], bytes: 4_270_000 } })
    expect(tools.evidence.paths).toEqual(['/usr/bin/gcc-12', '/usr/bin/gcc', '/usr/bin/make', '/usr/lib/gcc/x86_64-linux-gnu/12/cc1'])
    expect(tools.fix.after).toContain('AS build')
  })

  it('says it once, in bloated-base, when the compilers come from the base', async () => {
    const image = await buildImage([...DEBIAN_ROOT, run('apt-get install -y gcc make', compilers)], [copy('main.py .', [{ name: 'main.py', content: 'x' }])], { User: 'appuser' })
    const findings = analyzeContents(image.metadata, image.layers).analysis.findings
    expect(rulesOf(findings)).not.toContain('build-tools')
    const base = findingOf(findings, 'bloated-base')
    expect(base.title).toBe('The base image is a build image, with compilers')
    expect(base.evidence.notes.at(-1)).toBe(
      'The final filesystem holds gcc-12, gcc, make, cc1 and 1 header files under /usr/include: 4.3 MB of build tools. They come from the base image.'
    )
  })

  it('lists setuid programs as info, and corrects the base family from its files', async () => {
    const image = await buildImage(DEBIAN_ROOT, [copy('main.py .', [{ name: 'main.py', content: 'x' }])], { User: 'appuser' })
    const { analysis } = analyzeContents(image.metadata, image.layers)
    expect(findingOf(analysis.findings, 'setuid-files')).toMatchObject({ severity: 'info', evidence: { paths: ['/usr/bin/passwd', '/usr/bin/su'] } })
    // The history's tiny root layer looks like a slim Debian; the files say otherwise (no slim dpkg excludes).
    expect(image.metadata.base.family).toBe('debian-slim')
    expect(analysis.base.family).toBe('debian')
    expect(analysis.base.evidence.at(-1)).toBe('/etc/debian_version is there without the slim dpkg excludes: a full Debian root.')
  })
})

describe('the user, resolved through /etc/passwd', () => {
  const own = [copy('main.py .', [{ name: 'main.py', content: 'x' }])]
  it.each([
    ['1000', false],
    ['1001', false],
    ['0', true],
    ['admin', true],
    ['appuser', false],
    ['', true]
  ])('USER %j is root: %s', async (user, root) => {
    const image = await buildImage(DEBIAN_ROOT, own, { User: user })
    const findings = analyzeContents(image.metadata, image.layers).analysis.findings
    expect(findings.filter((finding) => finding.rule === 'root-user')).toHaveLength(root ? 1 : 0)
  })

  it('explains a name that is root under another name', async () => {
    const image = await buildImage(DEBIAN_ROOT, own, { User: 'admin' })
    const root = findingOf(analyzeContents(image.metadata, image.layers).analysis.findings, 'root-user')
    expect(root.evidence).toMatchObject({ paths: ['/etc/passwd'], notes: ['USER admin is UID 0 in /etc/passwd: root under another name.'] })
  })
})
