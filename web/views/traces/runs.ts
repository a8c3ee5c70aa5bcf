import type { SegmentData } from './WorkerTypes';

/**
 * Neighbouring segments of one zoom level joined into runs, so a channel is one path across segment
 * boundaries. Drawn as one path per segment, the last sample of a segment and the first of the next
 * were never connected: at raw-sample zoom that left a blank sample interval (several pixels) at
 * every seam. Pure.
 */
export interface SegmentRun { dsFactor: number; segments: SegmentData[] }

export const segmentStartFrame = (s: SegmentData): number => s.segmentNum * s.segmentSize * s.dsFactor;
/** Frames a segment's data covers (the last segment of a recording may be short). */
export const segmentFrames = (s: SegmentData): number => (s.dsFactor === 1 ? s.pointsPerChannel : (s.pointsPerChannel / 2) * s.dsFactor);

/**
 * Runs in drawing order: segments of one zoom level (ds_factor and segment size) are sorted and
 * split where a segment is missing; levels keep the order in which `segs` first names them (the
 * stand-in level first, the current one drawn over it).
 */
export function segmentRuns(segs: readonly SegmentData[]): SegmentRun[] {
  const levels = new Map<string, SegmentData[]>();
  for (const s of segs) {
    const k = `${s.dsFactor}/${s.segmentSize}`;
    const list = levels.get(k) ?? [];
    if (!list.some((o) => o.segmentNum === s.segmentNum)) list.push(s);
    levels.set(k, list);
  }
  const runs: SegmentRun[] = [];
  for (const list of levels.values()) {
    list.sort((a, b) => a.segmentNum - b.segmentNum);
    let cur: SegmentData[] = [];
    for (const s of list) {
      if (cur.length && s.segmentNum !== cur[cur.length - 1].segmentNum + 1) {
        runs.push({ dsFactor: cur[0].dsFactor, segments: cur });
        cur = [];
      }
      cur.push(s);
    }
    if (cur.length) runs.push({ dsFactor: cur[0].dsFactor, segments: cur });
  }
  return runs;
}

/**
 * One channel of a run inside [startFrame, endFrame), plus one point beyond each end so the path
 * leaves the plot at its edges: raw samples at ds 1 (`lo` = `hi` = the sample, at its frame), else
 * one point per min/max block at the block's centre frame.
 */
export interface Series { frames: number[]; lo: number[]; hi: number[] }

export function runSeries(run: SegmentRun, channel: number, startFrame: number, endFrame: number): Series {
  const out: Series = { frames: [], lo: [], hi: [] };
  const ds = run.dsFactor;
  for (const s of run.segments) {
    const f0 = segmentStartFrame(s);
    const base = channel * s.pointsPerChannel;
    const n = ds === 1 ? s.pointsPerChannel : s.pointsPerChannel / 2;
    const i0 = Math.max(0, Math.floor((startFrame - f0) / ds) - 1);
    const i1 = Math.min(n, Math.ceil((endFrame - f0) / ds) + 1);
    for (let i = i0; i < i1; i++) {
      if (ds === 1) {
        out.frames.push(f0 + i);
        out.lo.push(s.data[base + i]);
        out.hi.push(s.data[base + i]);
      } else {
        out.frames.push(f0 + (i + 0.5) * ds);
        out.lo.push(s.data[base + 2 * i]);
        out.hi.push(s.data[base + 2 * i + 1]);
      }
    }
  }
  return out;
}

/**
 * The filled min/max band of a channel: the upper edge (y of the maxima) left to right, then the
 * lower edge (y of the minima) right to left, as flat [x0, y0, x1, y1, …]. Screen y grows downward,
 * so yHi ≤ yLo. A band thinner than `minThicknessPx` is widened about its centre, so a flat stretch
 * still shows as a line.
 */
export function envelopePolygon(xs: readonly number[], yLo: readonly number[], yHi: readonly number[], minThicknessPx = 1): number[] {
  const n = xs.length;
  const top = new Array<number>(n);
  const bottom = new Array<number>(n);
  for (let i = 0; i < n; i++) {
    const a = Math.min(yHi[i], yLo[i]);
    const b = Math.max(yHi[i], yLo[i]);
    const pad = Math.max(0, minThicknessPx - (b - a)) / 2;
    top[i] = a - pad;
    bottom[i] = b + pad;
  }
  const out: number[] = [];
  for (let i = 0; i < n; i++) out.push(xs[i], top[i]);
  for (let i = n - 1; i >= 0; i--) out.push(xs[i], bottom[i]);
  return out;
}
