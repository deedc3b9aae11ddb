// The image behind the large-tree check: 100,000 files in one layer, built here from a fixture base.
import { spawnSync } from 'node:child_process'
import { createHash } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { resolve } from 'node:path'

export const MANY_FILES_IMAGE = 'layerlens-fixtures/contents-many-files:buildkit'
/** Written by the Dockerfile's RUN: 500 directories of 200 files. */
export const MANY_FILES_COUNT = 100_000

const DOCKER = '/usr/bin/docker'
const CONTEXT = resolve(import.meta.dirname, 'fixtures/many-files')
const BASE_IMAGE = 'layerlens-fixtures/debian:bookworm-slim'
const RECIPE_LABEL = 'layerlens.e2e.recipe'

/** Builds the image unless one built from the same Dockerfile and base is already there. */
export function ensureManyFilesImage(): void {
  const recipe = createHash('sha256')
    .update(readFileSync(resolve(CONTEXT, 'Dockerfile')))
    .update(docker(['image', 'inspect', '-f', '{{.Id}}', BASE_IMAGE], `${BASE_IMAGE} is missing: run \`npm run fixtures\` first.`))
    .digest('hex')
  const inspected = spawnSync(DOCKER, ['image', 'inspect', '-f', `{{index .Config.Labels "${RECIPE_LABEL}"}}`, MANY_FILES_IMAGE], { encoding: 'utf8' })
  if (inspected.status === 0 && inspected.stdout.trim() === recipe) return
  const replaced = spawnSync(DOCKER, ['image', 'inspect', '-f', '{{.Id}}', MANY_FILES_IMAGE], { encoding: 'utf8' }).stdout.trim()
  docker(['build', '--network', 'host', '--label', `${RECIPE_LABEL}=${recipe}`, '-t', MANY_FILES_IMAGE, CONTEXT], `docker build of ${MANY_FILES_IMAGE} failed.`)
  // The image a rebuild replaced would stay behind untagged.
  if (replaced !== '') spawnSync(DOCKER, ['image', 'rm', replaced])
}

function docker(args: string[], failure: string): string {
  const run = spawnSync(DOCKER, args, { encoding: 'utf8', env: { ...process.env, DOCKER_BUILDKIT: '1', BUILDKIT_PROGRESS: 'plain' } })
  if (run.status !== 0) throw new Error(`${failure}\n${run.stdout}${run.stderr}`)
  return run.stdout.trim()
}
