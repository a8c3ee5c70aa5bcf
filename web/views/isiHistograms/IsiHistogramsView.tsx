import { useCallback, useMemo, useState } from 'react';
import { DEFAULT_ISI_THRESHOLD_MSEC } from '../../../core/tasks/contracts/kwargs';
import { isiHistogramRequest, type IsiHistogramResult } from '../../../core/tasks/contracts/spikeTrainHistograms';
import { PlotCanvas } from '../../components/PlotCanvas';
import { TaskGate } from '../../components/TaskStatus';
import { unitColor } from '../../components/unitColors';
import { useTask } from '../../data/useTask';
import { useSortingData } from '../../sorting/sortingContext';
import { drawAxes, px, py, type Axes } from '../common/axes';
import { useUnitSelectionForTask, useUnitsSummary } from '../common/loaders';
import { UnitCell, UnitGrid, useUnitsToShow } from '../common/UnitGrid';
import type { ViewProps } from '../types';

/** Histogram ranges offered: [bin, max] in ms. The first is the task's default (0.5 ms bins to 50 ms). */
const RANGES: readonly { label: string; binMsec: number; maxMsec: number }[] = [
  { label: '0–50 ms, 0.5 ms bins', binMsec: 0.5, maxMsec: 50 },
  { label: '0–50 ms, 1 ms bins', binMsec: 1, maxMsec: 50 },
  { label: '0–20 ms, 0.25 ms bins', binMsec: 0.25, maxMsec: 20 },
  { label: '0–100 ms, 1 ms bins', binMsec: 1, maxMsec: 100 },
  { label: '0–500 ms, 5 ms bins', binMsec: 5, maxMsec: 500 },
];
const M = { left: 46, right: 8, top: 8, bottom: 34 };
const X_LABEL = 'ISI (ms)';
const Y_LABEL = 'ISIs / bin';

/**
 * ISI histograms (sortingview.fetch_isi_histogram.1) of the selected units, or all: counts of
 * inter-spike intervals per bin, with the refractory period (the units table's ISI threshold) shaded
 * and the share of ISIs inside it.
 */
export function IsiHistogramsView({ width, height }: ViewProps) {
  const { unitIds, fromSelection } = useUnitsToShow();
  const [rangeIdx, setRangeIdx] = useState(0);
  const { summary } = useUnitsSummary();
  const refractoryMsec = summary?.isi_threshold_msec ?? DEFAULT_ISI_THRESHOLD_MSEC;
  const range = RANGES[rangeIdx]!;
  return (
    <div className="view-scroll" style={{ width, height }}>
      <div className="view-toolbar small">
        <label>Range <select id="isi-range" value={rangeIdx} onChange={(e) => setRangeIdx(Number(e.target.value))}>
          {RANGES.map((r, i) => <option key={r.label} value={i}>{r.label}</option>)}
        </select></label>
        <span className="muted">shaded: refractory period, ISI &lt; {refractoryMsec} ms (the units table&apos;s ISI threshold)</span>
      </div>
      <UnitGrid unitIds={unitIds} fromSelection={fromSelection} width={width} cellWidth={300} testId="isi-histograms"
        renderCell={(u, size) => <IsiCell unitId={u} width={size.width} height={Math.round(size.height * 0.85)} binMsec={range.binMsec} maxMsec={range.maxMsec} refractoryMsec={refractoryMsec} />} />
    </div>
  );
}

function IsiCell({ unitId, width, height, binMsec, maxMsec, refractoryMsec }: {
  unitId: number; width: number; height: number; binMsec: number; maxMsec: number; refractoryMsec: number;
}) {
  const { ref } = useSortingData();
  const forTask = useUnitSelectionForTask();
  const spec = useMemo(() => isiHistogramRequest(ref, forTask(unitId), { binSizeMsec: binMsec, maxIsiMsec: maxMsec }), [ref, forTask, unitId, binMsec, maxMsec]);
  const rec = useTask(spec);
  return (
    <UnitCell unitId={unitId}>
      <TaskGate rec={rec} label="ISI histogram" spec={spec} compact>
        {(r) => <IsiCanvas r={r} width={width} height={height} unitId={unitId} refractoryMsec={refractoryMsec} />}
      </TaskGate>
    </UnitCell>
  );
}

