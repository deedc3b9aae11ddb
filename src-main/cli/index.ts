// The `layerlens` command line (bundled to out/main/cli.js). No Electron here.
import { version } from '../../package.json'
import { createService } from '../service'
import { parseCommand, USAGE, UsageError, type Command } from './arguments'
import { EXIT, runAudit } from './audit'
import { runServe } from './serve'

async function run(command: Command): Promise<number> {
  switch (command.kind) {
    case 'help':
      process.stdout.write(`${USAGE}\n`)
      return EXIT.clean
    case 'version':
      process.stdout.write(`layerlens ${version}\n`)
      return EXIT.clean
    case 'audit':
      return runAudit(createService(), { refs: command.refs, json: command.json, failOn: command.failOn, files: command.files, version })
    case 'serve':
      await runServe(createService(), command)
      return EXIT.clean
  }
}

async function main(argv: readonly string[]): Promise<number> {
  try {
    return await run(parseCommand(argv))
  } catch (error) {
    if (error instanceof UsageError) {
      process.stderr.write(`layerlens: ${error.message}\n\n${USAGE}\n`)
      return EXIT.usage
    }
    process.stderr.write(`layerlens: ${error instanceof Error ? error.message : String(error)}\n`)
    return EXIT.unreadable
  }
}

// exitCode rather than exit(): a large JSON report must finish draining into a pipe.
process.exitCode = await main(process.argv.slice(2))
