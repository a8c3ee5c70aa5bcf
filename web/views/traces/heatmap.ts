import { segmentFrames, segmentStartFrame } from './runs';
import type { SegmentData } from './WorkerTypes';

/**
 * The heat-map mode of the traces view (spikeinterface-gui's TraceMap, phy's TraceImageView): one
 * image row per channel, one column per device pixel, colour = signed amplitude about the channel's
 * mean on a diverging colormap. Pure: the drawing code only copies `heatmapRgba` into an ImageData.
 */

/** Where a column's values are: value indices [i0, i1) of one segment (min and max interleaved above ds 1). */
interface Span { seg: SegmentData; i0: number; i1: number }

/**
 * The spans of each of `cols` columns over [startFrame, endFrame). A column takes the zoom level of
 * the segment that holds its centre (the last named wins: the current level is named after the
 * stand-in one), and every segment of that level it overlaps, so an extreme at a seam is never
 * dropped. A column with no value of its own (raw samples wider than a pixel) takes the sample (or
 * block) its centre lies in; a column no segment covers stays empty (a missing segment shows as a gap).
 */
export function columnSpans(segs: readonly SegmentData[], startFrame: number, endFrame: number, cols: number): Span[][] {
  const span = Math.max(1, endFrame - startFrame) / cols;
  const out: Span[][] = [];
  for (let c = 0; c < cols; c++) {
    const fa = startFrame + c * span;
    const fb = fa + span;
    const centre = fa + span / 2;
    let home: SegmentData | undefined;
    for (let k = segs.length - 1; k >= 0 && !home; k--) {
      const s = segs[k];
      const f0 = segmentStartFrame(s);
      if (centre >= f0 && centre < f0 + segmentFrames(s)) home = s;
    }
    const spans: Span[] = [];
    if (home) {
      for (const s of segs) {
        if (s.dsFactor !== home.dsFactor || s.segmentSize !== home.segmentSize) continue;
        const f0 = segmentStartFrame(s);
        const n = s.dsFactor === 1 ? s.pointsPerChannel : s.pointsPerChannel / 2;
        // Points (samples, or blocks) overlapping [fa, fb).
        const p0 = Math.max(0, s.dsFactor === 1 ? Math.ceil(fa - f0) : Math.floor((fa - f0) / s.dsFactor));
        const p1 = Math.min(n, Math.ceil((fb - f0) / s.dsFactor));
        if (p1 > p0) spans.push({ seg: s, i0: s.dsFactor === 1 ? p0 : 2 * p0, i1: s.dsFactor === 1 ? p1 : 2 * p1 });
      }
      if (!spans.length) {
        const f0 = segmentStartFrame(home);
        const n = home.dsFactor === 1 ? home.pointsPerChannel : home.pointsPerChannel / 2;
        const p = Math.min(n - 1, Math.max(0, Math.floor((centre - f0) / home.dsFactor)));
        spans.push({ seg: home, i0: home.dsFactor === 1 ? p : 2 * p, i1: home.dsFactor === 1 ? p + 1 : 2 * p + 2 });
      }
    }
    out.push(spans);
  }
  return out;
}

/**
 * Cells [rows][cols], row r = channel `channels[r]`: the value farthest from the channel's mean in
 * the column's spans, minus that mean (so a spike's trough stays negative however it is reduced),
 * NaN where no segment covers the column. The mean is over the visible values, as in lines mode
 * (raw data carries DC offsets).
 */
