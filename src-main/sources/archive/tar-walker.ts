// A push-driven tar reader: feed it chunks cut anywhere, it reports members and hands out body slices
// without copying them. It understands ustar, GNU long names (L/K) and PAX extended headers (x);
// PAX globals (g) carry nothing an image layer needs and are skipped.

import type { FileType } from '../../engine/files/types'

export const TAR_BLOCK_BYTES = 512
/** Long names and PAX records are tiny; anything bigger is not a real tar. */
const METADATA_MAX_BYTES = 1024 * 1024
/** Links, devices, directories and fifos carry no body, whatever their size field says (as in Go's archive/tar). */
const HEADER_ONLY_TYPES = new Set(['1', '2', '3', '4', '5', '6'])

export interface TarHeader {
  name: string
  type: FileType
  /** The raw typeflag, for callers that care about the kinds folded into `other`. */
  typeFlag: string
  size: number
  mode: number
  uid: number
  gid: number
  linkName: string
}

/** Receives one member's body. */
export interface TarBodySink {
  write(bytes: Uint8Array): void
  end(): void
}

/** Called for each member; return a sink to receive its body, or undefined to skip it. */
export type TarMemberHandler = (header: TarHeader) => TarBodySink | undefined

export class TarFormatError extends Error {
  override name = 'TarFormatError'
}

interface PendingOverrides {
  path?: string
  linkPath?: string
  size?: number
  uid?: number
  gid?: number
}

type Phase = 'header' | 'body' | 'padding' | 'finished'

export class TarWalker {
  private phase: Phase = 'header'
  private readonly headerBytes = new Uint8Array(TAR_BLOCK_BYTES)
  private headerFill = 0
  private bodyRemaining = 0
  private paddingRemaining = 0
  private sink: TarBodySink | undefined
  private metadata: { kind: 'L' | 'K' | 'x'; chunks: Uint8Array[]; size: number } | undefined
  private overrides: PendingOverrides = {}

  constructor(private readonly onMember: TarMemberHandler) {}

  /** True once the end-of-archive block was read; later bytes are ignored. */
  get finished(): boolean {
    return this.phase === 'finished'
  }

  push(chunk: Uint8Array): void {
    let offset = 0
    const length = chunk.length
    while (offset < length && this.phase !== 'finished') {
      if (this.phase === 'header') {
        const take = Math.min(TAR_BLOCK_BYTES - this.headerFill, length - offset)
        if (this.headerFill === 0 && take === TAR_BLOCK_BYTES) {
          this.readHeader(chunk.subarray(offset, offset + TAR_BLOCK_BYTES))
        } else {
          this.headerBytes.set(chunk.subarray(offset, offset + take), this.headerFill)
          this.headerFill += take
          if (this.headerFill === TAR_BLOCK_BYTES) {
            this.headerFill = 0
            this.readHeader(this.headerBytes)
          }
        }
        offset += take
      } else if (this.phase === 'body') {
        const take = Math.min(this.bodyRemaining, length - offset)
        if (take > 0) this.deliver(chunk.subarray(offset, offset + take))
        this.bodyRemaining -= take
        offset += take
        if (this.bodyRemaining === 0) this.endBody()
      } else {
        const take = Math.min(this.paddingRemaining, length - offset)
        this.paddingRemaining -= take
        offset += take
        if (this.paddingRemaining === 0) this.phase = 'header'
      }
    }
  }

  /** Call when the input ends; a member cut short means a truncated archive. */
  end(): void {
    if (this.phase === 'body' || this.phase === 'padding' || this.headerFill !== 0) throw new TarFormatError('The archive ends in the middle of a member')
  }

  private readHeader(block: Uint8Array): void {
    if (isZeroBlock(block)) {
      this.phase = 'finished'
      return
    }
    if (!checksumMatches(block)) throw new TarFormatError('A tar header has a wrong checksum: not a tar stream, or a corrupt one')
    const typeFlag = block[156] === 0 ? '0' : String.fromCharCode(block[156]!)
    const recordedSize = readNumber(block, 124, 12)
    if (typeFlag === 'L' || typeFlag === 'K' || typeFlag === 'x') {
      const size = recordedSize
      if (size > METADATA_MAX_BYTES) throw new TarFormatError(`A tar metadata record of ${size} bytes is too large`)
      this.metadata = { kind: typeFlag, chunks: [], size }
      this.startBody(size)
      return
    }
    if (typeFlag === 'g') {
      this.startBody(recordedSize)
      return
    }
    const size = HEADER_ONLY_TYPES.has(typeFlag) ? 0 : (this.overrides.size ?? recordedSize)
    const header = this.headerFrom(block, typeFlag, size)
    this.overrides = {}
    this.sink = this.onMember(header)
    this.startBody(size)
  }

  private headerFrom(block: Uint8Array, typeFlag: string, size: number): TarHeader {
    const pending = this.overrides
    let name = pending.path
    if (name === undefined) {
      name = readString(block, 0, 100)
      // POSIX ustar splits long names into prefix + name; GNU tar ("ustar  ") uses that field for times.
      if (isPosixUstar(block)) {
        const prefix = readString(block, 345, 155)
        if (prefix !== '') name = prefix + '/' + name
      }
    }
    return {
      name,
      type: fileTypeOf(typeFlag, name),
      typeFlag,
      size,
      mode: readNumber(block, 100, 8),
      uid: pending.uid ?? readNumber(block, 108, 8),
      gid: pending.gid ?? readNumber(block, 116, 8),
      linkName: pending.linkPath ?? readString(block, 157, 100)
    }
  }

