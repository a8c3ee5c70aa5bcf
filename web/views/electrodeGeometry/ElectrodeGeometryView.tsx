import { useCallback, useMemo, useRef, useState } from 'react';
import { PlotCanvas } from '../../components/PlotCanvas';
import { unitColor } from '../../components/unitColors';
import { useSelection, useSortingData } from '../../sorting/sortingContext';
import { useUnitsSummary } from '../common/loaders';
import type { ViewProps } from '../types';

/**
 * The probe (recording_info.3 geom): click an electrode to select it (Ctrl toggles), drag a
 * rectangle to select several; the traces view then shows those channels. The peak channels of the
 * selected units are ringed in their colours.
 */
interface Layout { toPx(x: number, y: number): [number, number]; radius: number }

function layoutFor(geom: [number, number][], w: number, h: number): Layout {
  const xs = geom.map((g) => g[0]);
  const ys = geom.map((g) => g[1]);
  const minX = Math.min(...xs), maxX = Math.max(...xs), minY = Math.min(...ys), maxY = Math.max(...ys);
  let minGap = Infinity;
  for (let i = 0; i < geom.length && i < 400; i++) {
    for (let j = i + 1; j < geom.length && j < 400; j++) {
      const d = Math.hypot(geom[i][0] - geom[j][0], geom[i][1] - geom[j][1]);
      if (d > 0) minGap = Math.min(minGap, d);
    }
  }
  if (!Number.isFinite(minGap)) minGap = 20;
  const pad = 20;
  const scale = Math.min((w - 2 * pad) / Math.max(maxX - minX, minGap), (h - 2 * pad) / Math.max(maxY - minY, minGap));
  const ox = pad + ((w - 2 * pad) - (maxX - minX) * scale) / 2;
  const oy = pad + ((h - 2 * pad) - (maxY - minY) * scale) / 2;
  return {
    toPx: (x, y) => [ox + (x - minX) * scale, oy + (maxY - y) * scale],
    radius: Math.max(2, Math.min(14, (minGap * scale) / 2.4)),
  };
}

