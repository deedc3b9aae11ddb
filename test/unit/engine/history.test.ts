import { describe, expect, it } from 'vitest'
import { parseCopyArgs, parseCreatedBy, parseQuotedList } from '../../../src-main/engine/history'
import { loadCaptured } from './captured'

const createdByOf = (name: Parameters<typeof loadCaptured>[0]): string[] =>
  loadCaptured(name).history.map((entry) => entry.CreatedBy ?? '')

describe('parseCreatedBy: classic builder (captured from lesson-before:classic and lesson-after:classic)', () => {
  const before = createdByOf('lesson-before_classic')
  const after = createdByOf('lesson-after_classic')
  const find = (lines: string[], start: string): string => lines.find((line) => line.startsWith(start)) ?? ''

  it('reads a shell-form CMD recorded with Go quoting', () => {
    const text = find(before, '/bin/sh -c #(nop)  CMD')
    expect(text).toBe('/bin/sh -c #(nop)  CMD ["/bin/sh" "-c" "uvicorn main:app --host 0.0.0.0 --port 8000"]')
    expect(parseCreatedBy(text, '')).toEqual({
      instruction: 'CMD',
      args: '["/bin/sh", "-c", "uvicorn main:app --host 0.0.0.0 --port 8000"]',
      builder: 'classic',
    })
  })

  it('reads an exec-form CMD', () => {
    expect(parseCreatedBy(find(after, '/bin/sh -c #(nop)  CMD'), '')).toEqual({
      instruction: 'CMD',
      args: '["uvicorn", "main:app", "--host", "0.0.0.0", "--port", "8000"]',
      builder: 'classic',
    })
  })

  it('reads COPY of a directory and of a file by their content hashes', () => {
    const dir = parseCreatedBy(find(before, '/bin/sh -c #(nop) COPY dir:'), '')
    expect(dir.instruction).toBe('COPY')
    expect(dir.builder).toBe('classic')
    expect(parseCopyArgs(dir.args)).toEqual({ sources: [], destination: '.', hashedKind: 'dir' })
    const file = parseCreatedBy(find(after, '/bin/sh -c #(nop) COPY file:'), '')
    expect(parseCopyArgs(file.args).hashedKind).toBe('file')
  })

  it('reads WORKDIR, USER and EXPOSE', () => {
    expect(parseCreatedBy('/bin/sh -c #(nop) WORKDIR /app', '')).toEqual({ instruction: 'WORKDIR', args: '/app', builder: 'classic' })
    expect(parseCreatedBy(find(after, '/bin/sh -c #(nop)  USER'), '')).toEqual({ instruction: 'USER', args: 'appuser', builder: 'classic' })
    expect(parseCreatedBy(find(after, '/bin/sh -c #(nop)  EXPOSE'), '')).toEqual({ instruction: 'EXPOSE', args: '8000', builder: 'classic' })
  })

  it('reads a plain `/bin/sh -c …` as a shell-form RUN', () => {
    expect(parseCreatedBy('/bin/sh -c pip install -r requirements.txt', '')).toEqual({
      instruction: 'RUN',
      args: 'pip install -r requirements.txt',
      builder: 'classic',
      runForm: 'shell',
    })
  })

  it('reads an exec-form RUN, which the classic builder records as its argv joined by spaces', () => {
    expect(parseCreatedBy('python3 -m pip install --no-cache-dir fastapi', '')).toEqual({
      instruction: 'RUN',
      args: 'python3 -m pip install --no-cache-dir fastapi',
      builder: 'classic',
      runForm: 'exec',
    })
  })

  it('reads build args recorded before a classic RUN', () => {
    const parsed = parseCreatedBy('|2 ARCH=amd64 INSTALL_VER=5.9 /bin/sh -c /install.sh &&  /log4j_patch.sh', '')
    expect(parsed.instruction).toBe('RUN')
    expect(parsed.buildArgs).toEqual({ ARCH: 'amd64', INSTALL_VER: '5.9' })
    expect(parsed.args).toBe('/install.sh &&  /log4j_patch.sh')
  })

  it('reads the root filesystem of an official image', () => {
    const parsed = parseCreatedBy('/bin/sh -c #(nop) ADD file:aad4290d27580cc1a094ffaf98c3ca2fc5d699fe695dfb8e6e9fac20f1129450 in / ', '')
    expect(parsed).toEqual({
      instruction: 'ADD',
      args: 'file:aad4290d27580cc1a094ffaf98c3ca2fc5d699fe695dfb8e6e9fac20f1129450 in /',
      builder: 'classic',
    })
    expect(parseCopyArgs(parsed.args).destination).toBe('/')
  })

  it('reads metadata instructions under a non-default SHELL', () => {
    expect(parseCreatedBy('/bin/bash -c #(nop)  ENV FOO=bar', '')).toEqual({ instruction: 'ENV', args: 'FOO=bar', builder: 'classic' })
    expect(parseCreatedBy('/bin/bash -o pipefail -c apt-get update | tee log', '')).toMatchObject({ instruction: 'RUN', args: 'apt-get update | tee log' })
  })
})

