import { useCallback, useMemo, useRef } from 'react';
import { spikeAmplitudesRequest } from '../../../core/tasks/contracts/spikeAmplitudes';
import { PlotCanvas } from '../../components/PlotCanvas';
import { TaskStatusLine } from '../../components/TaskStatus';
import { unitColor } from '../../components/unitColors';
import { finishedResult } from '../../data/taskClient';
import { useTasks } from '../../data/useTask';
import { useSelection, useSortingData } from '../../sorting/sortingContext';
import { drawAxes, drawPoints, extent, px, py, xOfPx, type Axes } from '../common/axes';
import { useUnitSelectionForTask } from '../common/loaders';
import { useTimeZoom } from '../common/useTimeZoom';
import type { ViewProps } from '../types';
import { amplitudeHistogram, amplitudeHistogramBins } from './amplitudeHistogram';

export const MAX_AMPLITUDE_UNITS = 10;
const M = { left: 56, right: 12, top: 8, bottom: 36 };
/** The amplitude histogram on the right: its width and the gap before it. */
const HIST = { w: 160, gap: 16 };
const HIST_X_LABEL = 'spikes / bin';

/**
 * Peak-to-peak amplitude of every spike over time, for the selected units (≤ 10): drift, bursts,
 * cut-offs; on the right, phy-style, the distribution of the amplitudes in the visible time window on
 * the same amplitude axis (a unit cut off by the detection threshold shows a histogram truncated at its low end).
 */