export function ElectrodeGeometryView({ width, height }: ViewProps) {
  const { recordingInfo } = useSortingData();
  const { selection, dispatch } = useSelection();
  const { summary } = useUnitsSummary();
  const [box, setBox] = useState<{ x0: number; y0: number; x1: number; y1: number } | null>(null);
  const dragRef = useRef<{ x0: number; y0: number; ctrl: boolean } | null>(null);
  const h = height - 30;
  const geom = useMemo(() => recordingInfo?.geom ?? [], [recordingInfo]);
  const ids = useMemo(() => recordingInfo?.channel_ids ?? [], [recordingInfo]);
  const layout = useMemo(() => (geom.length ? layoutFor(geom, width, h) : null), [geom, width, h]);
  const selected = useMemo(() => new Set(selection.selectedElectrodeIds), [selection.selectedElectrodeIds]);
  const peaks = useMemo(() => {
    const m = new Map<number, number[]>();
    for (const u of selection.selectedUnitIds) {
      const ch = summary?.units[String(u)]?.peak_channel;
      if (ch !== null && ch !== undefined) m.set(ch, [...(m.get(ch) ?? []), u]);
    }
    return m;
  }, [summary, selection.selectedUnitIds]);

  const draw = useCallback((ctx: CanvasRenderingContext2D) => {
    if (!layout) return;
    const r = layout.radius;
    ctx.font = `${Math.max(8, Math.min(11, r))}px system-ui, sans-serif`;
    ctx.textAlign = 'center';
    ctx.textBaseline = 'middle';
    geom.forEach(([x, y], i) => {
      const [px, py] = layout.toPx(x, y);
      ctx.beginPath();
      ctx.arc(px, py, r, 0, 2 * Math.PI);
      ctx.fillStyle = selected.has(ids[i]) ? '#2f76c2' : '#dfe4ea';
      ctx.fill();
      ctx.strokeStyle = '#7d8896';
      ctx.lineWidth = 1;
      ctx.stroke();
      const units = peaks.get(ids[i]);
      units?.forEach((u, k) => {
        ctx.beginPath();
        ctx.arc(px, py, r + 3 + 3 * k, 0, 2 * Math.PI);
        ctx.strokeStyle = unitColor(u);
        ctx.lineWidth = 2.5;
        ctx.stroke();
      });
      if (r >= 7) {
        ctx.fillStyle = selected.has(ids[i]) ? '#fff' : '#1d2430';
        ctx.fillText(String(ids[i]), px, py);
      }
    });
    if (box) {
      ctx.strokeStyle = '#2f76c2';
      ctx.setLineDash([4, 3]);
      ctx.strokeRect(Math.min(box.x0, box.x1), Math.min(box.y0, box.y1), Math.abs(box.x1 - box.x0), Math.abs(box.y1 - box.y0));
      ctx.setLineDash([]);
    }
  }, [layout, geom, ids, selected, peaks, box]);

  if (!recordingInfo) return <div className="view-message" style={{ width, height }}>Waiting for the recording's info (recording_info.3)…</div>;
  const local = (e: React.PointerEvent) => {
    const rect = e.currentTarget.getBoundingClientRect();
    return [e.clientX - rect.left, e.clientY - rect.top] as const;
  };
  const hit = (x: number, y: number): number | null => {
    if (!layout) return null;
    let best: number | null = null;
    let bestD = Infinity;
    geom.forEach(([gx, gy], i) => {
      const [px, py] = layout.toPx(gx, gy);
      const d = Math.hypot(px - x, py - y);
      if (d < bestD) { bestD = d; best = i; }
    });
    return best !== null && bestD <= layout.radius + 4 ? ids[best] : null;
  };
  return (
    <div style={{ width, height }} data-testid="electrode-geometry">
      <div className="view-toolbar">
        <span id="electrodes-selected">{selection.selectedElectrodeIds.length ? `${selection.selectedElectrodeIds.length} electrodes selected: ${selection.selectedElectrodeIds.join(', ')}` : `${ids.length} electrodes; click or drag to select`}</span>
        {selection.selectedElectrodeIds.length ? <button type="button" className="small-button" onClick={() => dispatch({ type: 'SET_SELECTED_ELECTRODES', electrodeIds: [] })}>clear</button> : null}
      </div>
      <PlotCanvas width={width} height={h} draw={draw} className="geometry-canvas" style={{ touchAction: 'none', cursor: 'pointer' }}
        onPointerDown={(e) => {
          e.currentTarget.setPointerCapture(e.pointerId);
          const [x, y] = local(e);
          dragRef.current = { x0: x, y0: y, ctrl: e.ctrlKey || e.metaKey };
        }}
        onPointerMove={(e) => {
          const d = dragRef.current;
          if (!d) return;
          const [x, y] = local(e);
          if (Math.abs(x - d.x0) + Math.abs(y - d.y0) > 4) setBox({ x0: d.x0, y0: d.y0, x1: x, y1: y });
        }}
        onPointerUp={(e) => {
          const d = dragRef.current;
          dragRef.current = null;
          if (!d || !layout) return;
          const [x, y] = local(e);
          if (box) {
            const [ax, bx] = [Math.min(box.x0, x), Math.max(box.x0, x)];
            const [ay, by] = [Math.min(box.y0, y), Math.max(box.y0, y)];
            const inside = geom.flatMap(([gx, gy], i) => {
              const [px, py] = layout.toPx(gx, gy);
              return px >= ax && px <= bx && py >= ay && py <= by ? [ids[i]] : [];
            });
            dispatch({ type: 'SET_SELECTED_ELECTRODES', electrodeIds: d.ctrl ? [...selection.selectedElectrodeIds, ...inside] : inside });
            setBox(null);
            return;
          }
          const id = hit(x, y);
          if (id === null) {
            if (!d.ctrl) dispatch({ type: 'SET_SELECTED_ELECTRODES', electrodeIds: [] });
          } else if (d.ctrl) {
            dispatch({ type: 'SET_SELECTED_ELECTRODES', electrodeIds: selected.has(id) ? selection.selectedElectrodeIds.filter((c) => c !== id) : [...selection.selectedElectrodeIds, id] });
          } else {
            dispatch({ type: 'SET_SELECTED_ELECTRODES', electrodeIds: [id] });
          }
        }} />
    </div>
  );
}
