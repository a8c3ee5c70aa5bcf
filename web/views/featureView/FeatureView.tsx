import { useCallback, useMemo, useState, type Dispatch, type ReactNode, type SetStateAction } from 'react';
import { FEATURE_SPACE_MAX_UNITS, featureSpaceRequest, type FeatureSpaceResult } from '../../../core/tasks/contracts/featureSpace';
import { PlotCanvas } from '../../components/PlotCanvas';
import { TaskGate } from '../../components/TaskStatus';
import { unitColor } from '../../components/unitColors';
import { useTask } from '../../data/useTask';
import { useSelection, useSortingData } from '../../sorting/sortingContext';
import { drawAxes } from '../common/axes';
import { useUnitSelectionForTask } from '../common/loaders';
import type { ViewProps } from '../types';
import { axisKey, axisLabel, axisOptions, axisValues, defaultAxes, parseAxisKey, phyGrid, shortAxisLabel, type AxisChoice, type FeatureData } from './axisChoices';
import { parseChannelList } from './channelList';
import { boxAt, gridBoxes, layoutPoints, nearestPoint, type PointLayout } from './pointLayout';
import { robustRange } from './robustRange';

const M = { left: 62, right: 12, top: 10, bottom: 44 };
const TOOLBAR_H = 30;
/** Point size in CSS pixels: larger when there are few. */
const pointSize = (n: number) => (n <= 1500 ? 4 : n <= 6000 ? 3 : 2);

/**
 * phy's FeatureView: the selected units' spikes in one shared PC space (fetch_feature_space.1: one
 * temporal PCA over all of them, features per channel), one colour per unit. Each axis is a channel's
 * PC or time; axis ranges come from the 0.5–99.5th percentiles of the shown points, outliers sit on
 * the edge. A click on a point puts the time cursor on that spike.
 */
export function FeatureView({ width, height }: ViewProps) {
  const { ref, recordingInfo } = useSortingData();
  const { selection } = useSelection();
  const forTask = useUnitSelectionForTask();
  const [channels, setChannels] = useState<number[] | null>(null);
  // Kept here, not in the plot, so that the axes and the mode survive a new request (other units or channels).
  const [keys, setKeys] = useState<AxisKeys>({ x: null, y: null });
  const [grid, setGrid] = useState(false);
  const units = selection.selectedUnitIds.slice(0, FEATURE_SPACE_MAX_UNITS);
  const unitsKey = units.join(',');
  const channelsKey = channels?.join(',') ?? '';
  const spec = useMemo(() => (units.length ? featureSpaceRequest(ref, units.map(forTask), channels ?? undefined) : null), [ref, forTask, unitsKey, channelsKey]); // eslint-disable-line react-hooks/exhaustive-deps
  const rec = useTask(spec);
  if (!spec) return <div className="view-message" style={{ width, height }}>Select units (up to {FEATURE_SPACE_MAX_UNITS}) to see their spikes in one PC space.</div>;
  const channelInput = <ChannelInput channels={channels} known={recordingInfo?.channel_ids ?? null} onChange={setChannels} />;
  return (
    <div style={{ width, height }}>
      {rec?.status !== 'finished' && <div className="view-toolbar small" style={{ height: TOOLBAR_H, boxSizing: 'border-box' }}>{channelInput}</div>}
      <TaskGate rec={rec} label="Feature space" spec={spec}>
        {(r) => (
          <FeaturePlot r={r} units={units} width={width} height={height} more={selection.selectedUnitIds.length - units.length} channelInput={channelInput}
            keys={keys} setKeys={setKeys} grid={grid} setGrid={setGrid} />
        )}
      </TaskGate>
    </div>
  );
}

