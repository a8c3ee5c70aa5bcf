import { ndarray, type NdArray } from '../../protocol/ndarray';
import type { SampleArray } from './snippets';

/**
 * get_timeseries_segment.1: segment `segmentNum` of a trace view at downsampling `dsFactor` covers
 * raw frames [segmentNum·segmentSize·dsFactor, (segmentNum+1)·segmentSize·dsFactor), clipped to the
 * recording. With dsFactor 1 it is the traces, f32 [M][frames]; with dsFactor > 1 it is f32
 * [M][2·blocks] of interleaved (min, max) pairs, one pair per block of dsFactor frames.
 *
 * Departure from 2021: at the end of the recording 2021 dropped the last partial block
 * (t2 = floor(numFrames/ds)·ds); we keep it, its min/max taken over the frames that exist, so a
 * spike in the last few frames is still drawn. A segment wholly past the end is empty.
 */
export function timeseriesSegmentFrames(numFrames: number, dsFactor: number, segmentNum: number, segmentSize: number):
  { startFrame: number; endFrame: number; numBlocks: number } {
  if (!Number.isInteger(dsFactor) || dsFactor < 1) throw new RangeError(`ds_factor must be a positive integer, got ${dsFactor}`);
  const span = segmentSize * dsFactor;
  const startFrame = Math.min(segmentNum * span, numFrames);
  const endFrame = Math.min((segmentNum + 1) * span, numFrames);
  return { startFrame, endFrame, numBlocks: Math.ceil((endFrame - startFrame) / dsFactor) };
}

/** Traces `[frames][C]` to the channel-major f32 [C][frames] of a dsFactor-1 segment. */
export function channelMajor(traces: SampleArray, numChannels: number): NdArray<'float32'> {
  const nF = numChannels > 0 ? traces.length / numChannels : 0;
  const out = new Float32Array(traces.length);
  for (let f = 0; f < nF; f++) for (let c = 0; c < numChannels; c++) out[c * nF + f] = traces[f * numChannels + c];
  return ndarray('float32', [numChannels, nF], out);
}

/**
 * Interleaved min/max of traces `[frames][C]` per block of dsFactor frames, the first block starting
 * at the first frame: f32 [C][2·ceil(frames/dsFactor)], out[c][2b] = min and out[c][2b+1] = max.
 */
export function minMaxDownsample(traces: SampleArray, numChannels: number, dsFactor: number): NdArray<'float32'> {
  const C = numChannels;
  const nF = C > 0 ? traces.length / C : 0;
  const nB = Math.ceil(nF / dsFactor);
  const out = new Float32Array(C * 2 * nB);
  for (let c = 0; c < C; c++) {
    for (let b = 0; b < nB; b++) {
      let lo = Infinity;
      let hi = -Infinity;
      const end = Math.min(nF, (b + 1) * dsFactor);
      for (let f = b * dsFactor; f < end; f++) {
        const v = traces[f * C + c];
        if (v < lo) lo = v;
        if (v > hi) hi = v;
      }
      out[c * 2 * nB + 2 * b] = lo;
      out[c * 2 * nB + 2 * b + 1] = hi;
    }
  }
  return ndarray('float32', [C, 2 * nB], out);
}

/**
 * A coarser pyramid level from a finer one: blocks of `factor` consecutive (min, max) pairs become
 * one pair, the min of their mins and the max of their maxes (the last block may be partial). Exact:
 * coarsen(minMaxDownsample(x, d), k) equals minMaxDownsample(x, d·k) when both start on the same frame.
 * `fine` is f32 [C][2·n] as minMaxDownsample returns it.
 */
export function coarsenMinMax(fine: NdArray<'float32'>, factor: number): NdArray<'float32'> {
  if (!Number.isInteger(factor) || factor < 1) throw new RangeError(`coarsenMinMax: factor must be a positive integer, got ${factor}`);
  const [C, twoN] = fine.shape;
  const n = twoN / 2;
  const nB = Math.ceil(n / factor);
  const out = new Float32Array(C * 2 * nB);
  for (let c = 0; c < C; c++) {
    for (let b = 0; b < nB; b++) {
      let lo = Infinity;
      let hi = -Infinity;
      for (let i = b * factor; i < Math.min(n, (b + 1) * factor); i++) {
        lo = Math.min(lo, fine.data[c * twoN + 2 * i]);
        hi = Math.max(hi, fine.data[c * twoN + 2 * i + 1]);
      }
      out[c * 2 * nB + 2 * b] = lo;
      out[c * 2 * nB + 2 * b + 1] = hi;
    }
  }
  return ndarray('float32', [C, 2 * nB], out);
}

/**
 * The segments of the finer level (dsFactor/factor) that make up segment `segmentNum` of the
 * coarser one, at the same segmentSize: `factor` consecutive ones, starting at segmentNum·factor.
 * Concatenate their pairs along time, then `coarsenMinMax` by `factor`.
 */
export function finerSegments(segmentNum: number, factor: number): { first: number; count: number } {
  return { first: segmentNum * factor, count: factor };
}

/** Concatenate [C][2·n_i] min/max levels along time (consecutive segments of one level). */
export function concatMinMax(parts: readonly NdArray<'float32'>[]): NdArray<'float32'> {
  const C = parts[0]?.shape[0] ?? 0;
  const total = parts.reduce((n, p) => n + p.shape[1], 0);
  const out = new Float32Array(C * total);
  let off = 0;
  for (const p of parts) {
    const w = p.shape[1];
    for (let c = 0; c < C; c++) out.set(p.data.subarray(c * w, (c + 1) * w), c * total + off);
    off += w;
  }
  return ndarray('float32', [C, total], out);
}
