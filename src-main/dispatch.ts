// The one gate between an untrusted caller (the renderer over IPC, a browser over HTTP)
// and the service: the operation must be on the allowlist and its arguments must parse.
import { argumentSchemas } from '../src-preload/arguments'
import { OPERATIONS, WRITING_OPERATIONS, type Api, type Operation, type Result } from '../src-preload/contract'

export const isOperation = (name: string): name is Operation => (OPERATIONS as readonly string[]).includes(name)

export interface DispatchOptions {
  /** Refuse the operations that write files (`layerlens serve`). */
  readOnly?: boolean
}

export async function dispatch(service: Api, operation: string, args: unknown, options: DispatchOptions = {}): Promise<Result<unknown>> {
  if (!isOperation(operation)) {
    return invalid(`There is no operation named "${operation.slice(0, 64)}".`)
  }
  if (options.readOnly === true && WRITING_OPERATIONS.includes(operation)) return readOnlyRefusal
  const parsed = argumentSchemas[operation].safeParse(args)
  if (!parsed.success) {
    const reason = parsed.error.issues[0]?.message ?? 'invalid arguments'
    return invalid(`Invalid arguments for ${operation}: ${reason}.`)
  }
  const call = service[operation] as (...callArgs: unknown[]) => Promise<Result<unknown>>
  return call(...parsed.data)
}

const readOnlyRefusal: Result<never> = {
  ok: false,
  error: {
    code: 'READ_ONLY',
    message: 'Layerlens in the browser (`layerlens serve`) is read-only: it never writes your files, so the fix was not written.',
    fix: 'Copy the patched text shown with the proposed fix into your files, or open the desktop app (`npm start`) to write it on confirm.'
  }
}

function invalid(message: string): Result<never> {
  return {
    ok: false,
    error: { code: 'INVALID_ARGUMENT', message, fix: 'This is a bug in the caller; the request was refused and nothing was changed.' }
  }
}
