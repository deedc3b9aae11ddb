// The `layerlens` command line (bundled to out/main/cli.js). No Electron here.
import { version } from '../../package.json'
import { preferThroughputGarbageCollection } from '../garbage-collection'
import { ScanRegistry } from '../scans'
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
    case 'audit': {
      const scans = new ScanRegistry()
      return runAudit(command, { service: createService({ scans }), scans, version, cwd: process.cwd() })
    }
    case 'serve':
      await runServe(createService(), command)
      // Stopped. The engine's events stream the page followed, or a scan still reading an
      // export, would otherwise keep the process alive for minutes.
      process.exit(EXIT.clean)
  }
}

async function main(argv: readonly string[]): Promise<number> {
  try {
    return await run(parseCommand(argv))
  } catch (error) {
    if (error instanceof UsageError) {
      process.stderr.write(error.showUsage ? `layerlens: ${error.message}\n\n${USAGE}\n` : `layerlens: ${error.message}\n`)
      return EXIT.usage
    }
    process.stderr.write(`layerlens: ${error instanceof Error ? error.message : String(error)}\n`)
    return EXIT.unreadable
  }
}

preferThroughputGarbageCollection()
// exitCode rather than exit(): a large JSON report must finish draining into a pipe.
process.exitCode = await main(process.argv.slice(2))
