import type { Instruction, SourceLocation } from '../model'

export interface DockerfileFlag {
  name: string
  value: string | null
}

export interface Heredoc {
  name: string
  content: string
  /** Set when no line closes it: it then runs to the end of the file, taking every line after it. */
  unclosed?: true
}

export interface DockerfileInstruction {
  /** Position in the file, counting every instruction. */
  index: number
  keyword: Instruction
  /** The stage it belongs to; -1 for the global ARGs before the first FROM. */
  stage: number
  location: SourceLocation
  /** The instruction as written, all its lines. */
  source: string
  /**
   * The arguments as the builder reads them: line continuations joined, comment lines
   * inside them dropped, flags left out, and for the instructions the builder expands,
   * ARG and ENV values substituted.
   */
  args: string
  /** Variables the Dockerfile does not define (kept as written in `args`). */
  unresolved: string[]
  flags: DockerfileFlag[]
  /** The argv when written in exec (JSON) form: RUN, CMD, ENTRYPOINT, SHELL. */
  execForm?: string[]
  heredocs: Heredoc[]
  /** Expanded KEY=value pairs of ENV, ARG and LABEL. */
  assignments?: Array<{ name: string; value: string | null }>
  /** For shell-form RUN/CMD/ENTRYPOINT and HEALTHCHECK CMD: the shell active at that point (SHELL). */
  shell?: string[]
}

export interface BaseReference {
  /** The image as written after expansion, e.g. `python:3.12-slim`. */
  image: string
  /** Repository without tag or digest, e.g. `python` or `ghcr.io/acme/base`. */
  repository: string
  tag?: string
  digest?: string
  /** When FROM names an earlier stage of this file. */
  stage?: number
  /** Where the image reference is written. */
  imageLocation?: SourceLocation
  tagLocation?: SourceLocation
}

export interface DockerfileStage {
  index: number
  name?: string
  from: BaseReference
  /** The FROM instruction, then the stage's own instructions. */
  instructions: DockerfileInstruction[]
}

export interface DockerfileComment {
  line: number
  content: string
}

export interface ParsedDockerfile {
  text: string
  directives: { syntax?: string; escape: string }
  /** ARGs before the first FROM. */
  globalArgs: DockerfileInstruction[]
  stages: DockerfileStage[]
  /** Every instruction, in file order. */
  instructions: DockerfileInstruction[]
  comments: DockerfileComment[]
  /** The stage the image is built from: the last one, or the requested target. */
  finalStage: number
  /** Stage indexes from the stage whose FROM names an outside image down to the final stage. */
  finalChain: number[]
}

export interface ParseOptions {
  /** `--build-arg` values. */
  buildArgs?: Readonly<Record<string, string>>
  /** `--target`. */
  target?: string
}
