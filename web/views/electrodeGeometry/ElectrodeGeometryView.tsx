import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { PlotCanvas } from '../../components/PlotCanvas';
import { unitColor } from '../../components/unitColors';
import { averageWaveformRequest } from '../../../core/tasks/contracts/averageWaveform';
import { finishedResult, TaskClient } from '../../data/taskClient';
import { useTasks } from '../../data/useTask';
import { useSelection, useSortingData } from '../../sorting/sortingContext';
import { useUnitSelectionForTask, useUnitsSummary } from '../common/loaders';
import { scaleBar, scaleBarLabel } from '../common/scaleBar';
import type { ViewProps } from '../types';
import {
  autoViewport, boundsOf, clampViewport, minElectrodeGap, panBy, scaleLimits, showsAll, stripPy, stripY, toPx, visibleRange, zoomAt,
  type Bounds, type Strip, type Viewport,
} from './probeView';
import { shankGroups, shankOfChannel } from './shanks';
import { centreOfMass } from './unitLocation';
import { selectedFocus, unitMarkers } from './unitMarkers';

/** The selected units located by their mean waveforms (one fetch_average_waveform.2 each, as the waveforms view asks); beyond, at their peak channel. */
const MAX_LOCATED_UNITS = 30;

/**
 * The probe (recording_info.3 geom, channel_groups as shanks): wheel zooms about the pointer, a drag
 * pans (or, when the whole probe is in view, draws a selection rectangle; Shift swaps the two),
 * Reset returns to the automatic view (readable electrodes around the selected units, zoomed out as
 * far as needed to show them all; all units when none is selected). Click an electrode to select
 * it (Ctrl toggles); the traces view then shows those channels. Every displayed unit is drawn
 * faintly at its peak channel (units_summary.1), the selected ones in their colours with their ids
 * at the centre of mass of their mean waveform (unitLocation.ts; the peak channel until it is in). A shank's label selects its electrodes (Shift: its units). A tall probe gets an overview
 * strip at the left: click or drag in it to move there.
 */
const TOOLBAR_ROWS_PX = 2 * 30;
const STRIP: { x: number; w: number } = { x: 6, w: 12 };
type DragMode = 'pan' | 'select';

interface Drag { x0: number; y0: number; ctrl: boolean; shift: boolean; start: Viewport; kind: 'pending' | 'pan' | 'select' | 'strip' }

