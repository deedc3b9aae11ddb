// The physical floor for reading an image's files: the engine's own export, written nowhere.
import { spawn } from 'node:child_process'
import { openSync, closeSync } from 'node:fs'

const DOCKER_CLI = '/usr/bin/docker'

/** Seconds `docker save REF > /dev/null` takes. */
export function timeExport(ref: string): Promise<number> {
  const devNull = openSync('/dev/null', 'w')
  const started = process.hrtime.bigint()
  return new Promise<number>((resolve, reject) => {
    const child = spawn(DOCKER_CLI, ['save', ref], { stdio: ['ignore', devNull, 'inherit'] })
    child.on('error', reject)
    child.on('close', (code) => {
      closeSync(devNull)
      if (code === 0) resolve(secondsSince(started))
      else reject(new Error(`docker save ${ref} exited with ${code}`))
    })
  })
}

export const secondsSince = (started: bigint): number => Number(process.hrtime.bigint() - started) / 1e9
