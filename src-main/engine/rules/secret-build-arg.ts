import type { Finding } from '../model'
import type { Rule } from './types'

/** Secrets in the build history other than ENV (which secret-env reports): build args, inline variables, URLs. */
export const secretBuildArg: Rule = {
  id: 'secret-build-arg',
  lessonPart: 'secrets',
  check({ steps, maskedByStep }) {
    const leaking = steps.filter((step) => step.instruction !== 'ENV' && (maskedByStep.get(step.index)?.length ?? 0) > 0)
    if (leaking.length === 0) return []
    const names = [...new Set(leaking.flatMap((step) => maskedByStep.get(step.index) ?? []))]
    const argNames = names.filter((name) => /^[A-Za-z_][A-Za-z0-9_]*$/.test(name))
    const first = leaking[0]!
    const exampleName = argNames[0] ?? 'API_TOKEN'
    const secretId = exampleName.toLowerCase()
    const finding: Finding = {
      rule: 'secret-build-arg',
      severity: 'high',
      title: 'A secret is recorded in the build history',
      detail:
        'Build arguments and values written into RUN commands are saved in the image history, in plain text, for anyone ' +
        'who can pull the image (`docker history --no-trunc` shows them). Use a build secret, which is mounted only while ' +
        'the step runs and never stored. (Layerlens masks the values here.)',
      evidence: {
        steps: leaking.map((step) => step.index),
        notes: leaking.map(
          (step) =>
            `Step ${step.index + 1} (${step.instruction}${step.inBase ? ', in the base image' : ''}) records ${(maskedByStep.get(step.index) ?? []).join(', ')}.`,
        ),
      },
      confidence: 'confirmed',
      lessonPart: 'secrets',
      fix: {
        before: `${argNames.length > 0 ? argNames.map((name) => `ARG ${name}`).join('\n') + '\n' : ''}RUN ${first.args}`,
        after:
          `# build with: docker build --secret id=${secretId},env=${exampleName} .\n` +
          `RUN --mount=type=secret,id=${secretId},env=${exampleName} ${first.args.replace(/\b([A-Za-z_][A-Za-z0-9_]*)=••••••\s*/g, '')}`,
      },
    }
    return [finding]
  },
}
