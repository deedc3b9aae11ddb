// Secret files in the user's layers. A later deletion does not help: the layer that added the file still ships it.
import { findSecretFiles, type SecretFile } from '../files/file-markers'
import type { Finding } from '../model'
import { commandOf, isCopyStep, placeOfLayer, stepOfLayer, userLayers } from './layer-steps'
import type { FileRule } from './types'

const KIND_WORDS: Record<SecretFile['kind'], string> = {
  dotenv: 'an environment file',
  'private-key': 'a private key',
  credentials: 'a credentials file'
}

export const secretFile: FileRule = {
  id: 'secret-file',
  lessonPart: 'secrets',
  check(context) {
    const final = context.final
    return userLayers(context).flatMap(({ layer, files, step }) => {
      const only = context.layers.map((_files, index) => (index === layer ? files : undefined))
      const secrets = findSecretFiles(only, final?.view)
      if (secrets.length === 0) return []
      const paths = secrets.map((secret) => secret.path)
      const removers = new Map<string, number>()
      for (const removed of final?.waste.removedFiles ?? []) {
        if (removed.addedInLayer === layer && paths.includes(removed.path)) removers.set(removed.path, removed.removedInLayer)
      }
      const removingSteps = [...new Set(removers.values())].flatMap((remover) => stepOfLayer(context.analysis, remover)?.index ?? [])
      const copied = isCopyStep(step)
      const notes = secrets.map((secret) => {
        const remover = removers.get(secret.path)
        const fate =
          remover !== undefined
            ? ` ${placeOfLayer(context.analysis, remover).replace(/^s/, 'S')} removes it, but it still ships in the layer of step ${step.index + 1}: anyone who pulls the image can extract it from that layer.`
            : secret.removedLater === false
              ? ' It is in the final filesystem.'
              : ''
        return `${secret.path}: ${KIND_WORDS[secret.kind]}, ${secret.bytes} bytes.${fate}`
      })
      const dotenv = secrets.some((secret) => secret.kind === 'dotenv')
      const finding: Finding = {
        rule: 'secret-file',
        severity: 'high',
        title: secrets.length === 1 ? `A secret file is in the image: ${paths[0]}` : `Secret files are in the image: ${paths.join(', ')}`,
        detail:
          `Step ${step.index + 1} (${commandOf(step)}) put ${secrets.length === 1 ? KIND_WORDS[secrets[0]!.kind] : 'secret files'} into a layer. ` +
          'Every layer ships with the image, so whoever can pull it can read the file, even when a later step deletes it. ' +
          (copied ? 'Keep it out of the build context with .dockerignore and give the values to the container at run time.' : 'Use a build secret, which is mounted only while the step runs.'),
        evidence: { steps: [step.index, ...removingSteps], paths, bytes: secrets.reduce((sum, secret) => sum + secret.bytes, 0), notes },
        confidence: 'confirmed',
        lessonPart: copied ? 'dockerignore' : 'secrets',
        fix: copied
          ? {
              before: `${step.instruction} ${step.args}`,
              after: `# .dockerignore\n${dotenv ? '.env\n.env.*' : paths.map((path) => path.slice(path.lastIndexOf('/') + 1)).join('\n')}\n\n# at run time instead:\n# docker run ${dotenv ? '--env-file .env' : '-v ./secret:/run/secrets/secret:ro'} IMAGE`
            }
          : {
              before: `RUN ${step.args}`,
              after: `# build with: docker build --secret id=secret,src=./secret .\nRUN --mount=type=secret,id=secret ${step.args}`
            }
      }
      return [finding]
    })
  }
}
