import type { AverageWaveformResult } from '../../../core/tasks/contracts/averageWaveform';
import { scaleBar, scaleBarLabel, type ScaleBar } from '../common/scaleBar';
import { indexInSet, type ChannelSet } from './overlay';

export interface WaveformStyle {
  mode: 'geom' | 'vertical';
  /** Amplitude (in the waveform's units) that spans one channel slot. */
  referenceAmplitude: number;
  ampScaleFactor: number;
  color: string;
  lineWidth?: number;
  /** Channels drawn highlighted (selected electrodes). */
  highlightChannelIds?: ReadonlySet<number>;
}

export interface Slot { x: number; y: number; w: number; h: number }

/** Where each channel's trace goes in a w×h box: at its electrode (geom) or stacked (vertical). */
export function channelSlots(locations: ArrayLike<number>, M: number, w: number, h: number, mode: 'geom' | 'vertical'): Slot[] {
  const pad = 6;
  if (mode === 'vertical' || M === 1) {
    const order = Array.from({ length: M }, (_, i) => i).sort((a, b) => locations[b * 2 + 1] - locations[a * 2 + 1] || locations[a * 2] - locations[b * 2]);
    const rowH = (h - 2 * pad) / M;
    const slots: Slot[] = new Array(M);
    order.forEach((ch, k) => { slots[ch] = { x: pad, y: pad + k * rowH, w: w - 2 * pad, h: rowH }; });
    return slots;
  }
  const xs = Array.from({ length: M }, (_, i) => locations[i * 2]);
  // Empty stretches of probe between the channels (an overlay of distant units) shrink to two rows.
  const ys = compressGaps(Array.from({ length: M }, (_, i) => locations[i * 2 + 1]));
  const minX = Math.min(...xs), maxX = Math.max(...xs), minY = Math.min(...ys), maxY = Math.max(...ys);
  const distinct = (v: number[]) => [...new Set(v.map((x) => Math.round(x * 1000) / 1000))].sort((a, b) => a - b);
  const gap = (v: number[]) => { const d = distinct(v); let g = Infinity; for (let i = 1; i < d.length; i++) g = Math.min(g, d[i] - d[i - 1]); return g; };
  const gx = gap(xs), gy = gap(ys);
  const spanX = maxX - minX, spanY = maxY - minY;
  // Slot size in probe units: the smallest gap between electrode columns / rows.
  const sx = Number.isFinite(gx) ? gx : Math.max(spanY / 4, 10);
  const sy = Number.isFinite(gy) ? gy : Math.max(spanX / 4, 10);
  // x and y scale independently: probes are tall and narrow, waveforms need width.
  const scaleX = (w - 2 * pad) / (spanX + sx);
  const scaleY = (h - 2 * pad) / (spanY + sy);
  return xs.map((x, i) => ({
    // Probe y grows upwards (tip at the bottom): flip it.
    x: pad + (x - minX) * scaleX, y: pad + (maxY - ys[i]) * scaleY, w: sx * scaleX * 0.9, h: sy * scaleY,
  }));
}

/**
 * y positions with every gap between neighbouring rows longer than twice the smallest one shortened
 * to that: channels far apart on the probe stay in order without the empty probe between them.
 */
export function compressGaps(ys: readonly number[]): number[] {
  const rows = [...new Set(ys)].sort((a, b) => a - b);
  if (rows.length < 3) return [...ys];
  let minGap = Infinity;
  for (let i = 1; i < rows.length; i++) minGap = Math.min(minGap, rows[i] - rows[i - 1]);
  const maxGap = 2 * minGap;
  const mapped = new Map<number, number>([[rows[0], rows[0]]]);
  for (let i = 1; i < rows.length; i++) mapped.set(rows[i], mapped.get(rows[i - 1])! + Math.min(rows[i] - rows[i - 1], maxGap));
  return ys.map((y) => mapped.get(y)!);
}

/** Draws one unit's mean waveform on its channels into the w×h box. */
export function drawWaveform(ctx: CanvasRenderingContext2D, w: number, h: number, r: AverageWaveformResult, style: WaveformStyle): void {
  const [M, T] = r.average_waveform.shape;
  const data = r.average_waveform.data;
  const ids = r.channel_ids.data;
  const slots = channelSlots(r.channel_locations.data, M, w, h, style.mode);
  for (let m = 0; m < M; m++) {
    const s = slots[m];
    if (style.highlightChannelIds?.has(ids[m])) {
      ctx.fillStyle = 'rgba(255, 200, 0, 0.18)';
      ctx.fillRect(s.x, s.y, s.w, s.h);
    }
    const yScale = (s.h / style.referenceAmplitude) * style.ampScaleFactor;
    const mid = s.y + s.h / 2;
    ctx.beginPath();
    for (let t = 0; t < T; t++) {
      const x = s.x + (t / Math.max(1, T - 1)) * s.w;
      const y = mid - data[m * T + t] * yScale;
      if (t === 0) ctx.moveTo(x, y);
      else ctx.lineTo(x, y);
    }
    ctx.strokeStyle = style.color;
    ctx.lineWidth = style.lineWidth ?? 1.2;
    ctx.stroke();
  }
}

/** The amplitude that fills one channel slot: 10× the noise (same units as the waveforms), else the waveform's own peak-to-peak. */
export function referenceAmplitude(r: AverageWaveformResult, noiseLevelRaw: number | null, gainUvPerBit: number | null): number {
  if (noiseLevelRaw && noiseLevelRaw > 0) {
    const noise = r.units === 'uV' && gainUvPerBit ? noiseLevelRaw * gainUvPerBit : noiseLevelRaw;
    return 8 * noise;
  }
  const d = r.average_waveform.data;
  let lo = Infinity, hi = -Infinity;
  for (const v of d) { if (v < lo) lo = v; if (v > hi) hi = v; }
  return Math.max(1e-9, hi - lo);
}