export function ElectrodeGeometryView({ width, height }: ViewProps) {
  const { recordingInfo } = useSortingData();
  const { selection, dispatch, displayedUnitIds } = useSelection();
  const { summary } = useUnitsSummary();
  const [userView, setUserView] = useState<Viewport | null>(null);
  const [dragChoice, setDragChoice] = useState<DragMode | null>(null);
  const [box, setBox] = useState<{ x0: number; y0: number; x1: number; y1: number } | null>(null);
  const dragRef = useRef<Drag | null>(null);
  const wrapRef = useRef<HTMLDivElement>(null);
  const h = Math.max(60, height - TOOLBAR_ROWS_PX);
  const geom = useMemo(() => recordingInfo?.geom ?? [], [recordingInfo]);
  const ids = useMemo(() => recordingInfo?.channel_ids ?? [], [recordingInfo]);
  const bounds = useMemo(() => boundsOf(geom), [geom]);
  const gap = useMemo(() => minElectrodeGap(geom), [geom]);
  const shanks = useMemo(() => shankGroups(ids, recordingInfo?.channel_groups, geom), [ids, recordingInfo, geom]);
  const shankOf = useMemo(() => shankOfChannel(shanks), [shanks]);
  const positionOf = useMemo(() => new Map(ids.map((id, i) => [id, geom[i]] as const)), [ids, geom]);
  const selected = useMemo(() => new Set(selection.selectedElectrodeIds), [selection.selectedElectrodeIds]);
  const selectedUnits = useMemo(() => new Set(selection.selectedUnitIds), [selection.selectedUnitIds]);
  const located = useCentresOfMass(selection.selectedUnitIds.slice(0, MAX_LOCATED_UNITS));
  const markers = useMemo(() => unitMarkers(displayedUnitIds, selectedUnits, (u) => summary?.units[String(u)]?.peak_channel, positionOf, (u) => located.get(u)),
    [displayedUnitIds, selectedUnits, summary, positionOf, located]);
  // The selected units, or (none selected) every unit drawn: the automatic view shows them.
  const focus = useMemo(() => selectedFocus(markers) ?? selectedFocus(markers.map((m) => ({ ...m, selected: true }))), [markers]);
  const focusKey = focus ? `${focus.x},${focus.y},${focus.minY},${focus.maxY}` : '';
  // eslint-disable-next-line react-hooks/exhaustive-deps
  const auto = useMemo(() => autoViewport(bounds, gap, width, h, focus), [bounds, gap, width, h, focusKey]);
  const view = userView ?? auto;
  const limits = useMemo(() => scaleLimits(bounds, gap, width, h), [bounds, gap, width, h]);
  const autoShowsAll = showsAll(auto, bounds, width, h);
  const dragMode: DragMode = dragChoice ?? (autoShowsAll ? 'select' : 'pan');
  const range = visibleRange(view, width, h);
  const strip: Strip | null = range.y[0] > bounds.minY + 1e-6 || range.y[1] < bounds.maxY - 1e-6 ? { top: 10, bottom: h - 10 } : null;
  const radius = Math.max(1.5, Math.min(40, (gap * view.scale) / 2.4));

  // The latest view for the wheel handler (attached once, outside React's passive onWheel).
  const latest = useRef({ view, limits, width, h, bounds });
  latest.current = { view, limits, width, h, bounds };
  useEffect(() => {
    const el = wrapRef.current;
    if (!el) return;
    const onWheel = (e: WheelEvent) => {
      const canvas = el.querySelector('canvas');
      if (!canvas || e.target !== canvas) return;
      e.preventDefault();
      const rect = canvas.getBoundingClientRect();
      const { view: v, limits: lim, width: w, h: hh, bounds: b } = latest.current;
      const factor = Math.exp(-e.deltaY * (e.deltaMode === 1 ? 0.05 : 0.0015));
      setUserView(clampViewport(zoomAt(v, factor, e.clientX - rect.left, e.clientY - rect.top, w, hh, lim), b));
    };
    el.addEventListener('wheel', onWheel, { passive: false });
    return () => el.removeEventListener('wheel', onWheel);
    // The canvas exists once the recording's info is in.
  }, [Boolean(recordingInfo)]); // eslint-disable-line react-hooks/exhaustive-deps

  const bar = scaleBar(view.scale, Math.min(120, width / 4));
  const markersInView = markers.filter((m) => {
    const [px, py] = toPx(view, width, h, m.x, m.y);
    return px >= 0 && px <= width && py >= 0 && py <= h;
  }).length;
  const selectedMarkers = markers.filter((m) => m.selected).map((m) => {
    const [px, py] = toPx(view, width, h, m.x, m.y);
    return { u: m.unitId, ch: m.channelId, x: Math.round(m.x * 10) / 10, y: Math.round(m.y * 10) / 10, px: Math.round(px), py: Math.round(py), slot: m.slot, at: m.at };
  });

  const draw = useCallback((ctx: CanvasRenderingContext2D, w: number, hh: number) => {
    const P = (x: number, y: number) => toPx(view, w, hh, x, y);
    const r = radius;
    // Shanks: outline with a pointed tip, below the electrodes.
    const margin = gap * 0.7;
    for (const s of shanks) {
      const [l, t] = P(s.bounds.minX - margin, s.bounds.maxY + margin);
      const [rr, b] = P(s.bounds.maxX + margin, s.bounds.minY - margin);
      // The tip within the fitted view's padding.
      const tip = Math.min((rr - l) * 0.8, 20);
      ctx.beginPath();
      ctx.moveTo(l, t);
      ctx.lineTo(rr, t);
      ctx.lineTo(rr, b);
      ctx.lineTo((l + rr) / 2, b + tip);
      ctx.lineTo(l, b);
      ctx.closePath();
      ctx.fillStyle = '#f3f5f8';
      ctx.fill();
      ctx.strokeStyle = '#b7c0cc';
      ctx.lineWidth = 1;
      ctx.stroke();
    }
    // Electrodes in view.
    ctx.font = `${Math.max(8, Math.min(12, r * 0.85))}px system-ui, sans-serif`;
    ctx.textAlign = 'center';
    ctx.textBaseline = 'middle';
    for (let i = 0; i < geom.length; i++) {
      const [px, py] = P(geom[i][0], geom[i][1]);
      if (px < -r || px > w + r || py < -r || py > hh + r) continue;
      ctx.beginPath();
      ctx.arc(px, py, r, 0, 2 * Math.PI);
      ctx.fillStyle = selected.has(ids[i]) ? '#2f76c2' : '#dfe4ea';
      ctx.fill();
      if (r >= 3) {
        ctx.strokeStyle = '#7d8896';
        ctx.lineWidth = 1;
        ctx.stroke();
      }
      if (r >= 7) {
        ctx.fillStyle = selected.has(ids[i]) ? '#fff' : '#1d2430';
        ctx.fillText(String(ids[i]), px, py);
      }
    }
    // Units at their peak channels: the others faint, then the selected ones with their ids.
    const mr = Math.max(4, Math.min(14, r * 0.6));
    for (const pass of [false, true]) {
      for (const m of markers) {
        if (m.selected !== pass) continue;
        const [ex, ey] = P(m.x, m.y);
        const px = ex + m.slot * mr * 1.3;
        if (px < -mr || px > w + mr || ey < -mr || ey > hh + mr) continue;
        ctx.globalAlpha = pass ? 1 : 0.5;
        ctx.beginPath();
        ctx.arc(px, ey, mr, 0, 2 * Math.PI);
        ctx.fillStyle = unitColor(m.unitId);
        ctx.fill();
        if (pass) {
          ctx.strokeStyle = '#fff';
          ctx.lineWidth = 1.5;
          ctx.stroke();
        }
        ctx.globalAlpha = 1;
      }
    }
    // The selected units' ids in a column right of their shank, each joined to its marker by a line.
    ctx.font = 'bold 11px system-ui, sans-serif';
    ctx.textAlign = 'left';
    ctx.textBaseline = 'middle';
    let lastY = -Infinity;
    // With no unit selected, every unit's id (fainter), so the map says which is where.
    const noneSelected = !markers.some((m) => m.selected);
    const labelled = markers.filter((m) => m.selected || noneSelected).map((m) => ({ m, p: P(m.x, m.y) })).sort((a, b) => a.p[1] - b.p[1]);
    ctx.globalAlpha = noneSelected ? 0.75 : 1;
    for (const { m, p: [ex, ey] } of labelled) {
      const s = shanks.find((x) => x.group === shankOf.get(m.channelId)) ?? shanks[0];
      const mx = ex + m.slot * mr * 1.3;
      const lx = Math.max(mx + mr + 6, P(s.bounds.maxX + margin, 0)[0] + 10);
      const ly = Math.max(ey, lastY + 13);
      if (ly < -10 || ly > hh + 10) continue;
      lastY = ly;
      ctx.strokeStyle = unitColor(m.unitId);
      ctx.lineWidth = 1;
      ctx.beginPath();
      ctx.moveTo(mx + mr, ey);
      ctx.lineTo(lx - 2, ly);
      ctx.stroke();
      ctx.fillStyle = unitColor(m.unitId);
      ctx.fillText(`unit ${m.unitId} · ch ${m.channelId}`, lx, ly);
    }
    ctx.globalAlpha = 1;
    if (box) {
      ctx.strokeStyle = '#2f76c2';
      ctx.setLineDash([4, 3]);
      ctx.strokeRect(Math.min(box.x0, box.x1), Math.min(box.y0, box.y1), Math.abs(box.x1 - box.x0), Math.abs(box.y1 - box.y0));
      ctx.setLineDash([]);
    }
    if (strip) drawStrip(ctx, strip, bounds, visibleRange(view, w, hh).y, markers.map((m) => ({ y: m.y, color: unitColor(m.unitId), selected: m.selected })));
    if (bar) {
      const x1 = w - 12, y = hh - 10;
      ctx.fillStyle = '#1d2430';
      ctx.fillRect(x1 - bar.px, y - 1, bar.px, 2);
      ctx.fillRect(x1 - bar.px, y - 4, 1, 6);
      ctx.fillRect(x1 - 1, y - 4, 1, 6);
      ctx.font = '10px system-ui, sans-serif';
      ctx.textAlign = 'center';
      ctx.textBaseline = 'bottom';
      ctx.fillText(scaleBarLabel(bar.value, 'um'), x1 - bar.px / 2, y - 4);
    }
  }, [view, radius, gap, shanks, shankOf, geom, ids, selected, markers, box, strip?.top, strip?.bottom, bounds, bar]); // eslint-disable-line react-hooks/exhaustive-deps

  if (!recordingInfo) return <div className="view-message" style={{ width, height }}>Waiting for the recording's info (recording_info.3)…</div>;
  const local = (e: React.PointerEvent) => {
    const rect = e.currentTarget.getBoundingClientRect();
    return [e.clientX - rect.left, e.clientY - rect.top] as const;
  };
  const hit = (x: number, y: number): number | null => {
    let best = -1;
    let bestD = Infinity;
    geom.forEach(([gx, gy], i) => {
      const [px, py] = toPx(view, width, h, gx, gy);
      const d = Math.hypot(px - x, py - y);
      if (d < bestD) { bestD = d; best = i; }
    });
    return best >= 0 && bestD <= radius + 4 ? ids[best] : null;
  };
  const inStrip = (x: number) => strip !== null && x >= STRIP.x - 2 && x <= STRIP.x + STRIP.w + 2;
  const moveToStrip = (y: number) => {
    if (!strip) return;
    setUserView(clampViewport({ ...view, cy: stripY(strip, bounds, Math.min(strip.bottom, Math.max(strip.top, y))) }, bounds));
  };
  const zoomBy = (factor: number) => setUserView(clampViewport(zoomAt(view, factor, width / 2, h / 2, width, h, limits), bounds));
  const selectShank = (group: number, e: React.MouseEvent) => {
    const s = shanks.find((x) => x.group === group);
    if (!s) return;
    if (e.shiftKey) {
      dispatch({ type: 'SET_SELECTED_UNITS', unitIds: displayedUnitIds.filter((u) => { const ch = summary?.units[String(u)]?.peak_channel; return ch != null && shankOf.get(ch) === group; }) });
      return;
    }
    const add = e.ctrlKey || e.metaKey;
    dispatch({ type: 'SET_SELECTED_ELECTRODES', electrodeIds: add ? [...selection.selectedElectrodeIds, ...s.channelIds] : s.channelIds });
  };
  const unitsOnShank = (group: number) => displayedUnitIds.filter((u) => { const ch = summary?.units[String(u)]?.peak_channel; return ch != null && shankOf.get(ch) === group; }).length;
  const fmt = (v: number) => v.toFixed(1);
  return (
    <div style={{ width, height }} data-testid="electrode-geometry">
      <div className="view-toolbar">
        <span id="electrodes-selected">{selection.selectedElectrodeIds.length ? `${selection.selectedElectrodeIds.length} electrodes selected: ${selection.selectedElectrodeIds.slice(0, 24).join(', ')}${selection.selectedElectrodeIds.length > 24 ? ', …' : ''}` : `${ids.length} electrodes; click or drag to select`}</span>
        {selection.selectedElectrodeIds.length ? <button type="button" className="small-button" onClick={() => dispatch({ type: 'SET_SELECTED_ELECTRODES', electrodeIds: [] })}>clear</button> : null}
      </div>
      <div className="view-toolbar">
        <button type="button" className="small-button" id="geometry-zoom-out" title="Zoom out (or the mouse wheel)" onClick={() => zoomBy(1 / 1.5)}>−</button>
        <button type="button" className="small-button" id="geometry-zoom-in" title="Zoom in (or the mouse wheel)" onClick={() => zoomBy(1.5)}>+</button>
        <button type="button" className="small-button" id="geometry-reset" title="Back to the automatic view: the whole probe, or readable electrodes around the selected units" disabled={!userView} onClick={() => setUserView(null)}>reset</button>
        <span className="muted small" id="geometry-range">{range.y[1] - range.y[0] >= bounds.maxY - bounds.minY && range.y[0] <= bounds.minY ? `all ${fmt(bounds.maxY - bounds.minY)} µm shown` : `${fmt(range.y[1] - range.y[0])} of ${fmt(bounds.maxY - bounds.minY)} µm shown`}</span>
        <span className="muted">|</span>
        <span className="small">drag:</span>
        <label><input type="radio" name="geometry-drag" id="geometry-drag-pan" checked={dragMode === 'pan'} onChange={() => setDragChoice('pan')} /> pan</label>
        <label><input type="radio" name="geometry-drag" id="geometry-drag-select" checked={dragMode === 'select'} onChange={() => setDragChoice('select')} /> select</label>
        <span className="muted small" title="Shift-drag does the other">(Shift: other)</span>
        <span className="muted">|</span>
        <span className="muted small" id="geometry-location-legend"
          title={`Selected units (up to ${MAX_LOCATED_UNITS}): the centre of mass of their mean waveform (fetch_average_waveform.2), channel positions weighted by peak-to-peak within 75 µm of the largest, as SpikeInterface's center_of_mass; the others: their peak channel (units_summary.1)`}>
          ● selected units at their centre of mass, others at their peak channel
        </span>
      </div>
      <div ref={wrapRef} style={{ position: 'relative', width, height: h }}>
        <PlotCanvas width={width} height={h} draw={draw} className="geometry-canvas" style={{ touchAction: 'none', cursor: dragMode === 'pan' ? 'grab' : 'crosshair' }}
          title={strip ? 'The strip at the left is the whole probe: click or drag in it to move there' : undefined}
          data-scale={view.scale.toFixed(4)} data-pitch-px={(gap * view.scale).toFixed(1)}
          data-visible-um={[range.x[0], range.x[1], range.y[0], range.y[1]].map(fmt).join(',')}
          data-view={userView ? 'user' : 'auto'} data-drag={dragMode} data-location="peak-channel"
          data-units-drawn={markers.length} data-units-in-view={markersInView} data-selected-markers={JSON.stringify(selectedMarkers)}
          data-scale-bar={bar ? scaleBarLabel(bar.value, 'um') : undefined} data-strip={strip ? 'shown' : 'none'}
          onPointerDown={(e) => {
            e.currentTarget.setPointerCapture(e.pointerId);
            const [x, y] = local(e);
            const kind = inStrip(x) ? 'strip' : 'pending';
            dragRef.current = { x0: x, y0: y, ctrl: e.ctrlKey || e.metaKey, shift: e.shiftKey, start: view, kind };
            if (kind === 'strip') moveToStrip(y);
          }}
          onPointerMove={(e) => {
            const d = dragRef.current;
            if (!d) return;
            const [x, y] = local(e);
            if (d.kind === 'strip') { moveToStrip(y); return; }
            if (d.kind === 'pending') {
              if (Math.abs(x - d.x0) + Math.abs(y - d.y0) <= 4) return;
              d.kind = (dragMode === 'pan') !== d.shift ? 'pan' : 'select';
            }
            if (d.kind === 'pan') setUserView(clampViewport(panBy(d.start, x - d.x0, y - d.y0), bounds));
            else setBox({ x0: d.x0, y0: d.y0, x1: x, y1: y });
          }}
          onPointerUp={(e) => {
            const d = dragRef.current;
            dragRef.current = null;
            if (!d || d.kind === 'strip' || d.kind === 'pan') return;
            const [x, y] = local(e);
            if (d.kind === 'select') {
              const [ax, bx] = [Math.min(d.x0, x), Math.max(d.x0, x)];
              const [ay, by] = [Math.min(d.y0, y), Math.max(d.y0, y)];
              const inside = geom.flatMap(([gx, gy], i) => {
                const [px, py] = toPx(view, width, h, gx, gy);
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
          }}
          onPointerCancel={() => { dragRef.current = null; setBox(null); }} />
        {shanks.map((s) => {
          // Left of the shank's top (the selected units' ids are on its right), kept in view.
          const [left, top] = toPx(view, width, h, s.bounds.minX - gap * 0.7, s.bounds.maxY + gap * 0.7);
          if (left < 0 || left > width + 150) return null;
          const n = unitsOnShank(s.group);
          return (
            <button key={s.group} type="button" className="small-button shank-label" data-shank={s.group} data-channels={s.channelIds.length}
              title={`Click: select the ${s.channelIds.length} electrodes of ${s.label} (Ctrl adds them); Shift-click: select its ${n} units`}
              style={{ position: 'absolute', left: Math.min(width - 4, Math.max(STRIP.x + STRIP.w + 130, left - 6)), top: Math.min(h - 24, Math.max(4, top)), transform: 'translateX(-100%)', whiteSpace: 'nowrap', opacity: 0.92 }}
              onClick={(e) => selectShank(s.group, e)}>
              {s.label} · {n} unit{n === 1 ? '' : 's'}
            </button>
          );
        })}
      </div>
    </div>
  );
}

/** The whole probe's height as a strip at the left: the part in view, and every unit as a tick. */
function drawStrip(ctx: CanvasRenderingContext2D, s: Strip, b: Bounds, yRange: [number, number], ticks: { y: number; color: string; selected: boolean }[]): void {
  ctx.fillStyle = '#eef1f5';
  ctx.fillRect(STRIP.x, s.top, STRIP.w, s.bottom - s.top);
  ctx.strokeStyle = '#b7c0cc';
  ctx.lineWidth = 1;
  ctx.strokeRect(STRIP.x + 0.5, s.top + 0.5, STRIP.w - 1, s.bottom - s.top - 1);
  for (const t of ticks) {
    const y = stripPy(s, b, t.y);
    ctx.globalAlpha = t.selected ? 1 : 0.6;
    ctx.fillStyle = t.color;
    ctx.fillRect(STRIP.x + (t.selected ? 0 : 3), y - (t.selected ? 1.5 : 0.5), t.selected ? STRIP.w : STRIP.w - 6, t.selected ? 3 : 2);
  }
  ctx.globalAlpha = 1;
  const y0 = stripPy(s, b, Math.min(b.maxY, yRange[1]));
  const y1 = stripPy(s, b, Math.max(b.minY, yRange[0]));
  ctx.fillStyle = 'rgba(47, 118, 194, 0.25)';
  ctx.fillRect(STRIP.x - 2, y0, STRIP.w + 4, Math.max(2, y1 - y0));
  ctx.strokeStyle = '#2f76c2';
  ctx.strokeRect(STRIP.x - 2 + 0.5, y0 + 0.5, STRIP.w + 3, Math.max(2, y1 - y0) - 1);
}

/** unit → centre of mass of its mean waveform, for the units whose fetch_average_waveform.2 is in. */
function useCentresOfMass(unitIds: number[]): Map<number, { x: number; y: number }> {
  const { ref } = useSortingData();
  const forTask = useUnitSelectionForTask();
  const specs = useMemo(() => unitIds.map((u) => averageWaveformRequest(ref, forTask(u))), [ref, forTask, unitIds]);
  const recs = useTasks(specs);
  const results = recs.map((r) => finishedResult(r));
  // Finished records never change: which tasks are finished says when the locations do.
  const key = specs.map((sp, i) => (results[i] ? TaskClient.hashOf(sp) : '-')).join(',');
  return useMemo(() => {
    const m = new Map<number, { x: number; y: number }>();
    unitIds.forEach((u, i) => { const r = results[i]; const c = r ? centreOfMass(r) : null; if (c) m.set(u, c); });
    return m;
  }, [key]); // eslint-disable-line react-hooks/exhaustive-deps
}
