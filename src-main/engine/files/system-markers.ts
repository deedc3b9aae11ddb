// What the final filesystem says about the system itself: build tools, setuid programs, the distribution
// family and the users. Plain data out; the rules turn it into findings.

import type { FilesystemView, ViewNode } from './filesystem-view'

/** Compiler drivers and build programs, by name, in the usual program folders. */
const BUILD_TOOL_PROGRAM = /^\/usr(?:\/local)?\/bin\/(gcc|g\+\+|cc|c\+\+|make|clang|clang\+\+|[a-z0-9_]+-linux-gnu-(?:gcc|g\+\+))(?:-[0-9.]+)?$/
/** gcc's own programs (cc1, cc1plus, lto1, collect2) and libraries: most of a toolchain's bytes. */
const TOOLCHAIN_TREE = /^\/usr\/(?:lib|libexec)\/gcc\//
const COMPILER_PROPER = /\/(cc1|cc1plus)$/
const HEADERS_TREE = /^\/usr(?:\/local)?\/include\//

export interface BuildToolFile {
  path: string
  bytes: number
  layer: number
}

export interface BuildTools {
  /** Programs a user would name: gcc, g++, make, cc1… (symlinks included, as installed). */
  programs: BuildToolFile[]
  /** Header files under /usr/include. */
  headerFiles: number
  headerBytes: number
  /** Σ bytes of the programs, gcc's tree and the headers: what a runtime image would not carry. */
  bytes: number
  /** Bytes by the layer that supplied them. */
  bytesByLayer: Map<number, number>
}

/** Compilers, make and development headers in the final filesystem; undefined when there are none. */
export function findBuildTools(view: FilesystemView): BuildTools | undefined {
  const tools: BuildTools = { programs: [], headerFiles: 0, headerBytes: 0, bytes: 0, bytesByLayer: new Map() }
  const count = (node: ViewNode, bytes: number): void => {
    tools.bytes += bytes
    tools.bytesByLayer.set(node.layer, (tools.bytesByLayer.get(node.layer) ?? 0) + bytes)
  }
  for (const node of view.nodeList()) {
    const entry = node.entry
    if (entry === undefined || entry.type === 'dir') continue
    const isProgram = BUILD_TOOL_PROGRAM.test(node.path) || (TOOLCHAIN_TREE.test(node.path) && COMPILER_PROPER.test(node.path))
    if (isProgram) tools.programs.push({ path: node.path, bytes: entry.size, layer: node.layer })
    if (HEADERS_TREE.test(node.path)) {
      tools.headerFiles += 1
      tools.headerBytes += entry.size
      count(node, entry.size)
    } else if (isProgram || TOOLCHAIN_TREE.test(node.path)) count(node, entry.size)
  }
  const hasCompiler = tools.programs.some((program) => !program.path.endsWith('/make'))
  return hasCompiler ? tools : undefined
}

export interface SetuidFile {
  path: string
  mode: number
  setuid: boolean
  setgid: boolean
  layer: number
}

/** Regular files with the setuid or setgid bit, in the final filesystem, by path. */
export function findSetuidFiles(view: FilesystemView): SetuidFile[] {
  const found: SetuidFile[] = []
  for (const node of view.nodeList()) {
    const entry = node.entry
    if (entry?.type !== 'file' || (entry.mode & 0o6000) === 0) continue
    found.push({ path: node.path, mode: entry.mode & 0o7777, setuid: (entry.mode & 0o4000) !== 0, setgid: (entry.mode & 0o2000) !== 0, layer: node.layer })
  }
  return found.sort((a, b) => (a.path < b.path ? -1 : 1))
}

/** The distribution markers a base leaves in the filesystem (DESIGN.md "Base image"). */
export interface DistributionMarkers {
  /** `/etc/dpkg/dpkg.cfg.d/docker`: the official slim Debian images' dpkg excludes. */
  slimDebian: boolean
  debian: boolean
  alpine: boolean
  /** The layer each marker came from, to tell the base's markers from the user's. */
  layers: number[]
}

export function findDistributionMarkers(view: FilesystemView, upToLayer: number): DistributionMarkers {
  const layers: number[] = []
  const present = (path: string): boolean => {
    const node = view.get(path)
    if (node?.entry === undefined || node.layer > upToLayer) return false
    layers.push(node.layer)
    return true
  }
  return {
    slimDebian: present('/etc/dpkg/dpkg.cfg.d/docker'),
    debian: present('/etc/debian_version'),
    alpine: present('/etc/alpine-release'),
    layers
  }
}

export interface PasswdUser {
  name: string
  uid: number
  gid: number
}

/** `/etc/passwd` lines: `name:x:uid:gid:gecos:home:shell`. Malformed lines are skipped. */
export function parsePasswd(text: string): PasswdUser[] {
  const users: PasswdUser[] = []
  for (const line of text.split('\n')) {
    const [name, , uid, gid] = line.split(':')
    if (name === undefined || name === '' || !/^\d+$/.test(uid ?? '') || !/^\d+$/.test(gid ?? '')) continue
    users.push({ name, uid: Number(uid), gid: Number(gid) })
  }
  return users
}

export interface ResolvedUser {
  /** The USER setting's user part (before any `:group`). */
  user: string
  uid?: number
  /** The passwd entry matched by name or UID. */
  entry?: PasswdUser
  isRoot: boolean
  /** One line saying how the user was resolved. */
  note: string
}

/**
 * Resolves the config's User through `/etc/passwd`. A numeric UID needs no entry: the kernel runs the process
 * with that UID whether or not a name exists, so `1000` without an entry is still not root.
 */
export function resolveUser(configUser: string, passwdText: string | undefined): ResolvedUser {
  const user = configUser.trim().split(':')[0] ?? ''
  const users = passwdText === undefined ? [] : parsePasswd(passwdText)
  if (user === '') return { user, uid: 0, isRoot: true, note: 'No USER is set: processes run as UID 0, root.' }
  if (/^\d+$/.test(user)) {
    const uid = Number(user)
    const entry = users.find((candidate) => candidate.uid === uid)
    const named = entry === undefined ? `has no entry in /etc/passwd` : `is ${entry.name} in /etc/passwd`
    const resolved: ResolvedUser = { user, uid, isRoot: uid === 0, note: `USER ${user}: UID ${uid} ${named}${uid === 0 ? ', which is root' : ', not root'}.` }
    if (entry !== undefined) resolved.entry = entry
    return resolved
  }
  const entry = users.find((candidate) => candidate.name === user)
  if (entry === undefined) {
    return {
      user,
      isRoot: user === 'root',
      note: passwdText === undefined ? `USER ${user}: the image has no /etc/passwd to resolve it.` : `USER ${user} has no entry in /etc/passwd; the container will fail to start as that user.`
    }
  }
  return { user, uid: entry.uid, entry, isRoot: entry.uid === 0, note: `USER ${user} is UID ${entry.uid} in /etc/passwd${entry.uid === 0 ? ': root under another name' : ''}.` }
}