/** The channels of the PCA: typed ids (channelList.ts), or empty for the task's default; applied on Enter or when the field is left. */
function ChannelInput({ channels, known, onChange }: { channels: number[] | null; known: readonly number[] | null; onChange: (c: number[] | null) => void }) {
  const [text, setText] = useState(channels?.join(', ') ?? '');
  const [error, setError] = useState<string | null>(null);
  const apply = () => {
    const p = parseChannelList(text, known);
    if ('error' in p) { setError(p.error); return; }
    setError(null);
    if ((p.ids?.join(',') ?? '') !== (channels?.join(',') ?? '')) onChange(p.ids);
  };
  return (
    <label title="Channel ids for the PCA, e.g. 12, 14, 16-20 (at most 15); empty: the selected units' peak channels, then the first unit's neighbourhood">
      channels
      <input id="feature-channels" type="text" size={14} placeholder="auto (peaks first)" value={text} aria-invalid={error !== null}
        onChange={(e) => setText(e.target.value)} onBlur={apply} onKeyDown={(e) => { if (e.key === 'Enter') apply(); }} />
      {error && <span className="feature-channels-error" style={{ color: '#b42318' }}>{error}</span>}
    </label>
  );
}

/** The axes chosen (null: phy's default); a key naming a channel the result lacks falls back to the default too. */
interface AxisKeys { x: string | null; y: string | null }

function FeaturePlot({ r, units, width, height, more, channelInput, keys, setKeys, grid, setGrid }: {
  r: FeatureSpaceResult; units: number[]; width: number; height: number; more: number; channelInput: ReactNode;
  keys: AxisKeys; setKeys: Dispatch<SetStateAction<AxisKeys>>; grid: boolean; setGrid: Dispatch<SetStateAction<boolean>>;
}) {
  const { recordingInfo } = useSortingData();
  const { dispatch } = useSelection();
  const fs = recordingInfo?.sampling_frequency ?? 30000;
  const d = useMemo<FeatureData>(() => ({
    channelIds: r.channel_ids.data, features: r.features.data, numPcs: r.features.shape[2] ?? 0, timepoints: r.timepoints.data,
    explainedVarianceRatio: r.explained_variance_ratio.data,
  }), [r]);
  const def = defaultAxes(d);
  const xAxis = (keys.x !== null ? parseAxisKey(keys.x, d) : null) ?? def.x;
  const yAxis = (keys.y !== null ? parseAxisKey(keys.y, d) : null) ?? def.y;
  const xKey = axisKey(xAxis);
  const yKey = axisKey(yAxis);
  const options = useMemo(() => axisOptions(d), [d]);
  const counts = r.spike_counts.data;
  const plotH = height - TOOLBAR_H;
  const xs = useMemo(() => axisValues(xAxis, d, fs), [d, xKey, fs]); // eslint-disable-line react-hooks/exhaustive-deps
  const ys = useMemo(() => axisValues(yAxis, d, fs), [d, yKey, fs]); // eslint-disable-line react-hooks/exhaustive-deps
  const xr = useMemo(() => robustRange([xs]), [xs]);
  const yr = useMemo(() => robustRange([ys]), [ys]);
  const box = useMemo(() => ({ x: M.left, y: M.top, w: Math.max(10, width - M.left - M.right), h: Math.max(10, plotH - M.top - M.bottom), xRange: xr.range, yRange: yr.range }), [width, plotH, xr, yr]);
  const layout = useMemo(() => layoutPoints(xs, ys, counts, box), [xs, ys, counts, box]);
  const xLabel = axisLabel(xAxis, d);
  const yLabel = axisLabel(yAxis, d);
  const draw = useCallback((ctx: CanvasRenderingContext2D) => {
    drawAxes(ctx, box, { xLabel, yLabel });
    drawUnitPoints(ctx, box, layout, units, pointSize(layout.px.length));
    drawLegend(ctx, box, units, counts);
  }, [box, layout, units, counts, xLabel, yLabel]);

  const sel = (id: string, value: string, set: (k: string) => void) => (
    <select id={id} value={value} onChange={(e) => set(e.target.value)}>
      {options.map((o) => <option key={o.key} value={o.key}>{o.label}</option>)}
    </select>
  );
  const N = r.timepoints.data.length;
  return (
    <div>
      <div className="view-toolbar small" style={{ height: TOOLBAR_H, boxSizing: 'border-box' }}>
        {channelInput}
        <label>x {sel('feature-x', xKey, (k) => setKeys((s) => ({ ...s, x: k })))}</label>
        <label>y {sel('feature-y', yKey, (k) => setKeys((s) => ({ ...s, y: k })))}</label>
        <button type="button" id="feature-swap" title="Swap the axes" disabled={grid} onClick={() => setKeys({ x: yKey, y: xKey })}>⇄</button>
        <button type="button" id="feature-grid" aria-pressed={grid} title="phy's grid of feature pairs, time on the diagonal (click a plot to open it)" onClick={() => setGrid((g) => !g)}>{grid ? 'Single plot' : 'Grid'}</button>
        {grid && units.map((u, k) => (
          <span key={u} className="feature-legend-item" data-unit-id={u}>
            <span style={{ display: 'inline-block', width: 9, height: 9, background: unitColor(u), marginRight: 3 }} />unit {u} · {counts[k]}
          </span>
        ))}
        <span className="muted">
          {N} spikes of {units.length} units, one PCA on {r.channel_ids.data.length} channels
          {!grid && layout.numClipped ? ` · ${layout.numClipped} outside the 0.5–99.5th percentiles, hollow on the edges` : ''}
          {more > 0 ? ` · first ${units.length} of the selected units` : ''}
        </span>
      </div>
      {grid
        ? <GridPlot d={d} fs={fs} units={units} counts={counts} width={width} height={plotH} onPick={(x, y) => { setKeys({ x, y }); setGrid(false); }} />
        : (
          <PlotCanvas width={width} height={plotH} draw={draw} className="feature-canvas"
            data-units={units.join(',')} data-points-per-unit={layout.units.map((u) => u.count).join(',')}
            data-channel-ids={Array.from(r.channel_ids.data).join(',')}
            data-x-axis={xKey} data-y-axis={yKey} data-x-label={xLabel} data-y-label={yLabel}
            data-x-percentiles={xr.percentiles.join(',')} data-y-percentiles={yr.percentiles.join(',')}
            data-x-range={xr.range.join(',')} data-y-range={yr.range.join(',')} data-num-clipped={layout.numClipped}
            data-plot-box={[box.x, box.y, box.w, box.h].join(',')}
            onClick={(e) => {
              const rect = e.currentTarget.getBoundingClientRect();
              const i = nearestPoint(layout, e.clientX - rect.left, e.clientY - rect.top);
              if (i >= 0) dispatch({ type: 'SET_CURRENT_TIMEPOINT', frame: r.timepoints.data[i], ensureVisible: true });
            }} />
        )}
    </div>
  );
}