  private startBody(size: number): void {
    this.bodyRemaining = size
    this.paddingRemaining = (TAR_BLOCK_BYTES - (size % TAR_BLOCK_BYTES)) % TAR_BLOCK_BYTES
    if (size === 0) this.endBody()
    else this.phase = 'body'
  }

  private deliver(bytes: Uint8Array): void {
    if (this.metadata !== undefined) this.metadata.chunks.push(bytes.slice())
    else this.sink?.write(bytes)
  }

  private endBody(): void {
    const metadata = this.metadata
    if (metadata !== undefined) {
      this.metadata = undefined
      const bytes = Buffer.concat(metadata.chunks)
      if (metadata.kind === 'x') Object.assign(this.overrides, parsePax(bytes))
      else if (metadata.kind === 'L') this.overrides.path = cString(bytes)
      else this.overrides.linkPath = cString(bytes)
    } else if (this.sink !== undefined) {
      const sink = this.sink
      this.sink = undefined
      sink.end()
    }
    this.phase = this.paddingRemaining > 0 ? 'padding' : 'header'
  }
}

function fileTypeOf(typeFlag: string, name: string): FileType {
  switch (typeFlag) {
    case '0':
    case '7':
      return name.endsWith('/') ? 'dir' : 'file'
    case '5':
      return 'dir'
    case '2':
      return 'symlink'
    case '1':
      return 'hardlink'
    default:
      return 'other'
  }
}

/** Whether a 512-byte block can start a tar stream: a valid header, or the end marker of an empty tar. */
export function looksLikeTarHeader(block: Uint8Array): boolean {
  return block.length >= TAR_BLOCK_BYTES && (isZeroBlock(block) || checksumMatches(block))
}

function isZeroBlock(block: Uint8Array): boolean {
  for (let index = 0; index < TAR_BLOCK_BYTES; index++) if (block[index] !== 0) return false
  return true
}

function checksumMatches(block: Uint8Array): boolean {
  const recorded = readNumber(block, 148, 8)
  let unsigned = 8 * 0x20
  for (let index = 0; index < TAR_BLOCK_BYTES; index++) if (index < 148 || index >= 156) unsigned += block[index]!
  if (unsigned === recorded) return true
  // Some old writers summed signed bytes.
  let signed = 8 * 0x20
  for (let index = 0; index < TAR_BLOCK_BYTES; index++) {
    if (index < 148 || index >= 156) signed += (block[index]! << 24) >> 24
  }
  return signed === recorded
}

function isPosixUstar(block: Uint8Array): boolean {
  // "ustar\0" (POSIX) as opposed to "ustar  \0" (old GNU).
  return block[257] === 0x75 && block[262] === 0 && block[263] === 0x30
}

function readString(block: Uint8Array, start: number, length: number): string {
  let end = start
  const limit = start + length
  while (end < limit && block[end] !== 0) end++
  return Buffer.from(block.buffer, block.byteOffset + start, end - start).toString('utf8')
}

/** Octal, or GNU base-256 when the high bit of the first byte is set (sizes ≥ 8 GiB, big uids). */
function readNumber(block: Uint8Array, start: number, length: number): number {
  if ((block[start]! & 0x80) !== 0) {
    let value = block[start]! & 0x7f
    for (let index = start + 1; index < start + length; index++) value = value * 256 + block[index]!
    return value
  }
  let value = 0
  let index = start
  const limit = start + length
  while (index < limit && (block[index] === 0x20 || block[index] === 0)) index++
  for (; index < limit; index++) {
    const byte = block[index]!
    if (byte < 0x30 || byte > 0x37) break
    value = value * 8 + (byte - 0x30)
  }
  return value
}

function cString(bytes: Buffer): string {
  const nul = bytes.indexOf(0)
  return bytes.toString('utf8', 0, nul === -1 ? bytes.length : nul)
}

/** PAX records: "<length> <key>=<value>\n", length counting the whole record. */
function parsePax(bytes: Buffer): PendingOverrides {
  const overrides: PendingOverrides = {}
  let offset = 0
  while (offset < bytes.length) {
    const space = bytes.indexOf(0x20, offset)
    if (space === -1) break
    const recordLength = Number.parseInt(bytes.toString('ascii', offset, space), 10)
    if (!Number.isFinite(recordLength) || recordLength <= 0) break
    const record = bytes.toString('utf8', space + 1, offset + recordLength - 1)
    offset += recordLength
    const equals = record.indexOf('=')
    if (equals === -1) continue
    const key = record.slice(0, equals)
    const value = record.slice(equals + 1)
    if (key === 'path') overrides.path = value
    else if (key === 'linkpath') overrides.linkPath = value
    else if (key === 'size') overrides.size = paxNumber(key, value)
    else if (key === 'uid') overrides.uid = paxNumber(key, value)
    else if (key === 'gid') overrides.gid = paxNumber(key, value)
  }
  return overrides
}

/** A size, uid or gid a PAX header gives: a decimal count, or the walk would lose its place in the stream. */
function paxNumber(key: string, value: string): number {
  const number = /^\d+$/.test(value) ? Number(value) : Number.NaN
  if (!Number.isSafeInteger(number)) throw new TarFormatError(`A PAX header gives a ${key} that is not a whole number`)
  return number
}
