// The report of the image open in the app: an opened snapshot or a scanned image, as HTML or Markdown.
import { version } from '../package.json'
import { escapeControlCharacters, type ReportFormat, type ScanStatus } from '../src-preload/contract'
import type { LessonPart } from './engine/model'
import { formatHtmlReport, formatMarkdownReport, type AnalyzedImage, type ReportContext } from './engine/reports'

export function imageReport(status: ScanStatus, format: ReportFormat, lessonParts: readonly LessonPart[]): string {
  const image: AnalyzedImage = { ref: status.analysis.image.repoTags[0] ?? status.imageId, status: 'analyzed', analysis: status.analysis }
  if (status.contents !== undefined) image.contents = status.contents
  const context: ReportContext = { tool: { name: 'layerlens', version }, generatedAt: new Date().toISOString(), lessonParts }
  return escapeControlCharacters(format === 'html' ? formatHtmlReport(image, context) : formatMarkdownReport([image], context))
}