const GRID_PAD = { left: 6, right: 6, top: 16, bottom: 6 };

/**
 * phy's default grid (axisChoices.ts phyGrid): every cell its own robust ranges, a caption "x … · y …"
 * above it, no ticks, the legend in the toolbar; a click on a cell opens it as the single plot.
 */
function GridPlot({ d, fs, units, counts, width, height, onPick }: {
  d: FeatureData; fs: number; units: number[]; counts: ArrayLike<number>; width: number; height: number; onPick: (xKey: string, yKey: string) => void;
}) {
  const cells = useMemo(() => phyGrid(d).flat(), [d]);
  const n = Math.round(Math.sqrt(cells.length));
  const boxes = useMemo(() => gridBoxes(width, height, n, GRID_PAD), [width, height, n]);
  const plots = useMemo(() => {
    const values = new Map<string, Float64Array>();
    const of = (a: AxisChoice) => {
      const k = axisKey(a);
      let v = values.get(k);
      if (!v) values.set(k, (v = axisValues(a, d, fs)));
      return v;
    };
    return cells.map((c, i) => {
      const xs = of(c.x);
      const ys = of(c.y);
      const box = { ...boxes[i], xRange: robustRange([xs]).range, yRange: robustRange([ys]).range };
      return { box, layout: layoutPoints(xs, ys, counts, box), caption: `x ${shortAxisLabel(c.x)} · y ${shortAxisLabel(c.y)}` };
    });
  }, [cells, boxes, d, fs, counts]);
  const draw = useCallback((ctx: CanvasRenderingContext2D) => {
    const size = Math.max(2, pointSize(d.timepoints.length) - 1);
    for (const { box, layout, caption } of plots) {
      ctx.strokeStyle = '#9aa4b1';
      ctx.lineWidth = 1;
      ctx.strokeRect(box.x + 0.5, box.y + 0.5, box.w, box.h);
      ctx.fillStyle = '#3b4554';
      ctx.font = '10px system-ui, sans-serif';
      ctx.textAlign = 'left';
      ctx.textBaseline = 'bottom';
      ctx.fillText(caption, box.x + 1, box.y - 2);
      drawUnitPoints(ctx, box, layout, units, size);
    }
  }, [plots, units, d]);
  return (
    <PlotCanvas width={width} height={height} draw={draw} className="feature-grid-canvas" style={{ cursor: 'pointer' }}
      data-grid-size={n} data-grid-axes={cells.map((c) => `${axisKey(c.x)}|${axisKey(c.y)}`).join(';')}
      data-grid-boxes={JSON.stringify(boxes.map((b) => [b.x, b.y, b.w, b.h]))}
      data-points-per-cell={plots.map((p) => p.layout.px.length).join(',')}
      onClick={(e) => {
        const rect = e.currentTarget.getBoundingClientRect();
        const i = boxAt(boxes, e.clientX - rect.left, e.clientY - rect.top);
        if (i >= 0) onPick(axisKey(cells[i].x), axisKey(cells[i].y));
      }} />
  );
}

