import { describe, expect, it } from 'vitest';
import { envelopePolygon, runSeries, segmentRuns } from './runs';
import type { SegmentData } from './WorkerTypes';

/** A raw (ds 1) segment of 2 channels and `size` frames: channel c at frame f holds 100·c + f. */
function raw(segmentNum: number, size = 4): SegmentData {
  const data = new Float32Array(2 * size);
  for (let c = 0; c < 2; c++) for (let i = 0; i < size; i++) data[c * size + i] = 100 * c + segmentNum * size + i;
  return { key: `r${segmentNum}`, dsFactor: 1, segmentNum, segmentSize: size, numChannels: 2, pointsPerChannel: size, data };
}

/** A ds-3 segment of 1 channel and 2 blocks: (min, max) = (−b, b) of block b counted from frame 0. */
function minmax(segmentNum: number): SegmentData {
  const b0 = segmentNum * 2;
  return { key: `m${segmentNum}`, dsFactor: 3, segmentNum, segmentSize: 2, numChannels: 1, pointsPerChannel: 4, data: Float32Array.from([-b0, b0, -(b0 + 1), b0 + 1]) };
}

describe('segment runs', () => {
  it('joins neighbouring segments of one level, whatever order they arrive in', () => {
    const runs = segmentRuns([raw(2), raw(0), raw(1)]);
    expect(runs).toHaveLength(1);
    expect(runs[0].segments.map((s) => s.segmentNum)).toEqual([0, 1, 2]);
  });

  it('splits where a segment is missing and keeps levels apart, stand-ins first', () => {
    const runs = segmentRuns([minmax(0), raw(0), raw(1), raw(3), minmax(1)]);
    expect(runs.map((r) => [r.dsFactor, r.segments.map((s) => s.segmentNum)])).toEqual([[3, [0, 1]], [1, [0, 1]], [1, [3]]]);
  });

  it('a raw series crosses the seam without a gap: every frame once, in order', () => {
    const [run] = segmentRuns([raw(0), raw(1)]);
    const s = runSeries(run, 1, 2, 7);
    // [2, 7) plus one frame beyond each end, across the seam at frame 4.
    expect(s.frames).toEqual([1, 2, 3, 4, 5, 6, 7]);
    expect(s.lo).toEqual([101, 102, 103, 104, 105, 106, 107]);
    expect(s.hi).toEqual(s.lo);
  });

  it('a min/max series has one point per block at its centre frame', () => {
    const [run] = segmentRuns([minmax(0), minmax(1)]);
    const s = runSeries(run, 0, 0, 12);
    expect(s.frames).toEqual([1.5, 4.5, 7.5, 10.5]);
    expect(s.lo).toEqual([-0, -1, -2, -3]);
    expect(s.hi).toEqual([0, 1, 2, 3]);
  });
});

describe('envelope polygon', () => {
  it('runs along the maxima left to right, back along the minima', () => {
    // Screen y: the max is above (smaller y) the min.
    expect(envelopePolygon([0, 10, 20], [50, 60, 55], [40, 30, 45])).toEqual([0, 40, 10, 30, 20, 45, 20, 55, 10, 60, 0, 50]);
  });

  it('widens a flat stretch to the minimum thickness about its centre', () => {
    expect(envelopePolygon([0, 1], [10, 20], [10, 10], 2)).toEqual([0, 9, 1, 10, 1, 20, 0, 11]);
  });
});
