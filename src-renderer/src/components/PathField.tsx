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
