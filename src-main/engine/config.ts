// The config summary: what the image runs, as whom, with which environment.
// Secret values are masked here, before anything else sees them.
import type { ConfigSummary, EnvVar } from './model'
import type { RawContainerConfig, RawImageInspect } from './raw'
import { orEmptyArray, orEmptyRecord } from './raw'
import { maskText, maskVariable, secretValuesOf } from './secrets'

export const splitEnvEntry = (entry: string): { name: string; value: string } => {
  const equals = entry.indexOf('=')
  return equals < 0 ? { name: entry, value: '' } : { name: entry.slice(0, equals), value: entry.slice(equals + 1) }
}

/** Secret values in the config itself (Env and labels), to be masked wherever else they appear. */
export function secretValuesInConfig(config: RawContainerConfig | null | undefined): string[] {
  const env = orEmptyArray(config?.Env).map(splitEnvEntry)
  const labels = Object.entries(orEmptyRecord(config?.Labels)).map(([name, value]) => ({ name, value: String(value) }))
  return secretValuesOf([...env, ...labels])
}

const maskArgv = (argv: string[] | null, knownSecrets: readonly string[]): string[] | null =>
  argv === null ? null : argv.map((arg) => maskText(arg, knownSecrets).text)

const entrypointOf = (value: RawContainerConfig['Entrypoint']): string[] | null => {
  if (typeof value === 'string') return value === '' ? null : [value]
  return Array.isArray(value) && value.length > 0 ? value : null
}

export function summarizeConfig(inspect: RawImageInspect, knownSecrets: readonly string[]): ConfigSummary {
  const config = inspect.Config ?? {}
  const env: EnvVar[] = orEmptyArray(config.Env).map((entry) => {
    const { name, value } = splitEnvEntry(entry)
    const masked = maskVariable(name, value, knownSecrets)
    return { key: name, value: masked.value, masked: masked.masked }
  })
  const labels: Record<string, string> = {}
  for (const [name, value] of Object.entries(orEmptyRecord(config.Labels))) {
    labels[name] = maskVariable(name, String(value), knownSecrets).value
  }
  const cmd = Array.isArray(config.Cmd) && config.Cmd.length > 0 ? config.Cmd : null
  const healthcheck = orEmptyArray(config.Healthcheck?.Test)
  const summary: ConfigSummary = {
    user: config.User ?? '',
    cmd: maskArgv(cmd, knownSecrets),
    entrypoint: maskArgv(entrypointOf(config.Entrypoint), knownSecrets),
    workingDir: config.WorkingDir ?? '',
    env,
    exposedPorts: Object.keys(orEmptyRecord(config.ExposedPorts)).sort(),
    volumes: Object.keys(orEmptyRecord(config.Volumes)).sort(),
    labels,
    healthcheck: healthcheck.length > 0 ? maskArgv(healthcheck, knownSecrets) : null,
    os: inspect.Os ?? '',
    architecture: inspect.Architecture ?? '',
  }
  if (config.StopSignal) summary.stopSignal = config.StopSignal
  return summary
}
