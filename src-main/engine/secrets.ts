// Finding and masking credentials in image metadata. Everything the engine puts
// into its model goes through here first, so no secret value survives into an
// analysis, a report, the renderer or a log.

export const MASK = '••••••'

/** Name parts that on their own mark a credential (`DB_PASSWORD`, `GITHUB_TOKEN`). */
const SECRET_NAME_PARTS = new Set([
  'password',
  'passwd',
  'passphrase',
  'pass',
  'secret',
  'secrets',
  'token',
  'credential',
  'credentials',
  'apikey',
  'privatekey',
  'accesskey',
  'secretkey',
])

/** Pairs of name parts that mark a credential (`API_KEY`, `AWS_SECRET_ACCESS_KEY`). */
const SECRET_NAME_PAIRS = new Set([
  'api key',
  'private key',
  'access key',
  'secret key',
  'auth key',
  'encryption key',
  'signing key',
  'master key',
  'client secret',
  'account key',
  'license key',
  'db pwd',
])

/** Suffixes that name where a secret lives rather than the secret (`POSTGRES_PASSWORD_FILE`). */
const REFERENCE_SUFFIXES = ['file', 'path', 'dir', 'location']

const nameParts = (name: string): string[] =>
  name
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter((part) => part !== '')

export function isSecretName(name: string): boolean {
  const parts = nameParts(name)
  if (parts.length === 0) return false
  if (REFERENCE_SUFFIXES.includes(parts[parts.length - 1] ?? '')) return false
  if (parts.some((part) => SECRET_NAME_PARTS.has(part))) return true
  for (let i = 0; i + 1 < parts.length; i++) {
    if (SECRET_NAME_PAIRS.has(`${parts[i]} ${parts[i + 1]}`)) return true
  }
  // `DB_PWD` is a password, `PWD` alone is the shell's working directory.
  return parts.length > 1 && parts.includes('pwd')
}

interface ValuePattern {
  kind: string
  pattern: RegExp
}

/** Values that are credentials whatever their name. Global, so they mask every occurrence. */
const SECRET_VALUE_PATTERNS: ValuePattern[] = [
  {
    kind: 'private key',
    pattern: /-----BEGIN (?:[A-Z0-9]+ )*PRIVATE KEY(?: BLOCK)?-----[\s\S]*?(?:-----END (?:[A-Z0-9]+ )*PRIVATE KEY(?: BLOCK)?-----|$)/g,
  },
  { kind: 'AWS access key id', pattern: /\b(?:AKIA|ASIA)[0-9A-Z]{16}\b/g },
  { kind: 'GitHub token', pattern: /\b(?:gh[pousr]_[A-Za-z0-9]{30,}|github_pat_[A-Za-z0-9_]{30,})\b/g },
  { kind: 'GitLab token', pattern: /\bglpat-[A-Za-z0-9_-]{20,}\b/g },
  { kind: 'Slack token', pattern: /\bxox[abposr]-[A-Za-z0-9-]{10,}\b/g },
  { kind: 'Stripe key', pattern: /\b[sr]k_(?:live|test)_[A-Za-z0-9]{16,}\b/g },
  { kind: 'Google API key', pattern: /\bAIza[0-9A-Za-z_-]{35}\b/g },
  { kind: 'JSON web token', pattern: /\beyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}/g },
]

/**
 * `scheme://user:password@host`: the user and password go, the rest stays readable. Schemes are short; a
 * bounded one keeps a long run of letters (tried from each of its characters) from costing quadratic time.
 */
const URL_CREDENTIALS = /([a-zA-Z][a-zA-Z0-9+.-]{0,31}:\/\/)([^\s/@:'"]+):([^\s/@'"]+)@/g

/**
 * `NAME=value` assignments, as in `ENV`, build args (`|2 A=1 B=2`) and inline
 * shell variables. The value ends at whitespace or a shell separator unless quoted.
 */
const ASSIGNMENT = /(^|[\s;&|(`'"])([A-Za-z_][A-Za-z0-9_.-]*)=("[^"]*"|'[^']*'|[^\s;&|)`]*)/g

/** `--password value`, `--token=value`, … on command lines. */
const SECRET_FLAG =
  /(?<=^|[\s'"])(--?(?:password|passwd|pass|token|secret|api-?key|access-?key|secret-?key|client-?secret|auth-?token)(?:=|\s+))("[^"]*"|'[^']*'|[^\s;&|)]+)/gi

export interface MaskResult {
  text: string
  /** What was masked, as names or kinds (`SECRET_KEY`, `URL credentials`); never values. */
  masked: string[]
}

/** Secret values shorter than this are not hunted down as plain strings: `1` or `on` would mask half a text. */
const MIN_KNOWN_SECRET_LENGTH = 4

/**
 * Masks every credential-looking part of a free text (a created_by line, a
 * command, a label value). `knownSecrets` are values already known to be secret
 * (from Env or build args); every occurrence of them is masked too.
 */
export function maskText(text: string, knownSecrets: readonly string[] = []): MaskResult {
  const masked = new Set<string>()
  let result = text

  for (const { kind, pattern } of SECRET_VALUE_PATTERNS) {
    result = result.replace(pattern, () => {
      masked.add(kind)
      return MASK
    })
  }
  result = result.replace(URL_CREDENTIALS, (_match, scheme: string) => {
    masked.add('URL credentials')
    return `${scheme}${MASK}@`
  })
  result = result.replace(ASSIGNMENT, (match, lead: string, name: string, value: string) => {
    if (!isSecretName(name) || value === '' || value === MASK) return match
    masked.add(name)
    return `${lead}${name}=${MASK}`
  })
  result = result.replace(SECRET_FLAG, (match, flag: string, value: string) => {
    if (value === MASK || value.startsWith('$')) return match
    masked.add(flag.replace(/[=\s]+$/, ''))
    return `${flag}${MASK}`
  })
  for (const secret of [...knownSecrets].sort((a, b) => b.length - a.length)) {
    if (secret.length < MIN_KNOWN_SECRET_LENGTH || !result.includes(secret)) continue
    result = result.split(secret).join(MASK)
    masked.add('known secret value')
  }
  return { text: result, masked: [...masked] }
}

export interface MaskedVariable {
  value: string
  masked: boolean
  /** Why it was masked: the name, or the kinds of credential found in the value. */
  reasons: string[]
}

/** Masks one `NAME=value` pair (an Env entry, a build arg, a label). */
export function maskVariable(name: string, value: string, knownSecrets: readonly string[] = []): MaskedVariable {
  if (value !== '' && isSecretName(name)) return { value: MASK, masked: true, reasons: [name] }
  const { text, masked } = maskText(value, knownSecrets)
  return { value: text, masked: masked.length > 0, reasons: masked }
}

/** The values that must never appear anywhere: those of secret-named or secret-looking variables. */
export function secretValuesOf(variables: ReadonlyArray<{ name: string; value: string }>): string[] {
  return variables
    .filter(({ name, value }) => value !== '' && maskVariable(name, value).masked)
    .map(({ value }) => value)
}
