import { describe, expect, it } from 'vitest'
import { parseDockerfile } from '../../../src-main/engine/dockerfile'

const args = (text: string, options = {}) => parseDockerfile(text, options).instructions.map((instruction) => [instruction.keyword, instruction.args])

describe('parseDockerfile', () => {
  it('joins line continuations as Docker does, dropping comment and empty lines inside them', () => {
    const parsed = parseDockerfile('FROM alpine:3.20\nRUN apk add \\\n    curl \\\n    # why curl\n\n    jq\n')
    expect(parsed.instructions[1]).toMatchObject({ keyword: 'RUN', args: 'apk add     curl     jq', location: { line: 2, column: 1, endLine: 6 } })
  })

  it('reads the # syntax and # escape directives, and continues lines with the chosen escape', () => {
    const parsed = parseDockerfile('# syntax=docker/dockerfile:1\n# escape=`\nFROM alpine:3.20\nRUN echo a `\n  && echo b\nCOPY C:\\data /data\n')
    expect(parsed.directives).toEqual({ syntax: 'docker/dockerfile:1', escape: '`' })
    expect(parsed.instructions.map((instruction) => instruction.args)).toEqual(['alpine:3.20', 'echo a   && echo b', 'C:\\data /data'])
  })

  it('expands global ARGs in FROM, with build args winning over defaults', () => {
    const text = 'ARG BASE=python\nARG VERSION=3.12\nFROM ${BASE}:${VERSION}-slim\n'
    expect(parseDockerfile(text).stages[0]?.from).toMatchObject({ image: 'python:3.12-slim', repository: 'python', tag: '3.12-slim' })
    expect(parseDockerfile(text, { buildArgs: { VERSION: '3.11' } }).stages[0]?.from.image).toBe('python:3.11-slim')
  })

  it('expands ARG and ENV in the instructions the builder expands, and leaves RUN to the shell', () => {
    const text = [
      'ARG VERSION=1',
      'FROM alpine:3.20',
      'ARG VERSION',
      'ARG APP_HOME=/srv/app',
      'ENV HOME_DIR=${APP_HOME} GREETING="hello world" PATH=/opt/bin:$PATH',
      'WORKDIR $HOME_DIR',
      'COPY app-${VERSION}.tar.gz ${HOME_DIR:-/tmp}/',
      'RUN echo $GREETING',
      'LABEL version=${VERSION:+v}${VERSION}',
    ].join('\n')
    expect(args(text).slice(4)).toEqual([
      ['ENV', 'HOME_DIR=/srv/app GREETING=hello world PATH=/opt/bin:$PATH'],
      ['WORKDIR', '/srv/app'],
      ['COPY', 'app-1.tar.gz /srv/app/'],
      ['RUN', 'echo $GREETING'],
      ['LABEL', 'version=v1'],
    ])
    expect(parseDockerfile(text).instructions[4]?.unresolved).toEqual(['PATH'])
  })

  it('keeps heredoc bodies', () => {
    const parsed = parseDockerfile('FROM alpine:3.20\nRUN <<EOF\napk add curl\nrm -rf /var/cache/apk/*\nEOF\n')
    expect(parsed.instructions[1]?.heredocs).toEqual([{ name: 'EOF', content: 'apk add curl\nrm -rf /var/cache/apk/*' }])
  })

  it('reads exec forms and tracks SHELL for shell forms', () => {
    const parsed = parseDockerfile('FROM alpine:3.20\nSHELL ["/bin/ash", "-eo", "pipefail", "-c"]\nRUN ["echo", "hi"]\nCMD echo hi\n')
    expect(parsed.instructions[2]?.execForm).toEqual(['echo', 'hi'])
    expect(parsed.instructions[3]?.shell).toEqual(['/bin/ash', '-eo', 'pipefail', '-c'])
  })

  it('follows FROM … AS chains to the final stage, or to --target', () => {
    const text = 'FROM python:3.12 AS base\nRUN echo base\nFROM base AS build\nRUN echo build\nFROM python:3.12-slim AS other\nFROM build\nCMD ["x"]\n'
    const parsed = parseDockerfile(text)
    expect(parsed.stages.map((stage) => [stage.name, stage.from.stage])).toEqual([['base', undefined], ['build', 0], ['other', undefined], [undefined, 1]])
    expect(parsed.finalChain).toEqual([0, 1, 3])
    expect(parseDockerfile(text, { target: 'other' }).finalChain).toEqual([2])
  })
})
