import type { Finding } from '../model'
import { guessListeningPort } from './no-expose'
import type { Rule } from './types'

export const noHealthcheck: Rule = {
  id: 'no-healthcheck',
  lessonPart: 'healthcheck',
  check({ config, base }) {
    const test = config.healthcheck
    if (test !== null && test[0] !== 'NONE') return []
    const port = config.exposedPorts[0]?.split('/')[0] ?? guessListeningPort(config) ?? '8000'
    const python = base.family.startsWith('python')
    const probe = python
      ? `CMD ["python", "-c", "import urllib.request; urllib.request.urlopen('http://127.0.0.1:${port}/')"]`
      : `CMD wget -qO- http://127.0.0.1:${port}/ || exit 1`
    const finding: Finding = {
      rule: 'no-healthcheck',
      severity: 'info',
      title: 'No HEALTHCHECK',
      detail:
        'Without a health check, Docker only knows whether the process is running, not whether it answers. A HEALTHCHECK lets ' +
        'Docker (and Compose or Swarm) see a hung app and restart or replace it. Orchestrators with their own probes, such as Kubernetes, ignore it.',
      evidence: { config: ['Healthcheck'], notes: [test === null ? 'The image sets no health check.' : 'The health check is disabled (NONE).'] },
      confidence: 'confirmed',
      lessonPart: 'healthcheck',
      fix: { before: '# no HEALTHCHECK', after: `HEALTHCHECK --interval=30s --timeout=3s ${probe}` },
    }
    return [finding]
  },
}
