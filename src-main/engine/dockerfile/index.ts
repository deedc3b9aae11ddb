// Dockerfile link, Dockerfile findings, build-context check and fix generation. All pure.
export { parseDockerfile } from './parse'
export { mapDockerfileToSteps, type DockerfileMapping, type InstructionLink, type LinkKind, type StepLink } from './mapping'
export { dockerfileFindings, HADOLINT_RULES } from './findings'
export { checkBuildContext, LESSON_DOCKERIGNORE, type ContextReport, type ProposedEntry, type Tally } from './context-check'
export { BadPatternError, createMatcher, readDockerignore, sentEntries, type ContextEntry, type PatternMatcher } from './dockerignore'
export { generateFixes, type FixOptions, type FixPlan, type FixReason, type PatchedFile, type PatchHunk } from './fix'
export type * from './types'
