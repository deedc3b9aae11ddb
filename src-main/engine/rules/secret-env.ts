import type { Finding } from '../model'
import { MASK } from '../secrets'
import { parseAssignments } from '../steps'
import type { Rule } from './types'

export const secretEnv: Rule = {
  id: 'secret-env',
  lessonPart: 'secrets',
  check({ config, steps }) {
    const secrets = config.env.filter((variable) => variable.masked)
    if (secrets.length === 0) return []
    const keys = secrets.map((variable) => variable.key)
    const settingSteps = steps
      .filter((step) => step.instruction === 'ENV' && parseAssignments(step.args).some(({ name }) => keys.includes(name)))
      .map((step) => step.index)
    const finding: Finding = {
      rule: 'secret-env',
      severity: 'high',
      title: keys.length === 1 ? `A secret is baked into the environment: ${keys[0]}` : `Secrets are baked into the environment: ${keys.join(', ')}`,
      detail:
        'Environment variables set with ENV are stored in the image config and its history. Anyone who can pull or inspect the ' +
        'image can read them, and they stay there in every copy. Pass secrets when the container starts instead. ' +
        '(Layerlens masks the values here.)',
      evidence: {
        config: keys.map((key) => `Env.${key}`),
        steps: settingSteps,
        notes: keys.map((key) => `${key} is set in the image's Env.`),
      },
      confidence: 'confirmed',
      lessonPart: 'secrets',
      fix: {
        before: secrets.map((variable) => `ENV ${variable.key}=${variable.value === MASK ? MASK : variable.value}`).join('\n'),
        after:
          `# no ENV for ${keys.join(', ')}: give ${keys.length === 1 ? 'it' : 'them'} to the container at run time, e.g.\n` +
          `# docker run ${keys.map((key) => `-e ${key}`).join(' ')} IMAGE`,
      },
    }
    return [finding]
  },
}
