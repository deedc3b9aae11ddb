// The one gate between an untrusted caller (the renderer over IPC, a browser over HTTP)
// and the service: the operation must be on the allowlist and its arguments must parse.
import { argumentSchemas } from '../src-preload/arguments'
import { OPERATIONS, type Api, type Operation, type Result } from '../src-preload/contract'

export const isOperation = (name: string): name is Operation => (OPERATIONS as readonly string[]).includes(name)

export async function dispatch(service: Api, operation: string, args: unknown): Promise<Result<unknown>> {
  if (!isOperation(operation)) {
    return invalid(`There is no operation named "${operation.slice(0, 64)}".`)
  }
  const parsed = argumentSchemas[operation].safeParse(args)
  if (!parsed.success) {
    const reason = parsed.error.issues[0]?.message ?? 'invalid arguments'
    return invalid(`Invalid arguments for ${operation}: ${reason}.`)
  }
  const call = service[operation] as (...callArgs: unknown[]) => Promise<Result<unknown>>
  return call(...parsed.data)
}

function invalid(message: string): Result<never> {
  return {
    ok: false,
    error: { code: 'INVALID_ARGUMENT', message, fix: 'This is a bug in the caller; the request was refused and nothing was changed.' }
  }
}