export function heatmapCells(spans: readonly Span[][], channels: readonly number[]): { cells: Float32Array; valuesRead: number } {
  const cols = spans.length;
  const rows = channels.length;
  const cells = new Float32Array(rows * cols).fill(NaN);
  let valuesRead = 0;
  for (let r = 0; r < rows; r++) {
    const ch = channels[r];
    let sum = 0;
    let n = 0;
    for (const col of spans) {
      for (const { seg, i0, i1 } of col) {
        const base = ch * seg.pointsPerChannel;
        for (let i = i0; i < i1; i++) sum += seg.data[base + i];
        n += i1 - i0;
      }
    }
    const mean = n ? sum / n : 0;
    valuesRead += n;
    for (let c = 0; c < cols; c++) {
      let best = NaN;
      let bestAbs = -1;
      for (const { seg, i0, i1 } of spans[c]) {
        const base = ch * seg.pointsPerChannel;
        for (let i = i0; i < i1; i++) {
          const v = seg.data[base + i] - mean;
          const a = Math.abs(v);
          if (a > bestAbs) { bestAbs = a; best = v; }
        }
      }
      cells[r * cols + c] = best;
    }
  }
  return { cells, valuesRead };
}

/**
 * 99.9 %: at 99 % (looked at on the demo's Neuropixels data) the noise itself spanned the colormap and
 * hid the spikes; with 1 cell in 1000 saturating, noise is pale and spikes stand out.
 */
export const HEATMAP_QUANTILE = 0.999;

/**
 * The colour scale's half-range: the `quantile` of |value| over the finite cells (robust: a few
 * large spikes saturate instead of washing the noise out to white). Estimated from at most
 * `maxSamples` evenly strided cells. Never 0 (a flat recording draws white, not NaN colours).
 */
export function robustLimit(cells: Float32Array, quantile = HEATMAP_QUANTILE, maxSamples = 65_536): number {
  const stride = Math.max(1, Math.floor(cells.length / maxSamples));
  const abs: number[] = [];
  for (let i = 0; i < cells.length; i += stride) if (Number.isFinite(cells[i])) abs.push(Math.abs(cells[i]));
  if (!abs.length) return 1;
  abs.sort((a, b) => a - b);
  const v = abs[Math.min(abs.length - 1, Math.floor(quantile * (abs.length - 1) + 0.5))];
  return v > 0 ? v : abs[abs.length - 1] > 0 ? abs[abs.length - 1] : 1;
}

/** ColorBrewer RdBu (11 classes) reversed: blue for negative (troughs), white at 0, red for positive. */
const RD_BU: readonly [number, number, number][] = [
  [5, 48, 97], [33, 102, 172], [67, 147, 195], [146, 197, 222], [209, 229, 240], [247, 247, 247],
  [253, 219, 199], [244, 165, 130], [214, 96, 77], [178, 24, 43], [103, 0, 31],
];

/** 256 RGB entries interpolated along RD_BU; entry 0 = −limit, 255 = +limit. */
export const DIVERGING_LUT: Uint8ClampedArray = (() => {
  const lut = new Uint8ClampedArray(256 * 3);
  for (let i = 0; i < 256; i++) {
    const t = (i / 255) * (RD_BU.length - 1);
    const k = Math.min(RD_BU.length - 2, Math.floor(t));
    const f = t - k;
    for (let j = 0; j < 3; j++) lut[3 * i + j] = Math.round(RD_BU[k][j] * (1 - f) + RD_BU[k + 1][j] * f);
  }
  return lut;
})();

/** LUT index of a value: −limit and below → 0, 0 → 127.5 (rounded), +limit and above → 255. */
export const lutIndex = (v: number, limit: number): number => Math.round((Math.max(-1, Math.min(1, v / limit)) + 1) * 127.5);

/** RGBA pixels of the cells ([rows][cols], as an ImageData of width cols); empty (NaN) cells are white. */
export function heatmapRgba(cells: Float32Array, limit: number): Uint8ClampedArray {
  const px = new Uint8ClampedArray(cells.length * 4);
  for (let i = 0; i < cells.length; i++) {
    const v = cells[i];
    const o = 4 * i;
    if (Number.isNaN(v)) {
      px[o] = px[o + 1] = px[o + 2] = 255;
    } else {
      const k = 3 * lutIndex(v, limit);
      px[o] = DIVERGING_LUT[k];
      px[o + 1] = DIVERGING_LUT[k + 1];
      px[o + 2] = DIVERGING_LUT[k + 2];
    }
    px[o + 3] = 255;
  }
  return px;
}
