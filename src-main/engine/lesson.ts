// Lesson parts: short texts in resources/lesson/<id>.md, one per topic.
//
// Format (exactly):
//
//   # Title
//
//   One-paragraph summary.
//
//   Body paragraph.            (one or more, separated by blank lines)
//
//   Before:
//   ```dockerfile
//   …
//   ```
//
//   After:
//   ```dockerfile
//   …
//   ```
//
//   Learn more: https://…      (optional)
//
// Paragraph lines are joined with spaces. Anything else after the After block is an error.
import type { LessonPart, LessonPartId } from './model'

export const LESSON_PART_IDS: readonly LessonPartId[] = [
  'base-image',
  'layer-caching',
  'pip-cache',
  'dockerignore',
  'non-root-user',
  'cmd-form',
  'expose',
  'workdir',
  'secrets',
  'healthcheck',
  'apt-cleanup',
  'package-cache',
  'multi-stage',
  'wasted-bytes',
]

export const isLessonPartId = (value: string): value is LessonPartId => (LESSON_PART_IDS as readonly string[]).includes(value)

export class LessonFormatError extends Error {
  constructor(id: LessonPartId, problem: string) {
    super(`resources/lesson/${id}.md: ${problem}`)
    this.name = 'LessonFormatError'
  }
}

export function parseLessonPart(id: LessonPartId, markdown: string): LessonPart {
  const lines = markdown.replace(/\r\n?/g, '\n').split('\n')
  let position = 0
  const skipBlank = (): void => {
    while (position < lines.length && lines[position]!.trim() === '') position++
  }

  skipBlank()
  const titleLine = /^# (.+)$/.exec(lines[position] ?? '')
  if (!titleLine) throw new LessonFormatError(id, 'the first line must be a "# Title"')
  const title = titleLine[1]!.trim()
  position++

  const paragraphs: string[] = []
  for (;;) {
    skipBlank()
    if (position >= lines.length) throw new LessonFormatError(id, 'missing the "Before:" block')
    if (lines[position]!.trim() === 'Before:') break
    const paragraph: string[] = []
    while (position < lines.length && lines[position]!.trim() !== '') paragraph.push(lines[position++]!.trim())
    paragraphs.push(paragraph.join(' '))
  }
  const [summary, ...body] = paragraphs
  if (summary === undefined) throw new LessonFormatError(id, 'missing the summary paragraph after the title')

  const readBlock = (label: 'Before' | 'After'): string => {
    skipBlank()
    if (lines[position]?.trim() !== `${label}:`) throw new LessonFormatError(id, `expected "${label}:"`)
    position++
    if (lines[position]?.trim() !== '```dockerfile') throw new LessonFormatError(id, `"${label}:" must be followed by a \`\`\`dockerfile block`)
    position++
    const code: string[] = []
    while (position < lines.length && lines[position]!.trim() !== '```') code.push(lines[position++]!)
    if (position >= lines.length) throw new LessonFormatError(id, `the ${label} block is not closed`)
    position++
    return code.join('\n')
  }
  const before = readBlock('Before')
  const after = readBlock('After')
  skipBlank()
  const learnMore = /^Learn more: (\S+)$/.exec(lines[position]?.trim() ?? '')?.[1]
  if (learnMore !== undefined) position++
  skipBlank()
  if (position < lines.length) throw new LessonFormatError(id, 'unexpected text after the After block')

  return { id, title, summary, body, before, after, ...(learnMore !== undefined && { learnMore }) }
}
