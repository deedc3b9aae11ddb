import type { ConfigSummary, Finding } from '../model'
import type { Rule } from './types'

/** The port the start command listens on, if it says so (`--port 8000`, `--bind 0.0.0.0:8000`, `-p 8000`). */
export function guessListeningPort(config: ConfigSummary): string | undefined {
  const command = [...(config.entrypoint ?? []), ...(config.cmd ?? [])].join(' ')
  const match = /(?:--port|-p|--listen)[=\s]+(\d{2,5})\b/.exec(command) ?? /(?:--bind|-b)[=\s]+\S*:(\d{2,5})\b/.exec(command)
  return match?.[1]
}

export const noExpose: Rule = {
  id: 'no-expose',
  lessonPart: 'expose',
  check({ config }) {
    if (config.exposedPorts.length > 0) return []
    const port = guessListeningPort(config)
    const finding: Finding = {
      rule: 'no-expose',
      severity: 'info',
      title: 'No EXPOSE',
      detail:
        'EXPOSE documents which port the app listens on. It publishes nothing by itself, but readers of the Dockerfile, ' +
        '`docker run -P` and many tools rely on it.' +
        (port ? ` The start command listens on port ${port}.` : ''),
      evidence: { config: ['ExposedPorts'], notes: ['The image declares no exposed port.'] },
      confidence: 'confirmed',
      lessonPart: 'expose',
      fix: { before: '# no EXPOSE', after: port ? `EXPOSE ${port}` : '# the port your app listens on\nEXPOSE 8000' },
    }
    return [finding]
  },
}