describe('parseCreatedBy: BuildKit (captured from lesson-*:buildkit and the python bases)', () => {
  const before = createdByOf('lesson-before_buildkit')
  const after = createdByOf('lesson-after_buildkit')
  const comment = 'buildkit.dockerfile.v0'

  it('reads RUN with its `# buildkit` marker removed', () => {
    expect(before).toContain('RUN /bin/sh -c pip install -r requirements.txt # buildkit')
    expect(parseCreatedBy('RUN /bin/sh -c pip install -r requirements.txt # buildkit', comment)).toEqual({
      instruction: 'RUN',
      args: 'pip install -r requirements.txt',
      builder: 'buildkit',
      runForm: 'shell',
    })
  })

  it('keeps tabs and quotes of a long official RUN', () => {
    const text = createdByOf('python_3.11').find((line) => line.includes('for src in')) ?? ''
    const parsed = parseCreatedBy(text, comment)
    expect(parsed.instruction).toBe('RUN')
    expect(parsed.args.startsWith('set -eux; \tfor src in pip3 pydoc3 python3; do')).toBe(true)
    expect(parsed.args.endsWith('done')).toBe(true)
  })

  it('reads COPY with paths', () => {
    expect(before).toContain('COPY . . # buildkit')
    const parsed = parseCreatedBy('COPY . . # buildkit', comment)
    expect(parsed).toEqual({ instruction: 'COPY', args: '. .', builder: 'buildkit' })
    expect(parseCopyArgs(parsed.args)).toEqual({ sources: ['.'], destination: '.' })
    expect(parseCopyArgs('--chown=app:app requirements.txt ./')).toEqual({ sources: ['requirements.txt'], destination: './' })
  })

  it('reads metadata instructions', () => {
    expect(parseCreatedBy('WORKDIR /app', comment)).toEqual({ instruction: 'WORKDIR', args: '/app', builder: 'buildkit' })
    expect(parseCreatedBy('ENV PYTHON_VERSION=3.11.2', comment)).toEqual({ instruction: 'ENV', args: 'PYTHON_VERSION=3.11.2', builder: 'buildkit' })
    expect(parseCreatedBy('CMD ["python3"]', comment)).toEqual({ instruction: 'CMD', args: '["python3"]', builder: 'buildkit' })
    expect(parseCreatedBy('USER appuser', comment)).toEqual({ instruction: 'USER', args: 'appuser', builder: 'buildkit' })
    expect(after).toContain('EXPOSE map[8000/tcp:{}]')
    expect(parseCreatedBy('EXPOSE map[8000/tcp:{}]', comment)).toEqual({ instruction: 'EXPOSE', args: '8000/tcp', builder: 'buildkit' })
    expect(parseCreatedBy('EXPOSE map[8000/tcp:{} 9000/udp:{}]', comment).args).toBe('8000/tcp 9000/udp')
  })

  it('reads build args with their values', () => {
    const parsed = parseCreatedBy('RUN |2 A_USER=me A_PASS=secret /bin/sh -c /install.sh # buildkit', comment)
    expect(parsed).toEqual({
      instruction: 'RUN',
      args: '/install.sh',
      builder: 'buildkit',
      runForm: 'shell',
      buildArgs: { A_USER: 'me', A_PASS: 'secret' },
    })
  })

  it('reads build args whose values hold spaces', () => {
    const parsed = parseCreatedBy('RUN |2 GREETING=hello world B=2 /bin/sh -c echo "$GREETING" # buildkit', comment)
    expect(parsed.buildArgs).toEqual({ GREETING: 'hello world', B: '2' })
    expect(parsed.args).toBe('echo "$GREETING"')
  })

  it('reads an Alpine root added by BuildKit', () => {
    expect(parseCreatedBy('ADD alpine-minirootfs-3.24.2-x86_64.tar.gz / # buildkit', comment)).toEqual({
      instruction: 'ADD',
      args: 'alpine-minirootfs-3.24.2-x86_64.tar.gz /',
      builder: 'buildkit',
    })
  })
})

describe('parseCreatedBy: roots that did not come from a Dockerfile', () => {
  it('reads a debuerreotype root', () => {
    expect(parseCreatedBy("# debian.sh --arch 'amd64' out/ 'bookworm' '@1766966400'", 'debuerreotype 0.15')).toEqual({
      instruction: 'ROOTFS',
      args: "debian.sh --arch 'amd64' out/ 'bookworm' '@1766966400'",
      builder: 'debuerreotype',
    })
  })

  it('reads a docker import (captured from the debian fixture)', () => {
    const [entry] = loadCaptured('debian_bookworm').history
    expect(entry?.CreatedBy).toBe('')
    expect(entry?.Comment).toBe('Imported from -')
    expect(parseCreatedBy(entry?.CreatedBy, entry?.Comment)).toEqual({ instruction: 'ROOTFS', args: 'Imported from -', builder: 'import' })
  })

  it('tolerates null fields (Podman)', () => {
    expect(parseCreatedBy(null, null)).toEqual({ instruction: 'UNKNOWN', args: '', builder: 'unknown' })
  })
})

describe('parseQuotedList', () => {
  it('reads Go-quoted and JSON lists, with escapes', () => {
    expect(parseQuotedList('["a" "b c"]')).toEqual(['a', 'b c'])
    expect(parseQuotedList('["a", "b"]')).toEqual(['a', 'b'])
    expect(parseQuotedList('["say \\"hi\\""]')).toEqual(['say "hi"'])
    expect(parseQuotedList('[]')).toEqual([])
    expect(parseQuotedList('uvicorn main:app')).toBeNull()
  })
})
