// What may differ between engines reading the same image, and nothing else: the comparable*() functions take
// out exactly that, so that everything left must be identical to Docker 20.10's. The differences themselves
// are measured in the table of scripts/engines/README.md. Used on live engines
// (test/integration/engines-parity.test.ts) and on their captured metadata (engines-captured.test.ts).
//
// - Names: podman calls a loaded image `localhost/<name>` (list, inspect, history), and the base names and
//   FROM lines quoting it follow. The prefix is dropped from every string.
// - Ids: the containerd store's image id is the manifest digest, not the config digest; RepoDigests exist
//   only where the engine records them. Both are left out.
// - Sizes the engine accounts itself, from history and inspect `Size`: the classic stores count unpacked file
//   bytes (20.10 and 26 differ by a few bytes per symlink), the containerd store disk usage in 4 KiB
//   blocks, podman tar bytes. The size of the image, of each step, layer and the base, and every byte
//   figure of a finding read from them (sizedByEngine) are masked; the list's size is checked on its own.
//
// Bytes read from the files themselves (a scan's contents, file findings, final files) are never masked.
import type { Finding, ImageAnalysis, ImageSummary } from '../../../src-main/engine/model'

/** Stands for a byte count the engine accounts itself. */
const ENGINE_SIZED = '<engine-sized>'
const SIZE_IN_TEXT = /\b\d+(?:\.\d+)? (?:B|kB|MB|GB|TB)\b/g

export function withoutPodmanPrefix<T>(value: T): T {
  return JSON.parse(JSON.stringify(value).replace(/(["\s])localhost\//g, '$1')) as T
}

const maskSizes = (text: string): string => text.replace(SIZE_IN_TEXT, ENGINE_SIZED)

/** Its byte figures come from the engine's accounting, not from the files: the base's size, and history-only hints. */
const sizedByEngine = (finding: Finding): boolean => finding.rule === 'bloated-base' || finding.confidence === 'hint'

export function comparableFinding(finding: Finding): unknown {
  if (!sizedByEngine(finding)) return withoutPodmanPrefix(finding)
  const { savingsBytes: _savings, ...rest } = finding
  return withoutPodmanPrefix({
    ...rest,
    title: maskSizes(finding.title),
    detail: maskSizes(finding.detail),
    evidence: { ...finding.evidence, bytes: ENGINE_SIZED, notes: finding.evidence.notes?.map(maskSizes) }
  })
}

/** The metadata-only analysis without the engine's image id, RepoDigests and sizes. */
export function comparableAnalysis(analysis: ImageAnalysis): unknown {
  const { image, steps, layers, base, config, findings, notes } = analysis
  return withoutPodmanPrefix({
    image: { repoTags: image.repoTags, created: image.created, os: image.os, architecture: image.architecture },
    steps: steps.map(({ size: _size, ...step }) => step),
    layers: layers.map(({ size: _size, ...layer }) => layer),
    base: { ...base, size: ENGINE_SIZED, evidence: base.evidence.map(maskSizes) },
    config,
    findings: findings.map(comparableFinding),
    notes
  })
}

/** A list entry without its id and its size (which the caller bounds against the reference's). */
export function comparableSummary({ id: _id, size: _size, ...summary }: ImageSummary): unknown {
  return withoutPodmanPrefix(summary)
}
