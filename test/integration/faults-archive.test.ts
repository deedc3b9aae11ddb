// Corrupt and truncated image archives through the archive front door (`layerlens audit --archive FILE`):
// a real `docker save` file cut at several points, and one with a gzip layer whose bytes were flipped.
// Each must end in a clear ARCHIVE_UNREADABLE error saying what is wrong, never a hang or a crash.
import { execFileSync } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { gzipSync } from 'node:zlib'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { ApiError } from '../../src-preload/contract'
import { configFor, packTar, paddingFor, sha256, ustarHeader } from '../unit/files/tar-builders'
import { FIXTURES, requireBuiltCli, requireFixtureImages, runCli } from './support'

interface TarMember {
  name: string
  headerOffset: number
  dataOffset: number
  size: number
}

/** The members of a plain ustar file, with where each header and body starts. */
function membersOf(archive: Buffer): TarMember[] {
  const members: TarMember[] = []
  for (let offset = 0; offset + 512 <= archive.length; ) {
    const header = archive.subarray(offset, offset + 512)
    if (header.every((byte) => byte === 0)) break
    const name = header.toString('utf8', 0, 100).replace(/\0.*$/s, '')
    const size = Number.parseInt(header.toString('ascii', 124, 136).replace(/\0.*$/s, '').trim() || '0', 8)
    members.push({ name, headerOffset: offset, dataOffset: offset + 512, size })
    offset += 512 + Math.ceil(size / 512) * 512
  }
  return members
}

/** The same archive with one member's body replaced (sizes and padding redone). */
function replaceMember(archive: Buffer, target: TarMember, body: Buffer): Buffer {
  const end = target.dataOffset + Math.ceil(target.size / 512) * 512
  return Buffer.concat([archive.subarray(0, target.headerOffset), ustarHeader(target.name, body.length), body, paddingFor(body.length), archive.subarray(end)])
}

let scratch: string
let saved: Buffer
let members: TarMember[]

beforeAll(async () => {
  requireBuiltCli()
  await requireFixtureImages()
  scratch = mkdtempSync(join(tmpdir(), 'layerlens-corrupt-'))
  const path = join(scratch, 'saved.tar')
  execFileSync('/usr/bin/docker', ['save', '-o', path, FIXTURES.afterBuildkit])
  saved = readFileSync(path)
  members = membersOf(saved)
})

afterAll(() => rmSync(scratch, { recursive: true, force: true }))

const biggestLayer = (): TarMember => members.filter((member) => member.name.endsWith('/layer.tar')).sort((a, b) => b.size - a.size)[0]!
const memberNamed = (name: string): TarMember => members.find((member) => member.name === name)!

async function auditArchive(path: string, bytes: Buffer): Promise<{ exitCode: number | null; error: ApiError | undefined }> {
  writeFileSync(path, bytes)
  const run = await runCli(['audit', '--archive', path, '--json'], { env: { ...process.env, DOCKER_HOST: 'unix:///nonexistent/docker.sock' } })
  if (run.stdout === '') throw new Error(`no report; exit ${run.exitCode}; stderr: ${run.stderr}`)
  const report = JSON.parse(run.stdout) as { images: { error?: ApiError }[] }
  return { exitCode: run.exitCode, error: report.images[0]?.error }
}

const CUT_SHORT = /^The archive ends early, after [\d,]+ bytes and without its end-of-archive marker \(was it cut short\?\): /

function gzippedBiggestLayer(): { layer: TarMember; gzipped: Buffer } {
  const layer = biggestLayer()
  return { layer, gzipped: gzipSync(saved.subarray(layer.dataOffset, layer.dataOffset + layer.size)) }
}

describe('a docker save archive cut short or damaged', () => {
  const cases: Array<[string, () => Buffer, RegExp]> = [
    ['cut inside a tar header', () => saved.subarray(0, biggestLayer().headerOffset + 100), new RegExp(`${CUT_SHORT.source}The archive ends in the middle of a member$`)],
    [
      'cut in the middle of a layer',
      () => saved.subarray(0, biggestLayer().dataOffset + Math.floor(biggestLayer().size / 2)),
      new RegExp(`${CUT_SHORT.source}The archive ends in the middle of a member$`)
    ],
    [
      'cut just before manifest.json',
      () => saved.subarray(0, memberNamed('manifest.json').headerOffset),
      new RegExp(`${CUT_SHORT.source}This is not an image archive: it has neither manifest.json nor index.json$`)
    ],
    [
      'with bytes flipped in the middle of a gzip layer',
      () => {
        const { layer, gzipped } = gzippedBiggestLayer()
        const middle = Math.floor(gzipped.length / 2)
        for (let offset = middle; offset < middle + 64; offset++) gzipped[offset] = gzipped[offset]! ^ 0xff
        return replaceMember(saved, layer, gzipped)
      },
      // Damaged deflate data may still inflate, to bytes that are no tar, or not the layer's.
      /^A gzip-compressed layer is corrupt \(.+\): the archive is damaged or cut short$|^A tar header has a wrong checksum: not a tar stream, or a corrupt one$|hashes to sha256:[0-9a-f]{64}, but the config says sha256:[0-9a-f]{64}: the archive is corrupt$/
    ]
  ]

  it.each(cases)('%s: ARCHIVE_UNREADABLE, saying what is wrong', async (name, damage, reason) => {
    const path = join(scratch, `${name.replace(/\W+/g, '-')}.tar`)
    const { exitCode, error } = await auditArchive(path, damage())
    expect(exitCode).toBe(3)
    expect(error?.code).toBe('ARCHIVE_UNREADABLE')
    expect(error?.message.startsWith(`The image archive ${path} could not be read: `)).toBe(true)
    expect(error?.message.slice(`The image archive ${path} could not be read: `.length)).toMatch(reason)
    expect(error?.fix).toContain('check it is complete')
  })

  it('the same archive, undamaged but with that layer gzipped, reads: the damage is what fails', async () => {
    const { layer, gzipped } = gzippedBiggestLayer()
    const { exitCode, error } = await auditArchive(join(scratch, 'recompressed.tar'), replaceMember(saved, layer, gzipped))
    expect(error).toBeUndefined()
    expect(exitCode).not.toBe(3)
  })
})

describe('an archive whose names hold terminal escapes', () => {
  it('is refused with the escapes spelled out, so none reaches the terminal', async () => {
    const layer = await packTar([{ name: 'etc/hostname', content: 'x\n' }])
    const config = configFor([sha256(layer)])
    const configName = `${sha256(Buffer.from(config)).slice(7)}.json`
    const hostileLayer = '\u001b[2J\u001b]0;pwned\u0007layer.tar'
    const archive = await packTar([
      { name: configName, content: config },
      { name: 'manifest.json', content: JSON.stringify([{ Config: configName, RepoTags: ['hostile/escapes:1'], Layers: [hostileLayer] }]) }
    ])
    const path = join(scratch, 'escapes.tar')
    writeFileSync(path, archive)
    const run = await runCli(['audit', '--archive', path], { env: { ...process.env, DOCKER_HOST: 'unix:///nonexistent/docker.sock' } })
    expect(run.exitCode).toBe(3)
    expect(run.stderr).toContain('The archive lacks layer 1 (\\u001b[2J\\u001b]0;pwned\\u0007layer.tar)')
    expect(`${run.stdout}${run.stderr}`).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f]/)
  })
})
