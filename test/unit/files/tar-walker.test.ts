import { describe, expect, it } from 'vitest'
import { TarWalker, type TarHeader } from '../../../src-main/sources/archive/tar-walker'
import { cut, packTar, type Cutting, type Member } from './tar-builders'

const longDirectory = 'usr/lib/python3.11/site-packages/' + 'a-very-long-package-name-'.repeat(4)
const over100 = longDirectory + 'module.py'
const over255 = 'opt/' + 'segment-of-a-path-'.repeat(16) + 'file.txt'

const members: Member[] = [
  { name: 'etc/', type: 'directory' },
  { name: 'etc/hostname', content: 'box\n' },
  { name: over100, content: 'print(1)\n', uid: 10001, gid: 10001 },
  { name: over255, content: Buffer.alloc(1500, 1), mode: 0o4755 },
  { name: 'bin/sh', type: 'symlink', linkname: 'busybox' },
  { name: 'bin/ash', type: 'link', linkname: 'bin/busybox' },
  { name: 'empty', content: '' },
  { name: 'opt/' + 'x'.repeat(101), type: 'symlink', linkname: '/target/' + 'y'.repeat(150) }
]

function walk(pieces: Buffer[]): Array<{ header: TarHeader; body: string }> {
  const seen: Array<{ header: TarHeader; body: string }> = []
  const walker = new TarWalker((header) => {
    const chunks: Buffer[] = []
    const record = { header, body: '' }
    seen.push(record)
    return { write: (bytes) => void chunks.push(Buffer.from(bytes)), end: () => void (record.body = Buffer.concat(chunks).toString('latin1')) }
  })
  for (const piece of pieces) walker.push(piece)
  walker.end()
  return seen
}

describe('TarWalker', () => {
  it('reads names past 100 and 255 characters, link targets, owners, modes and bodies', async () => {
    const tar = await packTar(members)
    const seen = walk([tar])
    expect(over100.length).toBeGreaterThan(100)
    expect(over255.length).toBeGreaterThan(255)
    expect(seen.map(({ header }) => [header.name, header.type, header.size])).toEqual([
      ['etc/', 'dir', 0],
      ['etc/hostname', 'file', 4],
      [over100, 'file', 9],
      [over255, 'file', 1500],
      ['bin/sh', 'symlink', 0],
      ['bin/ash', 'hardlink', 0],
      ['empty', 'file', 0],
      ['opt/' + 'x'.repeat(101), 'symlink', 0]
    ])
    expect(seen[2]!.header).toMatchObject({ uid: 10001, gid: 10001 })
    expect(seen[3]!.header.mode & 0o7777).toBe(0o4755)
    expect(seen[3]!.body).toBe(Buffer.alloc(1500, 1).toString('latin1'))
    expect(seen[4]!.header.linkName).toBe('busybox')
    expect(seen[5]!.header.linkName).toBe('bin/busybox')
    expect(seen[7]!.header.linkName).toBe('/target/' + 'y'.repeat(150))
  })

  const cuttings: Array<[string, Cutting]> = [
    ['1 byte', { every: 1 }],
    ['7 bytes', { every: 7 }],
    ['511 bytes', { every: 511 }],
    ['random lengths (seed 1)', { randomSeed: 1 }],
    ['random lengths (seed 42)', { randomSeed: 42 }]
  ]
  it.each(cuttings)('gives the same members when the stream is cut every %s', async (_label, cutting) => {
    const tar = await packTar(members)
    expect(walk(cut(tar, cutting))).toEqual(walk([tar]))
  })

  it('rejects bytes that are not tar and archives cut short', async () => {
    expect(() => walk([Buffer.alloc(512, 0x41)])).toThrow(/checksum/)
    const tar = await packTar(members)
    expect(() => walk([tar.subarray(0, 1200)])).toThrow(/ends in the middle/)
  })
})
