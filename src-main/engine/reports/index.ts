// Report builders: plain data in, a string out. Text for terminals, JSON (versioned, with a published
// schema), Markdown for pull-request comments, SARIF 2.1.0 for code scanning.
export { describeCounts, formatBytes, formatPercent, imageName, severityCounts, shortId } from './format'
export { AUDIT_REPORT_SCHEMA_VERSION, auditReportJsonSchema, auditReportSchema, buildJsonReport, formatJsonReport, type AuditReport } from './json'
export { formatDockerfileMarkdown, formatMarkdownReport, verdictLine } from './markdown'
export { formatHtmlReport, layerChartSvg } from './html'
export { buildSarifLog, DEFAULT_DOCKERFILE_URI, formatSarifReport, type SarifLog } from './sarif'
export { formatAnalysis, formatDockerfileAudit, formatError, formatThresholds } from './text'
export { formatCompareMarkdown, formatCompareText } from './compare'
export { formatContextMarkdown, formatContextText } from './context'
export {
  analyzedImages,
  lessonUri,
  type AnalyzedImage,
  type DockerfileAudit,
  type DockerfileReference,
  type FailedImage,
  type ReportContext,
  type ReportImage,
  type ReportTool,
} from './types'
