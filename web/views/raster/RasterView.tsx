import { useCallback, useMemo, useRef } from 'react';
import { rasterRequest, type RasterResult } from '../../../core/tasks/contracts/raster';
import { PlotCanvas } from '../../components/PlotCanvas';
import { TaskGate } from '../../components/TaskStatus';
import { unitColor } from '../../components/unitColors';
import { useTask } from '../../data/useTask';
import { useSelection, useSortingData } from '../../sorting/sortingContext';
import { drawAxes, px, xOfPx, type Axes } from '../common/axes';
import { useUnitSelectionForTask } from '../common/loaders';
import { useTimeZoom } from '../common/useTimeZoom';
import type { ViewProps } from '../types';

const M = { left: 48, right: 10, top: 6, bottom: 34 };

/**
 * Spike raster of the displayed units over the recording (sortingview.fetch_raster.1, the whole
 * recording once, zoomed locally): a row per unit, selected rows highlighted; click a row to select
 * its unit, click the time axis region to set the cursor.
 */
export function RasterView({ width, height }: ViewProps) {
  const { ref, recordingInfo } = useSortingData();
  const { selection, displayedUnitIds } = useSelection();
  const forTask = useUnitSelectionForTask();
  const fs = recordingInfo?.sampling_frequency ?? 30000;
  const duration = recordingInfo ? recordingInfo.num_frames / fs : 0;
  // All units when merges are not applied (one cached result for every filter), else the merged units.
  const merged = selection.applyMerges && selection.mergeGroups.length > 0;
  const spec = useMemo(() => (recordingInfo ? rasterRequest(ref, duration, merged ? displayedUnitIds.map(forTask) : undefined) : null),
    [recordingInfo, ref, duration, merged, merged ? displayedUnitIds.join(',') : '', forTask]); // eslint-disable-line react-hooks/exhaustive-deps
  const rec = useTask(spec);
  const wrap = useRef<HTMLDivElement>(null);
  const h = height - 30;
  const plotW = width - M.left - M.right;
  const zoom = useTimeZoom(wrap, duration || 1, M.left, plotW);
  if (!recordingInfo) return <div className="view-message" style={{ width, height }}>Waiting for the recording's info…</div>;
  return (
    <div style={{ width, height }} data-testid="raster">
      <div className="view-toolbar muted small">{displayedUnitIds.length} units · wheel: zoom · drag: pan · double-click: whole recording · click a row: select its unit</div>
      <div ref={wrap}>
        <TaskGate rec={rec} label="raster" spec={spec ?? undefined}>
          {(r) => <RasterCanvas r={r} width={width} height={h} zoom={zoom} duration={duration} fs={fs} />}
        </TaskGate>
      </div>
    </div>
  );
}

function RasterCanvas({ r, width: w0, height: h0, zoom: z, duration, fs }: { r: RasterResult; width: number; height: number; zoom: ReturnType<typeof useTimeZoom>; duration: number; fs: number }) {
    const { selection, dispatch, displayedUnitIds } = useSelection();
    const plotW = w0 - M.left - M.right;
    const rows = displayedUnitIds;
    const rowOf = useMemo(() => {
      const byRep = new Map<number, number>();
      rows.forEach((u, i) => byRep.set(u, i));
      return r.unit_ids.map((sel) => byRep.get(typeof sel === 'number' ? sel : Math.min(...sel)) ?? -1);
    }, [r, rows]);
    const selected = new Set(selection.selectedUnitIds);
    const draw = useCallback((ctx: CanvasRenderingContext2D, w: number, hh: number) => {
      const a: Axes = { x: M.left, y: M.top, w: w - M.left - M.right, h: hh - M.top - M.bottom, xRange: z.range, yRange: [0, rows.length] };
      const rowH = a.h / Math.max(1, rows.length);
      rows.forEach((u, i) => {
        if (selected.has(u)) {
          ctx.fillStyle = 'rgba(47,118,194,0.12)';
          ctx.fillRect(a.x, a.y + i * rowH, a.w, rowH);
        }
      });
      drawAxes(ctx, a, { xLabel: 'time (s)', yTicks: false });
      ctx.font = '10px system-ui, sans-serif';
      ctx.textAlign = 'right';
      ctx.textBaseline = 'middle';
      const labelEvery = Math.max(1, Math.ceil(11 / rowH));
      rows.forEach((u, i) => { if (i % labelEvery === 0) { ctx.fillStyle = unitColor(u); ctx.fillText(String(u), a.x - 4, a.y + (i + 0.5) * rowH); } });
      const times = r.times_sec.data;
      const idx = r.unit_indices.data;
      ctx.save();
      ctx.beginPath();
      ctx.rect(a.x, a.y, a.w, a.h);
      ctx.clip();
      const tickH = Math.max(1, rowH * 0.8);
      for (let k = 0; k < times.length; k++) {
        const row = rowOf[idx[k]];
        if (row < 0) continue;
        const t = times[k];
        if (t < z.range[0] || t > z.range[1]) continue;
        ctx.fillStyle = unitColor(rows[row]);
        ctx.fillRect(px(a, t), a.y + row * rowH + (rowH - tickH) / 2, 1, tickH);
      }
      ctx.restore();
      const cur = selection.currentTimepointFrames;
      if (cur !== null) { ctx.fillStyle = '#d62728'; ctx.fillRect(px(a, cur / fs), a.y, 1.5, a.h); }
    }, [r, rows, rowOf, z.range, selected.size, selection.selectedUnitIds, selection.currentTimepointFrames]); // eslint-disable-line react-hooks/exhaustive-deps
    return (
      <PlotCanvas width={w0} height={h0} draw={draw} className="raster-canvas" style={{ touchAction: 'none' }} {...z.handlers}
        onPointerUp={(e) => {
          if (!z.endDrag()) return;
          const rect = e.currentTarget.getBoundingClientRect();
          const y = e.clientY - rect.top - M.top;
          const plotH = h0 - M.top - M.bottom;
          if (y >= 0 && y < plotH) {
            const row = Math.floor((y / plotH) * rows.length);
            if (rows[row] !== undefined) dispatch({ type: 'UNIT_CLICKED', unitId: rows[row], ctrlKey: e.ctrlKey || e.metaKey });
          }
          const a: Axes = { x: M.left, y: 0, w: plotW, h: 0, xRange: z.range, yRange: [0, 1] };
          const t = xOfPx(a, e.clientX - rect.left);
          if (t >= 0 && t <= duration) dispatch({ type: 'SET_CURRENT_TIMEPOINT', frame: t * fs, ensureVisible: true });
        }} />
    );
  }
