import type { Result } from '../../../src-preload/contract'

/** Errors travel as data; a request that throws anyway becomes an error result too. */
export async function settle<T>(request: () => Promise<Result<T>>): Promise<Result<T>> {
  try {
    return await request()
  } catch (thrown) {
    return {
      ok: false,
      error: {
        code: 'INTERNAL',
        message: thrown instanceof Error ? thrown.message : 'The request failed unexpectedly.',
        fix: 'Try again. If it keeps failing, restart Layerlens.'
      }
    }
  }
}