/** Width kept at the right of a waveform panel for the amplitude scale bar and its label. */
const SCALE_BAR_COLUMN_PX = 26;

/** Pixels per waveform unit (µV or raw) in a slot of height `slotH`. */
export const pxPerUnit = (slotH: number, referenceAmplitude: number, ampScaleFactor: number) => (slotH / referenceAmplitude) * ampScaleFactor;

/** The amplitude scale bar of a panel: a round value at most 1.5 slot heights (and the panel) long. */
export function amplitudeScaleBar(slotH: number, panelH: number, referenceAmplitude: number, ampScaleFactor: number): ScaleBar | null {
  const maxPx = Math.min(panelH - 24, Math.max(40, slotH * 1.5));
  return scaleBar(pxPerUnit(slotH, referenceAmplitude, ampScaleFactor), maxPx);
}

export interface WaveformTrace {
  /** [M][T] flattened, on `channelIds`. */
  data: ArrayLike<number>;
  T: number;
  channelIds: ArrayLike<number>;
  color: string;
}

export interface PanelStyle {
  mode: 'geom' | 'vertical';
  referenceAmplitude: number;
  ampScaleFactor: number;
  /** What the values are in: µV, or the recording's raw units when it has no gain. */
  units: 'uV' | 'raw';
  highlightChannelIds?: ReadonlySet<number>;
}

/** What a panel drew, for its canvas's data attributes (tests and tools read them). */
export interface PanelDrawn {
  scaleBar: (ScaleBar & { label: string }) | null;
  /** The channels the panel shows, in the set's order. */
  channelIds: number[];
  /** Whether each channel's id is written beside its trace (not when the slots are too small). */
  channelLabels: boolean;
}

/**
 * One panel: the traces of one or more units on a set of channels (one unit's, or the union of an
 * overlay's), each channel's id at the top left of its slot, and a vertical amplitude scale bar with
 * its value at the right.
 */
export function drawWaveformPanel(ctx: CanvasRenderingContext2D, w: number, h: number, set: ChannelSet, traces: readonly WaveformTrace[], style: PanelStyle): PanelDrawn {
  const M = set.ids.length;
  const plotW = Math.max(10, w - SCALE_BAR_COLUMN_PX);
  const slots = channelSlots(set.locations, M, plotW, h, style.mode);
  const slotH = slots.length ? Math.min(...slots.map((s) => s.h)) : 0;
  const slotW = slots.length ? Math.min(...slots.map((s) => s.w)) : 0;
  for (let m = 0; m < M; m++) {
    if (style.highlightChannelIds?.has(set.ids[m])) {
      const s = slots[m];
      ctx.fillStyle = 'rgba(255, 200, 0, 0.18)';
      ctx.fillRect(s.x, s.y, s.w, s.h);
    }
  }
  const labels = slotH >= 11 && slotW >= 16;
  if (labels) {
    ctx.font = `${Math.min(11, Math.max(8, Math.floor(slotH / 3)))}px system-ui, sans-serif`;
    ctx.fillStyle = '#8a94a3';
    ctx.textAlign = 'left';
    ctx.textBaseline = 'top';
    for (let m = 0; m < M; m++) ctx.fillText(String(set.ids[m]), slots[m].x + 1, slots[m].y + 1);
  }
  for (const tr of traces) {
    const at = indexInSet(set, tr.channelIds);
    for (let m = 0; m < at.length; m++) {
      const s = slots[at[m]];
      if (!s) continue;
      const yScale = pxPerUnit(s.h, style.referenceAmplitude, style.ampScaleFactor);
      const mid = s.y + s.h / 2;
      ctx.beginPath();
      for (let t = 0; t < tr.T; t++) {
        const x = s.x + (t / Math.max(1, tr.T - 1)) * s.w;
        const y = mid - tr.data[m * tr.T + t] * yScale;
        if (t === 0) ctx.moveTo(x, y);
        else ctx.lineTo(x, y);
      }
      ctx.strokeStyle = tr.color;
      ctx.lineWidth = 1.2;
      ctx.stroke();
    }
  }
  const bar = M ? amplitudeScaleBar(slotH, h, style.referenceAmplitude, style.ampScaleFactor) : null;
  let drawnBar: PanelDrawn['scaleBar'] = null;
  if (bar) {
    const label = scaleBarLabel(bar.value, style.units);
    const x = w - 6;
    const y1 = h - 6;
    ctx.fillStyle = '#1d2430';
    ctx.fillRect(x - 1, y1 - bar.px, 2, bar.px);
    ctx.fillRect(x - 4, y1 - bar.px, 6, 1);
    ctx.fillRect(x - 4, y1 - 1, 6, 1);
    // The label (about 6 px per character) centred on the bar, inside the panel.
    const half = label.length * 3 + 2;
    ctx.save();
    ctx.translate(x - 7, Math.max(half, Math.min(h - half, y1 - bar.px / 2)));
    ctx.rotate(-Math.PI / 2);
    ctx.font = '10px system-ui, sans-serif';
    ctx.textAlign = 'center';
    ctx.textBaseline = 'bottom';
    ctx.fillText(label, 0, 0);
    ctx.restore();
    drawnBar = { ...bar, label };
  }
  return { scaleBar: drawnBar, channelIds: set.ids, channelLabels: labels };
}
