// The docker CLI's contexts: the current one is named by DOCKER_CONTEXT or by `currentContext`
// in config.json, and its metadata lives under contexts/meta/<sha256 of the name>/meta.json.
import { createHash } from 'node:crypto'
import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { badDockerContext } from './errors'

export const DEFAULT_CONTEXT_NAME = 'default'

export interface NamedContext {
  name: string
  /** Where the name came from, for messages. */
  origin: 'DOCKER_CONTEXT' | 'config.json' | 'contexts folder'
}

export interface ContextEndpoint {
  host: string
  skipTlsVerify: boolean
  /** The context's TLS material (ca.pem, cert.pem, key.pem), when it has any. */
  tlsDir?: string
}

export function dockerConfigDir(env: NodeJS.ProcessEnv, homeDir: string): string {
  return env['DOCKER_CONFIG'] || join(homeDir, '.docker')
}

/** The selected context, or undefined when that is the default one (DOCKER_HOST or the local socket). */
export function currentContext(env: NodeJS.ProcessEnv, configDir: string): NamedContext | undefined {
  const fromEnv = env['DOCKER_CONTEXT']
  if (fromEnv) return fromEnv === DEFAULT_CONTEXT_NAME ? undefined : { name: fromEnv, origin: 'DOCKER_CONTEXT' }
  const fromConfig = readCurrentContextSetting(join(configDir, 'config.json'))
  return fromConfig && fromConfig !== DEFAULT_CONTEXT_NAME ? { name: fromConfig, origin: 'config.json' } : undefined
}

// Like the CLI, an unreadable or malformed config.json counts as no setting at all.
function readCurrentContextSetting(configPath: string): string | undefined {
  try {
    const config: unknown = JSON.parse(readFileSync(configPath, 'utf8'))
    if (typeof config !== 'object' || config === null) return undefined
    const value = (config as Record<string, unknown>)['currentContext']
    return typeof value === 'string' && value !== '' ? value : undefined
  } catch {
    return undefined
  }
}

const contextDirName = (name: string): string => createHash('sha256').update(name).digest('hex')

const ORIGIN_DESCRIPTIONS: Record<NamedContext['origin'], string> = {
  DOCKER_CONTEXT: 'named by DOCKER_CONTEXT',
  'config.json': 'the current context in config.json',
  'contexts folder': 'listed in the docker contexts folder'
}

/** The names of every context in the contexts folder, sorted; unreadable entries are left out. */
export function listContextNames(configDir: string): string[] {
  const metaDir = join(configDir, 'contexts', 'meta')
  let entries: string[]
  try {
    entries = readdirSync(metaDir)
  } catch {
    return []
  }
  const names = entries.map((entry) => readContextName(join(metaDir, entry, 'meta.json')))
  return names.filter((name): name is string => name !== undefined && name !== DEFAULT_CONTEXT_NAME).sort()
}

function readContextName(metaPath: string): string | undefined {
  try {
    const name = (JSON.parse(readFileSync(metaPath, 'utf8')) as { Name?: unknown } | null)?.Name
    return typeof name === 'string' && name !== '' ? name : undefined
  } catch {
    return undefined
  }
}

export function readContextEndpoint(configDir: string, context: NamedContext): ContextEndpoint {
  const origin = ORIGIN_DESCRIPTIONS[context.origin]
  const metaPath = join(configDir, 'contexts', 'meta', contextDirName(context.name), 'meta.json')
  let meta: unknown
  try {
    meta = JSON.parse(readFileSync(metaPath, 'utf8'))
  } catch (error) {
    const missing = (error as { code?: string }).code === 'ENOENT'
    throw badDockerContext(context.name, origin, missing ? 'it does not exist' : 'its metadata file cannot be read')
  }
  const docker = (meta as { Endpoints?: { docker?: { Host?: unknown; SkipTLSVerify?: unknown } } } | null)?.Endpoints?.docker
  if (typeof docker?.Host !== 'string' || docker.Host === '') {
    throw badDockerContext(context.name, origin, 'it has no docker endpoint')
  }
  const tlsDir = join(configDir, 'contexts', 'tls', contextDirName(context.name), 'docker')
  const endpoint: ContextEndpoint = { host: docker.Host, skipTlsVerify: docker.SkipTLSVerify === true }
  return existsSync(join(tlsDir, 'ca.pem')) || existsSync(join(tlsDir, 'cert.pem')) ? { ...endpoint, tlsDir } : endpoint
}
