/**
 * Texts from the engine and the lesson mark code with `backticks`. They are split into plain
 * text and <code> elements; nothing is ever parsed as HTML.
 */
export function RichText({ text }: { text: string }) {
  const pieces = text.split(/`([^`\n]+)`/)
  return (
    <>
      {pieces.map((piece, index) => (index % 2 === 1 ? <code key={index} className="inline-code">{piece}</code> : piece))}
    </>
  )
}