/** ISIs below the refractory period, as the bins give them: those of the bins whose upper edge is at or below it (and that edge). */
function isisBelow(counts: ArrayLike<number>, binMsec: number, refractoryMsec: number): { n: number; edgeMsec: number } {
  let n = 0;
  let k = 0;
  for (; k < counts.length && (k + 1) * binMsec <= refractoryMsec * (1 + 1e-9); k++) n += counts[k];
  return { n, edgeMsec: Number((k * binMsec).toPrecision(6)) };
}

function IsiCanvas({ r, width, height, unitId, refractoryMsec }: { r: IsiHistogramResult; width: number; height: number; unitId: number; refractoryMsec: number }) {
  const counts = r.bin_counts.data;
  const max = counts.reduce((m, c) => Math.max(m, c), 0);
  const { n: below, edgeMsec } = isisBelow(counts, r.bin_size_msec, refractoryMsec);
  const draw = useCallback((ctx: CanvasRenderingContext2D, w: number, h: number) => {
    const plotH = h - M.top - M.bottom;
    // Counts: at least as many units as ticks, so that no tick is a fraction of an ISI.
    const a: Axes = { x: M.left, y: M.top, w: w - M.left - M.right, h: plotH, xRange: [0, r.max_isi_msec], yRange: [0, Math.max(max * 1.08, Math.max(2, Math.floor(plotH / 40)))] };
    // The refractory period, under the bars.
    ctx.fillStyle = 'rgba(214, 39, 40, 0.12)';
    const xr = Math.min(px(a, refractoryMsec), a.x + a.w);
    ctx.fillRect(a.x, a.y, xr - a.x, a.h);
    ctx.fillStyle = unitColor(unitId);
    const bw = a.w / counts.length;
    for (let k = 0; k < counts.length; k++) {
      if (!counts[k]) continue;
      const y = py(a, counts[k]);
      ctx.fillRect(px(a, k * r.bin_size_msec), y, Math.max(1, bw - (bw > 3 ? 1 : 0)), a.y + a.h - y);
    }
    ctx.strokeStyle = '#d62728';
    ctx.setLineDash([4, 3]);
    ctx.beginPath();
    ctx.moveTo(xr + 0.5, a.y);
    ctx.lineTo(xr + 0.5, a.y + a.h);
    ctx.stroke();
    ctx.setLineDash([]);
    drawAxes(ctx, a, { xLabel: X_LABEL, yLabel: Y_LABEL });
  }, [r, counts, max, unitId, refractoryMsec]);
  const pct = r.num_isis ? (100 * below) / r.num_isis : 0;
  return (
    <div>
      <PlotCanvas width={width} height={height} draw={draw} className="isi-canvas" data-unit-id={unitId} data-x-label={X_LABEL} data-y-label={Y_LABEL}
        data-bin-counts={Array.from(counts).join(',')} data-bin-size-msec={r.bin_size_msec} data-max-isi-msec={r.max_isi_msec}
        data-num-isis={r.num_isis} data-num-above={r.num_above} data-refractory-msec={refractoryMsec} data-below-refractory={below} data-below-edge-msec={edgeMsec} />
      <div className="small isi-summary" style={{ padding: '0 4px' }}>
        <span style={{ color: below ? '#b42318' : undefined }}>{below} of {r.num_isis} ISIs &lt; {edgeMsec} ms ({pct.toFixed(2)} %)</span>
        <span className="muted"> · {r.num_above} ≥ {r.max_isi_msec} ms</span>
      </div>
    </div>
  );
}