/** Each unit's points in its colour (hollow where clipped to the edge), later units on top. */
function drawUnitPoints(ctx: CanvasRenderingContext2D, box: { x: number; y: number; w: number; h: number }, layout: PointLayout, units: readonly number[], size: number) {
  ctx.save();
  ctx.beginPath();
  ctx.rect(box.x - size, box.y - size, box.w + 2 * size, box.h + 2 * size);
  ctx.clip();
  ctx.globalAlpha = 0.55;
  ctx.lineWidth = 1;
  const h = size / 2;
  layout.units.forEach((u, k) => {
    const color = unitColor(units[k]);
    ctx.fillStyle = color;
    ctx.strokeStyle = color;
    for (let i = u.start; i < u.start + u.count; i++) {
      if (layout.clipped[i]) ctx.strokeRect(layout.px[i] - h, layout.py[i] - h, size, size);
      else ctx.fillRect(layout.px[i] - h, layout.py[i] - h, size, size);
    }
  });
  ctx.restore();
}

/** A small legend in the top right corner of a plot box: each unit's colour, id and spikes shown. */
function drawLegend(ctx: CanvasRenderingContext2D, box: { x: number; y: number; w: number }, units: readonly number[], counts: ArrayLike<number>) {
  ctx.font = '11px system-ui, sans-serif';
  const lines = units.map((u, k) => `unit ${u} · ${counts[k]} spikes`);
  const lw = Math.max(...lines.map((t) => ctx.measureText(t).width)) + 24;
  const lh = 15;
  const lx = box.x + box.w - lw - 6;
  const ly = box.y + 6;
  ctx.fillStyle = 'rgba(255, 255, 255, 0.85)';
  ctx.fillRect(lx, ly, lw, lines.length * lh + 6);
  ctx.strokeStyle = '#d0d5dc';
  ctx.lineWidth = 1;
  ctx.strokeRect(lx + 0.5, ly + 0.5, lw, lines.length * lh + 6);
  ctx.textAlign = 'left';
  ctx.textBaseline = 'middle';
  lines.forEach((t, k) => {
    const y = ly + 3 + lh * k + lh / 2;
    ctx.fillStyle = unitColor(units[k]);
    ctx.fillRect(lx + 6, y - 4, 9, 9);
    ctx.fillStyle = '#27303d';
    ctx.fillText(t, lx + 20, y);
  });
}
