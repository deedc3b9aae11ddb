import { useState } from 'react'
import { Bar, BarChart, CartesianGrid, ResponsiveContainer, Tooltip, XAxis, YAxis, type BarShapeProps, type TooltipContentProps } from 'recharts'
import type { ContentsSummary, ImageAnalysis, Instruction } from '../../../src-main/engine/model'
import { formatBytes } from '../format'
import { InstructionBadge } from './Badges'
import { baseFamilyLabel } from './baseLabels'

interface LayerBar {
  label: string
  layerIndex: number
  size: number
  /** Of `size`, bytes a later step deletes or overwrites (known once the scan has read the layers). */
  reclaimable: number
  /** `size - reclaimable`: the part the final filesystem keeps. Drawn below the reclaimable part. */
  kept: number
  inBase: boolean
  stepIndex: number | null
  instruction: Instruction | null
  command: string
}

const COMMAND_PREVIEW_LENGTH = 240

/** Linear is honest; square root keeps the user's small layers visible next to a huge base. */
type SizeScale = 'linear' | 'sqrt'

export function LayerChart({
  analysis,
  contents,
  selectedStep,
  onSelectStep
}: {
  analysis: ImageAnalysis
  contents: ContentsSummary | undefined
  selectedStep: number | null
  onSelectStep: (stepIndex: number) => void
}) {
  const [scale, setScale] = useState<SizeScale>('linear')
  const bars = layerBars(analysis, contents)
  const anyReclaimable = bars.some((bar) => bar.reclaimable > 0)
  const baseName = analysis.base.method === 'none' ? null : (analysis.base.name ?? baseFamilyLabel(analysis.base.family))
  const largest = bars.reduce<LayerBar | null>((max, bar) => (max === null || bar.size > max.size ? bar : max), null)

  const shape = (props: BarShapeProps) => {
    const bar = props.payload as LayerBar
    const selected = bar.stepIndex !== null && bar.stepIndex === selectedStep
    const classes = ['layer-bar', bar.inBase ? 'layer-bar--base' : 'layer-bar--own', selected ? 'layer-bar--selected' : ''].join(' ')
    return (
      <rect
        x={props.x}
        y={props.y}
        width={Math.max(props.width, 1)}
        height={props.height}
        rx={2}
        className={classes}
        data-testid="layer-bar"
        data-layer-index={bar.layerIndex}
        data-in-base={bar.inBase ? 'true' : 'false'}
      />
    )
  }

  const reclaimableShape = (props: BarShapeProps) => {
    const bar = props.payload as LayerBar
    if (bar.reclaimable <= 0 || props.height <= 0) return <g />
    return (
      <rect
        x={props.x}
        y={props.y}
        width={Math.max(props.width, 1)}
        height={props.height}
        rx={2}
        className="layer-bar-reclaimable"
        data-testid="layer-bar-reclaimable"
        data-layer-index={bar.layerIndex}
      />
    )
  }
  const selectBar = (entry: { payload?: unknown }) => {
    const bar = entry.payload as LayerBar | undefined
    if (bar?.stepIndex !== null && bar?.stepIndex !== undefined) onSelectStep(bar.stepIndex)
  }

  return (
    <section className="panel chart-panel" id="layers-section" aria-labelledby="layers-title">
      <div className="panel-heading">
        <h2 id="layers-title">Layer sizes</h2>
        <ul className="chart-legend" aria-label="Legend">
          <li>
            <span className="legend-swatch legend-swatch--base" aria-hidden="true" />
            {baseName !== null ? `Base image: ${baseName}` : 'Base image (none identified)'}
          </li>
          <li>
            <span className="legend-swatch legend-swatch--own" aria-hidden="true" />
            Your own layers
          </li>
          {contents !== undefined && (
            <li>
              <span className="legend-swatch legend-swatch--reclaimable" aria-hidden="true" />
              Removed by a later step (still shipped)
            </li>
          )}
        </ul>
      </div>
      <div className="chart-toolbar">
        <p className="panel-intro">
          One bar per layer, oldest first.
          {largest !== null && ` The largest is layer ${largest.label} at ${formatBytes(largest.size)}.`}
          {anyReclaimable && ' Hatched tops are bytes a later step deletes or overwrites: the image still ships them.'} Click a bar to see its
          step and its files.
        </p>
        <div className="segmented" role="group" aria-label="Height scale">
          <button type="button" aria-pressed={scale === 'linear'} onClick={() => setScale('linear')} title="Bar heights proportional to size">
            Linear
          </button>
          <button type="button" aria-pressed={scale === 'sqrt'} onClick={() => setScale('sqrt')} title="Square-root heights: small layers stay visible">
            √ Small layers visible
          </button>
        </div>
      </div>
      {bars.length === 0 ? (
        <p className="muted">This image has no layers.</p>
      ) : (
        <div className="chart-frame">
          <ResponsiveContainer width="100%" height={240}>
            <BarChart data={bars} margin={{ top: 8, right: 8, bottom: 4, left: 8 }} barCategoryGap="12%">
              <defs>
                <pattern id="reclaimable-hatch" width="6" height="6" patternUnits="userSpaceOnUse" patternTransform="rotate(45)">
                  <rect width="6" height="6" className="hatch-ground" />
                  <line x1="0" y1="0" x2="0" y2="6" className="hatch-stroke" />
                </pattern>
              </defs>
              <CartesianGrid vertical={false} />
              <XAxis dataKey="label" tickLine={false} interval="preserveStartEnd" />
              <YAxis scale={scale} tickFormatter={(value: number) => formatBytes(value)} width={72} tickLine={false} axisLine={false} />
              <Tooltip content={LayerTooltip} cursor={{ className: 'chart-cursor' }} isAnimationActive={false} />
              <Bar dataKey="kept" name="Kept" stackId="layer" minPointSize={2} isAnimationActive={false} shape={shape} onClick={selectBar} />
              {anyReclaimable && (
                <Bar dataKey="reclaimable" name="Reclaimable" stackId="layer" isAnimationActive={false} shape={reclaimableShape} onClick={selectBar} />
              )}
            </BarChart>
          </ResponsiveContainer>
        </div>
      )}
    </section>
  )
}

