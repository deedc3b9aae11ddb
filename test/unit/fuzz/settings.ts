// How hard the property tests push: a fixed seed and a few runs in the normal test run; `npm run fuzz`
// (scripts/fuzz.js) sets FUZZ_SEED and FUZZ_RUNS for a long run with a fresh seed.
import type { Parameters } from 'fast-check'

const DEFAULT_SEED = 20_260_603

export function fuzzParameters<Ts>(defaultRuns: number): Parameters<Ts> {
  return {
    seed: Number(process.env.FUZZ_SEED ?? DEFAULT_SEED),
    numRuns: Number(process.env.FUZZ_RUNS ?? defaultRuns)
  }
}
