import type { AverageWaveformResult } from '../../../core/tasks/contracts/averageWaveform';

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

interface Slot { x: number; y: number; w: number; h: number }

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
  const ys = Array.from({ length: M }, (_, i) => locations[i * 2 + 1]);
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
