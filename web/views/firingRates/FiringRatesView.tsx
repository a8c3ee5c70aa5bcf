import { useCallback, useMemo, useState } from 'react';
import { defaultFiringRateBinSec, firingRateRequest, type FiringRateResult } from '../../../core/tasks/contracts/spikeTrainHistograms';
import { PlotCanvas } from '../../components/PlotCanvas';
import { TaskGate } from '../../components/TaskStatus';
import { unitColor } from '../../components/unitColors';
import { useTask } from '../../data/useTask';
import { useSelection, useSortingData } from '../../sorting/sortingContext';
import { drawAxes, px, py, xOfPx, type Axes } from '../common/axes';
import { useUnitSelectionForTask } from '../common/loaders';
import type { ViewProps } from '../types';

export const MAX_FIRING_RATE_UNITS = 12;
const BIN_CHOICES_SEC = [0.1, 0.2, 0.5, 1, 2, 5, 10, 30, 60, 120, 300];
const M = { left: 60, right: 16, top: 8, bottom: 34 };
const X_LABEL = 'time (s)';
const Y_LABEL = 'spikes/s';
const ROW_MIN = 110;
const ROW_MAX = 220;

/**
 * Firing rate over time (sortingview.fetch_firing_rate.1) of the selected units: one row each, in the
 * unit's colour, spikes/s per time bin across the whole recording on a common time axis, the unit's
 * mean rate dashed. Click sets the time cursor (shown in red).
 */
export function FiringRatesView({ width, height }: ViewProps) {
  const { recordingInfo } = useSortingData();
  const { selection } = useSelection();
  const units = selection.selectedUnitIds.slice(0, MAX_FIRING_RATE_UNITS);
  const durationSec = recordingInfo ? recordingInfo.num_frames / recordingInfo.sampling_frequency : null;
  const [binChoice, setBinChoice] = useState<number | 'auto'>('auto');
  if (!units.length) return <div className="view-message" style={{ width, height }}>Select units (up to {MAX_FIRING_RATE_UNITS}) to see their firing rate over time.</div>;
  if (durationSec === null) return <div className="view-message" style={{ width, height }}>Waiting for the recording&apos;s duration (recording_info.3)…</div>;
  const auto = defaultFiringRateBinSec(durationSec);
  const binSec = binChoice === 'auto' ? auto : binChoice;
  const choices = BIN_CHOICES_SEC.filter((b) => b < durationSec / 2 && durationSec / b <= 20_000);
  const rowH = Math.max(ROW_MIN, Math.min(ROW_MAX, Math.floor((height - 34) / units.length) - 4));
  return (
    <div className="view-scroll" style={{ width, height }} data-testid="firing-rates">
      <div className="view-toolbar small">
        {units.map((u) => <span key={u} className="legend"><span className="swatch" style={{ background: unitColor(u) }} />{u}</span>)}
        {selection.selectedUnitIds.length > MAX_FIRING_RATE_UNITS ? <span className="muted">first {MAX_FIRING_RATE_UNITS} of {selection.selectedUnitIds.length} selected</span> : null}
        <label>Bin <select id="firing-rate-bin" value={String(binChoice)} onChange={(e) => setBinChoice(e.target.value === 'auto' ? 'auto' : Number(e.target.value))}>
          <option value="auto">auto ({auto} s)</option>
          {choices.map((b) => <option key={b} value={b}>{b} s</option>)}
        </select></label>
        <span className="muted">dashed: the unit&apos;s mean rate · click: set time cursor</span>
      </div>
      {units.map((u, i) => <RateRow key={u} unitId={u} width={width - 16} height={rowH} durationSec={durationSec} binSec={binSec} last={i === units.length - 1} />)}
    </div>
  );
}

function RateRow({ unitId, width, height, durationSec, binSec, last }: { unitId: number; width: number; height: number; durationSec: number; binSec: number; last: boolean }) {
  const { ref } = useSortingData();
  const forTask = useUnitSelectionForTask();
  const spec = useMemo(() => firingRateRequest(ref, forTask(unitId), durationSec, binSec), [ref, forTask, unitId, durationSec, binSec]);
  const rec = useTask(spec);
  return (
    <div className="firing-rate-row" data-unit-id={unitId} style={{ padding: '0 8px', minHeight: height }}>
      <TaskGate rec={rec} label={`firing rate of unit ${unitId}`} spec={spec} compact>
        {(r) => <RateCanvas r={r} unitId={unitId} width={width} height={height} durationSec={durationSec} timeLabel={last} />}
      </TaskGate>
    </div>
  );
}