function LayerTooltip({ active, payload }: TooltipContentProps) {
  const bar = payload?.[0]?.payload as LayerBar | undefined
  if (!active || bar === undefined) return null
  const command = bar.command.length > COMMAND_PREVIEW_LENGTH ? `${bar.command.slice(0, COMMAND_PREVIEW_LENGTH)}…` : bar.command
  return (
    <div className="chart-tooltip">
      <div className="chart-tooltip-head">
        <strong>Layer {bar.label}</strong>
        <span>{formatBytes(bar.size)}</span>
      </div>
      <div className="chart-tooltip-step">
        {bar.instruction !== null && <InstructionBadge instruction={bar.instruction} />}
        <span className="muted">{bar.stepIndex !== null ? `step ${bar.stepIndex + 1}` : 'no history step'}</span>
        <span className={bar.inBase ? 'origin origin--base' : 'origin origin--own'}>{bar.inBase ? 'base' : 'yours'}</span>
      </div>
      {bar.reclaimable > 0 && (
        <p className="chart-tooltip-waste">
          <span className="legend-swatch legend-swatch--reclaimable" aria-hidden="true" />
          {formatBytes(bar.reclaimable)} of this layer is removed later
        </p>
      )}
      {command !== '' && <pre className="chart-tooltip-command">{command}</pre>}
    </div>
  )
}

function layerBars(analysis: ImageAnalysis, contents: ContentsSummary | undefined): LayerBar[] {
  const reclaimableByLayer = new Map(contents?.layers.map((layer) => [layer.layerIndex, layer.reclaimableBytes]))
  return analysis.layers.map((layer) => {
    const step = layer.stepIndex !== undefined ? analysis.steps[layer.stepIndex] : undefined
    // The engine's layer size and the content bytes differ slightly (tar headers); never draw more waste than layer.
    const reclaimable = Math.min(reclaimableByLayer.get(layer.index) ?? 0, layer.size)
    return {
      label: `${layer.index + 1}`,
      layerIndex: layer.index,
      size: layer.size,
      reclaimable,
      kept: layer.size - reclaimable,
      inBase: step?.inBase ?? layer.index < analysis.base.layerCount,
      stepIndex: step?.index ?? null,
      instruction: step?.instruction ?? null,
      command: step?.args ?? ''
    }
  })
}
