#!/usr/bin/env node
// `npm run fuzz`: the property tests of test/unit/fuzz with many more inputs and a fresh seed each time.
// FUZZ_SEED replays a run (the seed is printed first and last); FUZZ_RUNS sets the inputs per property.
// Extra arguments go to vitest, e.g. `npm run fuzz -- -t history`.
import { spawnSync } from 'node:child_process'
import { randomInt } from 'node:crypto'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

const root = join(dirname(fileURLToPath(import.meta.url)), '..')
const seed = process.env.FUZZ_SEED ?? String(randomInt(2 ** 31))
const runs = process.env.FUZZ_RUNS ?? '5000'
const replay = `FUZZ_SEED=${seed} FUZZ_RUNS=${runs} npm run fuzz`

console.log(`Fuzzing with seed ${seed}, ${runs} inputs per property. To replay: ${replay}`)
// No vitest time limit: a long run takes minutes. Each async run still has its own limit, so a hang fails.
const vitest = join(root, 'node_modules/vitest/vitest.mjs')
const result = spawnSync(process.execPath, [vitest, 'run', 'test/unit/fuzz', '--testTimeout=0', ...process.argv.slice(2)], {
  cwd: root,
  stdio: 'inherit',
  env: { ...process.env, FUZZ_SEED: seed, FUZZ_RUNS: runs }
})
if (result.status !== 0) console.log(`Fuzzing failed with seed ${seed}. To replay: ${replay}`)
process.exit(result.status ?? 1)
