import { isAbsoluteLocalPath, type ApiError } from '../../../src-preload/contract'

/** A text field for a full path on the machine running Layerlens (the service reads it there). */
export function PathField({
  label,
  value,
  onChange,
  placeholder,
  hintId,
  required = false
}: {
  label: string
  value: string
  onChange: (value: string) => void
  placeholder: string
  hintId?: string
  required?: boolean
}) {
  return (
    <label className="attach-field">
      <span>{label}</span>
      <input
        type="text"
        value={value}
        onChange={(event) => onChange(event.target.value)}
        placeholder={placeholder}
        aria-describedby={hintId}
        spellCheck={false}
        required={required}
      />
    </label>
  )
}

/** Checked before asking the service: a relative path is the user's slip, not a bad request. */
export function fullPathProblem(what: string, path: string, example: string): ApiError | null {
  if (isAbsoluteLocalPath(path)) return null
  return {
    code: 'INVALID_ARGUMENT',
    message: `“${path}” is not a full path.`,
    fix: `Give the ${what} by its full path on the machine running Layerlens, starting with / (or a drive letter on Windows), such as ${example}.`
  }
}
