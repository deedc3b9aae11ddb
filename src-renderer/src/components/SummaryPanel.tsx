import { SEVERITIES, type ImageAnalysis } from '../../../src-main/engine/model'
import { baseFamilyLabel, baseMethodLabel } from './baseLabels'
import { formatAbsoluteTime, formatBytes, formatRelativeTime, plural } from '../format'
import { SeverityBadge } from './Badges'
import { taggedNames } from './ImageList'
import { RichText } from './RichText'

export function SummaryPanel({ analysis, name }: { analysis: ImageAnalysis; name: string }) {
  const { image, base, steps, layers, findings } = analysis
  const otherTags = taggedNames(image).slice(1)
  const ownLayers = layers.length - base.layerCount
  const ownBytes = layers.filter((layer) => layer.stepIndex === undefined || !steps[layer.stepIndex]?.inBase).reduce((sum, layer) => sum + layer.size, 0)
  return (
    <section className="panel summary" aria-labelledby="image-title">
      <div className="summary-heading">
        <h1 id="image-title" className={taggedNames(image).length === 0 ? 'image-title image-title--none' : 'image-title'}>
          {name}
        </h1>
        <code className="summary-id" title="Image id">
          {image.id}
        </code>
        {otherTags.length > 0 && <p className="muted">Also tagged {otherTags.join(', ')}</p>}
      </div>
      <dl className="facts">
        <Fact label="Size" value={formatBytes(image.size)} detail={base.method === 'none' ? undefined : `${formatBytes(ownBytes)} of it yours`} />
        <Fact label="Created" value={formatRelativeTime(image.created)} title={formatAbsoluteTime(image.created)} />
        <Fact label="Platform" value={`${image.os}/${image.architecture}`} />
        <Fact label="Layers" value={`${layers.length}`} detail={`${base.layerCount} base · ${ownLayers} yours · ${plural(steps.length, 'step')}`} />
        <div className="fact fact--wide">
          <dt>Base image</dt>
          <dd>
            <span className="fact-value">{base.method === 'none' ? 'Not identified' : (base.name ?? baseFamilyLabel(base.family))}</span>
            <span className="fact-detail">
              {base.method === 'none'
                ? 'Every layer is counted as yours.'
                : `${base.name !== undefined ? `${baseFamilyLabel(base.family)} · ` : ''}${formatBytes(base.size)} · ${baseMethodLabel(base.method)}`}
            </span>
            {base.evidence.length > 0 && (
              <details className="base-evidence">
                <summary>How it was identified</summary>
                <ul>
                  {base.evidence.map((line, index) => (
                    <li key={index}>
                      <RichText text={line} />
                    </li>
                  ))}
                </ul>
              </details>
            )}
          </dd>
        </div>
      </dl>
      <div className="severity-summary" aria-label="Findings by severity">
        <span className="severity-summary-label">Findings</span>
        {findings.length === 0 ? (
          <span className="muted">none</span>
        ) : (
          SEVERITIES.map((severity) => {
            const count = findings.filter((finding) => finding.severity === severity).length
            return count > 0 ? <SeverityBadge key={severity} severity={severity} count={count} /> : null
          })
        )}
      </div>
    </section>
  )
}

function Fact({ label, value, detail, title }: { label: string; value: string; detail?: string; title?: string }) {
  return (
    <div className="fact">
      <dt>{label}</dt>
      <dd title={title}>
        <span className="fact-value">{value}</span>
        {detail !== undefined && <span className="fact-detail">{detail}</span>}
        {title !== undefined && <span className="fact-detail">{title}</span>}
      </dd>
    </div>
  )
}
