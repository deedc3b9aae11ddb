// Compilers, make and -dev headers in the final filesystem. Installed by the user's own steps they are a
// build-tools finding with the multi-stage hint; shipped by the base they are evidence that the base is
// a build image, said once, in bloated-base.
import { findBuildTools, type BuildTools } from '../files/system-markers'
import type { BaseImage, Finding } from '../model'
import { formatBytes } from '../reports/format'
import { commandOf, stepOfLayer } from './layer-steps'
import type { FileRule, FileRuleContext } from './types'

const SLIM_FAMILIES: ReadonlySet<BaseImage['family']> = new Set(['python-slim', 'python-alpine', 'debian-slim', 'alpine'])

const programNames = (tools: BuildTools, layers: (layer: number) => boolean): string[] => [
  ...new Set(tools.programs.filter((program) => layers(program.layer)).map((program) => program.path.slice(program.path.lastIndexOf('/') + 1)))
]

function toolsSentence(tools: BuildTools, names: string[], bytes: number): string {
  const headers = tools.headerFiles > 0 ? ` and ${tools.headerFiles} header files under /usr/include` : ''
  return `The final filesystem holds ${names.slice(0, 8).join(', ')}${headers}: ${formatBytes(bytes)} of build tools.`
}

function fromUserSteps(context: FileRuleContext, tools: BuildTools): Finding | undefined {
  const userBytes = [...tools.bytesByLayer].filter(([layer]) => layer >= context.firstUserLayer)
  if (userBytes.length === 0) return undefined
  const bytes = userBytes.reduce((sum, [, layerBytes]) => sum + layerBytes, 0)
  const [biggestLayer] = userBytes.sort((a, b) => b[1] - a[1])[0]!
  const step = stepOfLayer(context.analysis, biggestLayer)
  const steps = [...new Set(userBytes.flatMap(([layer]) => stepOfLayer(context.analysis, layer)?.index ?? []))].sort((a, b) => a - b)
  const names = programNames(tools, (layer) => layer >= context.firstUserLayer)
  const base = context.analysis.base.name ?? 'python:3.12'
  return {
    rule: 'build-tools',
    severity: 'medium',
    title: `Build tools stay in the final image: ${names.slice(0, 4).join(', ') || 'headers'}`,
    detail:
      `${step === undefined ? 'The user\'s steps' : `Step ${step.index + 1} (${commandOf(step)})`} installed compilers or development files that ` +
      `the app does not need to run. ${toolsSentence(tools, names, bytes)} Build in a separate stage and copy only the result.`,
    evidence: {
      steps,
      paths: tools.programs.filter((program) => program.layer >= context.firstUserLayer).map((program) => program.path),
      bytes,
      notes: userBytes.map(([layer, layerBytes]) => `${formatBytes(layerBytes)} of them come from step ${(stepOfLayer(context.analysis, layer)?.index ?? layer) + 1}.`)
    },
    confidence: 'confirmed',
    savingsBytes: bytes,
    lessonPart: 'multi-stage',
    fix: {
      before: `FROM ${base}\n${step === undefined ? 'RUN …' : `RUN ${step.args}`}`,
      after:
        `FROM ${base} AS build\n${step === undefined ? 'RUN …' : `RUN ${step.args}`}\nRUN pip wheel --no-cache-dir --wheel-dir /wheels -r requirements.txt\n\n` +
        `FROM ${base}\nCOPY --from=build /wheels /wheels\nRUN pip install --no-cache-dir /wheels/* && rm -rf /wheels`
    }
  }
}

function fromBase(context: FileRuleContext, tools: BuildTools): Finding | undefined {
  const { base, findings } = context.analysis
  const baseBytes = [...tools.bytesByLayer].filter(([layer]) => layer >= 0 && layer < context.firstUserLayer)
  if (baseBytes.length === 0 || SLIM_FAMILIES.has(base.family)) return undefined
  const bytes = baseBytes.reduce((sum, [, layerBytes]) => sum + layerBytes, 0)
  const names = programNames(tools, (layer) => layer < context.firstUserLayer)
  const paths = tools.programs.filter((program) => program.layer < context.firstUserLayer).map((program) => program.path)
  const sentence = `${toolsSentence(tools, names, bytes)} They come from the base image.`
  const existing = findings.find((finding) => finding.rule === 'bloated-base')
  if (existing !== undefined) {
    return {
      ...existing,
      confidence: 'confirmed',
      evidence: { ...existing.evidence, paths: [...(existing.evidence.paths ?? []), ...paths], notes: [...existing.evidence.notes, sentence] }
    }
  }
  const name = base.name ?? 'the base image'
  return {
    rule: 'bloated-base',
    severity: 'medium',
    title: 'The base image is a build image, with compilers',
    detail:
      `${name} ships compilers and development headers, like the buildpack-deps images that full language images are built on. ` +
      'An app that only runs needs none of them. Run on a slim base, and compile in a separate build stage if a package needs it.',
    evidence: { steps: Array.from({ length: base.stepCount }, (_, index) => index), paths, bytes, notes: [...base.evidence, sentence] },
    confidence: 'confirmed',
    savingsBytes: bytes,
    lessonPart: 'base-image',
    fix: { before: `FROM ${base.name ?? '<build image>'}`, after: `# a runtime base without compilers, e.g.\nFROM ${base.family === 'debian' ? 'debian:bookworm-slim' : 'python:3.12-slim'}` }
  }
}

export const buildTools: FileRule = {
  id: 'build-tools',
  lessonPart: 'multi-stage',
  check(context) {
    if (context.final === undefined) return []
    const tools = findBuildTools(context.final.view)
    if (tools === undefined) return []
    return [fromUserSteps(context, tools), fromBase(context, tools)].filter((finding): finding is Finding => finding !== undefined)
  }
}