export function SpikeAmplitudesView({ width, height }: ViewProps) {
  const { ref, recordingInfo } = useSortingData();
  const { selection, dispatch } = useSelection();
  const forTask = useUnitSelectionForTask();
  const units = selection.selectedUnitIds.slice(0, MAX_AMPLITUDE_UNITS);
  const specs = useMemo(() => units.map((u) => spikeAmplitudesRequest(ref, forTask(u))), [ref, forTask, units.join(',')]); // eslint-disable-line react-hooks/exhaustive-deps
  const recs = useTasks(specs);
  const fs = recordingInfo?.sampling_frequency ?? 30000;
  const duration = recordingInfo ? recordingInfo.num_frames / fs : 1;
  const wrap = useRef<HTMLDivElement>(null);
  const h = height - 30;
  const plotW = width - M.left - M.right - HIST.w - HIST.gap;
  const zoom = useTimeZoom(wrap, duration, M.left, plotW);
  const results = recs.map((r) => (finishedResult(r)));
  const yRange = useMemo(() => {
    const [, hi] = extent(results.filter(Boolean).map((r) => r!.amplitudes.data));
    return [0, Math.max(1e-6, hi)] as [number, number];
  }, [recs]); // eslint-disable-line react-hooks/exhaustive-deps
  const unitsLabel = results.find(Boolean)?.units === 'uV' ? 'µV' : 'raw units';
  const secs = useMemo(() => results.map((r) => {
    if (!r) return null;
    const t = r.timepoints.data;
    const sec = new Float32Array(t.length);
    for (let k = 0; k < t.length; k++) sec[k] = t[k] / fs;
    return sec;
  }), [recs, fs]); // eslint-disable-line react-hooks/exhaustive-deps
  const numBins = amplitudeHistogramBins(h - M.top - M.bottom);
  // The spikes in the visible time window, on the scatter's amplitude axis.
  const hists = useMemo(() => results.map((r, i) => (r ? amplitudeHistogram({
    amplitudes: r.amplitudes.data, timesSec: secs[i]!, timeRange: zoom.range, ampRange: yRange, numBins,
  }).counts : null)), [recs, secs, zoom.range, yRange, numBins]); // eslint-disable-line react-hooks/exhaustive-deps
  const histMax = hists.reduce((m, c) => (c ? c.reduce((a, b) => Math.max(a, b), m) : m), 0);

  const draw = useCallback((ctx: CanvasRenderingContext2D, w: number, hh: number) => {
    const a: Axes = { x: M.left, y: M.top, w: w - M.left - M.right - HIST.w - HIST.gap, h: hh - M.top - M.bottom, xRange: zoom.range, yRange };
    drawAxes(ctx, a, { xLabel: 'time (s)', yLabel: `amplitude (${unitsLabel})` });
    results.forEach((r, i) => {
      if (!r) return;
      drawPoints(ctx, a, secs[i]!, r.amplitudes.data, unitColor(units[i]), 2.5, 0.6);
    });
    // The histogram shares the amplitude axis: same top, height and range; spikes per bin across.
    const ha: Axes = { x: a.x + a.w + HIST.gap, y: a.y, w: HIST.w, h: a.h, xRange: [0, Math.max(1, histMax) * 1.05], yRange };
    drawAxes(ctx, ha, { xLabel: HIST_X_LABEL, yTicks: false });
    hists.forEach((c, i) => {
      if (!c) return;
      const color = unitColor(units[i]);
      const yOf = (k: number) => py(ha, yRange[0] + (k / c.length) * (yRange[1] - yRange[0]));
      ctx.fillStyle = color;
      ctx.globalAlpha = 0.25;
      for (let k = 0; k < c.length; k++) if (c[k]) ctx.fillRect(ha.x, yOf(k + 1), px(ha, c[k]) - ha.x, yOf(k) - yOf(k + 1));
      ctx.globalAlpha = 1;
      // The step outline: each bin's end, joined across bin edges; nothing along the axis where there are no spikes.
      ctx.strokeStyle = color;
      ctx.lineWidth = 1.5;
      ctx.beginPath();
      for (let k = 0; k < c.length; k++) {
        const prev = k > 0 ? c[k - 1] : 0;
        if (c[k] || prev) {
          ctx.moveTo(px(ha, prev), yOf(k));
          ctx.lineTo(px(ha, c[k]), yOf(k));
        }
        if (c[k]) {
          ctx.moveTo(px(ha, c[k]), yOf(k));
          ctx.lineTo(px(ha, c[k]), yOf(k + 1));
        }
      }
      if (c[c.length - 1]) {
        ctx.moveTo(px(ha, c[c.length - 1]), yOf(c.length));
        ctx.lineTo(ha.x, yOf(c.length));
      }
      ctx.stroke();
    });
    const cur = selection.currentTimepointFrames;
    if (cur !== null) {
      const x = px(a, cur / fs);
      if (x >= a.x && x <= a.x + a.w) {
        ctx.fillStyle = '#d62728';
        ctx.fillRect(x, a.y, 1.5, a.h);
      }
    }
  }, [recs, secs, hists, histMax, zoom.range, yRange, units.join(','), selection.currentTimepointFrames, unitsLabel]); // eslint-disable-line react-hooks/exhaustive-deps

  if (!units.length) return <div className="view-message" style={{ width, height }}>Select units (up to {MAX_AMPLITUDE_UNITS}) to see their spike amplitudes over time.</div>;
  return (
    <div style={{ width, height }} data-testid="spike-amplitudes">
      <div className="view-toolbar">
        {units.map((u) => <span key={u} className="legend"><span className="swatch" style={{ background: unitColor(u) }} />{u}</span>)}
        {selection.selectedUnitIds.length > MAX_AMPLITUDE_UNITS ? <span className="muted small">first {MAX_AMPLITUDE_UNITS} of {selection.selectedUnitIds.length} selected</span> : null}
        <span className="muted small">wheel: zoom · drag: pan · double-click: whole recording · click: set time cursor · right: amplitudes of the spikes in view</span>
        <span className="toolbar-status">{recs.map((r, i) => (r?.status === 'finished' ? null : <TaskStatusLine key={i} rec={r} label={`unit ${units[i]}`} spec={specs[i]} compact />))}</span>
      </div>
      <div ref={wrap}>
        <PlotCanvas width={width} height={h} draw={draw} className="amplitudes-canvas" style={{ touchAction: 'none' }}
          data-points={results.reduce((n, r) => n + (r ? r.amplitudes.shape[0] : 0), 0)}
          data-time-range={zoom.range.join(',')} data-y-label={`amplitude (${unitsLabel})`} data-hist-x-label={HIST_X_LABEL} data-hist-width={HIST.w} data-amplitude-range={yRange.join(',')}
          data-hist-units={units.filter((_, i) => hists[i]).join(',')} data-hist-counts={JSON.stringify(hists.filter(Boolean).map((c) => Array.from(c!)))}
          {...zoom.handlers}
          onPointerUp={(e) => {
            if (!zoom.endDrag()) return;
            const rect = e.currentTarget.getBoundingClientRect();
            const a: Axes = { x: M.left, y: M.top, w: plotW, h: 0, xRange: zoom.range, yRange };
            const x = e.clientX - rect.left;
            const t = xOfPx(a, x);
            if (x <= M.left + plotW && t >= 0 && t <= duration) dispatch({ type: 'SET_CURRENT_TIMEPOINT', frame: t * fs, ensureVisible: true });
          }} />
      </div>
    </div>
  );
}
