import type { BaseImage } from '../../../src-main/engine/model'

const FAMILY_LABELS: Record<BaseImage['family'], string> = {
  'python-full': 'Python, full Debian with build tools',
  'python-slim': 'Python slim (Debian slim)',
  'python-alpine': 'Python on Alpine',
  debian: 'Debian',
  'debian-slim': 'Debian slim',
  alpine: 'Alpine',
  unknown: 'unknown family'
}

const METHOD_LABELS: Record<BaseImage['method'], string> = {
  'local-prefix': 'its layers match a local image',
  fingerprint: 'recognised by its history fingerprint',
  label: 'from the org.opencontainers.image.base.name label',
  none: 'not identified'
}

export function baseFamilyLabel(family: BaseImage['family']): string {
  return FAMILY_LABELS[family]
}

export function baseMethodLabel(method: BaseImage['method']): string {
  return METHOD_LABELS[method]
}