function RateCanvas({ r, unitId, width, height, durationSec, timeLabel }: { r: FiringRateResult; unitId: number; width: number; height: number; durationSec: number; timeLabel: boolean }) {
  const { recordingInfo } = useSortingData();
  const { selection, dispatch } = useSelection();
  const fs = recordingInfo?.sampling_frequency ?? 30000;
  const rates = r.rates_hz.data;
  const edges = r.edges_sec.data;
  const max = rates.reduce((m, v) => Math.max(m, v), 0);
  const mean = r.num_spikes / durationSec;
  const cur = selection.currentTimepointFrames;
  const axes = useCallback((w: number, h: number): Axes => (
    { x: M.left, y: M.top, w: w - M.left - M.right, h: h - M.top - M.bottom, xRange: [0, durationSec], yRange: [0, Math.max(1, max) * 1.1] }
  ), [durationSec, max]);
  const draw = useCallback((ctx: CanvasRenderingContext2D, w: number, h: number) => {
    const a = axes(w, h);
    const color = unitColor(unitId);
    ctx.fillStyle = color;
    ctx.globalAlpha = 0.85;
    for (let k = 0; k < rates.length; k++) {
      if (!rates[k]) continue;
      const x0 = px(a, edges[k]);
      const x1 = px(a, edges[k + 1]);
      const y = py(a, rates[k]);
      ctx.fillRect(x0, y, Math.max(1, x1 - x0 - (x1 - x0 > 3 ? 1 : 0)), a.y + a.h - y);
    }
    ctx.globalAlpha = 1;
    ctx.strokeStyle = '#3b4554';
    ctx.setLineDash([5, 4]);
    ctx.beginPath();
    ctx.moveTo(a.x, py(a, mean) + 0.5);
    ctx.lineTo(a.x + a.w, py(a, mean) + 0.5);
    ctx.stroke();
    ctx.setLineDash([]);
    drawAxes(ctx, a, { xLabel: timeLabel ? X_LABEL : undefined, yLabel: Y_LABEL });
    ctx.font = '600 11px system-ui, sans-serif';
    ctx.textAlign = 'left';
    ctx.textBaseline = 'top';
    ctx.fillStyle = color;
    ctx.fillText(`Unit ${unitId}`, a.x + 6, a.y + 4);
    ctx.fillStyle = '#3b4554';
    ctx.font = '11px system-ui, sans-serif';
    ctx.fillText(`mean ${mean.toFixed(2)} spikes/s · ${r.bin_size_sec} s bins`, a.x + 60, a.y + 4);
    if (cur !== null) {
      const x = px(a, cur / fs);
      if (x >= a.x && x <= a.x + a.w) {
        ctx.fillStyle = '#d62728';
        ctx.fillRect(x, a.y, 1.5, a.h);
      }
    }
  }, [axes, rates, edges, unitId, mean, r.bin_size_sec, timeLabel, cur, fs]);
  return (
    <PlotCanvas width={width} height={height} draw={draw} className="firing-rate-canvas" data-unit-id={unitId} data-x-label={timeLabel ? X_LABEL : undefined} data-y-label={Y_LABEL}
      data-counts={Array.from(r.counts.data).join(',')} data-edges-sec={Array.from(edges).join(',')} data-rates-hz={Array.from(rates).join(',')}
      data-bin-size-sec={r.bin_size_sec} data-num-spikes={r.num_spikes}
      onClick={(e) => {
        const rect = e.currentTarget.getBoundingClientRect();
        const a = axes(rect.width, rect.height);
        const x = e.clientX - rect.left;
        if (x < a.x || x > a.x + a.w) return;
        dispatch({ type: 'SET_CURRENT_TIMEPOINT', frame: Math.round(xOfPx(a, x) * fs), ensureVisible: true });
      }} />
  );
}
