import { describe, expect, it } from 'vitest';
import { columnSpans, DIVERGING_LUT, heatmapCells, heatmapRgba, lutIndex, robustLimit } from './heatmap';
import type { SegmentData } from './WorkerTypes';

const seg = (o: Partial<SegmentData> & Pick<SegmentData, 'dsFactor' | 'segmentNum' | 'segmentSize' | 'numChannels' | 'pointsPerChannel' | 'data'>): SegmentData =>
  ({ key: `${o.dsFactor}/${o.segmentNum}`, ...o });

describe('heat-map cells', () => {
  it('raw samples wider than a pixel: each column takes its nearest sample, across the seam (no empty column)', () => {
    // Two raw segments of 2 frames, 1 channel: frames 0..3 hold 1, 3, 5, 7 (mean 4).
    const a = seg({ dsFactor: 1, segmentNum: 0, segmentSize: 2, numChannels: 1, pointsPerChannel: 2, data: Float32Array.from([1, 3]) });
    const b = seg({ dsFactor: 1, segmentNum: 1, segmentSize: 2, numChannels: 1, pointsPerChannel: 2, data: Float32Array.from([5, 7]) });
    const spans = columnSpans([a, b], 0, 4, 8);
    const { cells } = heatmapCells(spans, [0]);
    expect(Array.from(cells)).toEqual([-3, -3, -1, -1, 1, 1, 3, 3]);
  });

  it('min/max blocks: keeps the extreme farthest from the mean, with its sign', () => {
    // ds 3, 2 blocks per column: (min, max) pairs (−10, 1), (−1, 2) | (−1, 1), (−2, 9). Mean = −1/8.
    const s = seg({ dsFactor: 3, segmentNum: 0, segmentSize: 4, numChannels: 1, pointsPerChannel: 8, data: Float32Array.from([-10, 1, -1, 2, -1, 1, -2, 9]) });
    const { cells } = heatmapCells(columnSpans([s], 0, 12, 2), [0]);
    expect(cells[0]).toBeCloseTo(-10 + 1 / 8, 6);
    expect(cells[1]).toBeCloseTo(9 + 1 / 8, 6);
  });

  it('rows follow the channel order given; columns no segment covers are empty (NaN)', () => {
    const s = seg({ dsFactor: 1, segmentNum: 0, segmentSize: 2, numChannels: 2, pointsPerChannel: 2, data: Float32Array.from([0, 2, 10, 30]) });
    const { cells } = heatmapCells(columnSpans([s], 0, 4, 4), [1, 0]);
    expect(Array.from(cells.subarray(0, 2))).toEqual([-10, 10]);
    expect(Array.from(cells.subarray(4, 6))).toEqual([-1, 1]);
    expect(Number.isNaN(cells[2]) && Number.isNaN(cells[3]) && Number.isNaN(cells[7])).toBe(true);
  });

  it('a column at a seam of min/max segments sees the blocks of both segments', () => {
    const a = seg({ dsFactor: 3, segmentNum: 0, segmentSize: 1, numChannels: 1, pointsPerChannel: 2, data: Float32Array.from([-1, 1]) });
    const b = seg({ dsFactor: 3, segmentNum: 1, segmentSize: 1, numChannels: 1, pointsPerChannel: 2, data: Float32Array.from([-50, 1]) });
    // One column over frames [0, 6): its centre (3) is in b, a's block is also inside it.
    const spans = columnSpans([a, b], 0, 6, 1);
    expect(spans[0].map((x) => x.seg.segmentNum)).toEqual([0, 1]);
  });

  it('the current level is preferred over a stand-in where both cover a column', () => {
    const old = seg({ dsFactor: 3, segmentNum: 0, segmentSize: 10, numChannels: 1, pointsPerChannel: 20, data: new Float32Array(20).fill(5) });
    const cur = seg({ dsFactor: 1, segmentNum: 0, segmentSize: 10, numChannels: 1, pointsPerChannel: 10, data: new Float32Array(10) });
    const spans = columnSpans([old, cur], 0, 10, 5);
    expect(spans.every((c) => c.length === 1 && c[0].seg === cur)).toBe(true);
    // Past the current level's 10 frames, the stand-in (30 frames) still fills the column.
    expect(columnSpans([old, cur], 0, 30, 3)[2][0].seg).toBe(old);
  });
});

describe('heat-map colour scale', () => {
  it('is the 99th percentile of |value|, so a few spikes saturate and the noise keeps its contrast', () => {
    const cells = new Float32Array(1000);
    for (let i = 0; i < 1000; i++) cells[i] = (i % 2 ? 1 : -1) * (i % 100) / 100; // |v| in [0, 0.99]
    cells[0] = -1000;
    cells[1] = NaN;
    expect(robustLimit(cells, 0.99)).toBeCloseTo(0.99, 6);
    // The default quantile (99.9 %) of these 1000 cells is the 999th smallest |value|.
    expect(robustLimit(cells)).toBeCloseTo(0.99, 6);
  });

  it('is never 0 (a flat recording), and 1 when nothing is drawn', () => {
    expect(robustLimit(new Float32Array(100))).toBe(1);
    expect(robustLimit(Float32Array.from([0, 0, 0, 5]), 0.5)).toBe(5);
    expect(robustLimit(new Float32Array([NaN]))).toBe(1);
  });

  it('maps −limit → blue, 0 → near white, +limit → red, clamping beyond; empty cells white', () => {
    expect(lutIndex(-2, 1)).toBe(0);
    expect(lutIndex(0, 1)).toBe(128);
    expect(lutIndex(1, 1)).toBe(255);
    const px = heatmapRgba(Float32Array.from([-1, 0, 1, NaN]), 1);
    const rgb = (i: number) => Array.from(px.subarray(4 * i, 4 * i + 3));
    expect(rgb(0)[2]).toBeGreaterThan(rgb(0)[0]);
    expect(Math.min(...rgb(1))).toBeGreaterThan(230);
    expect(rgb(2)[0]).toBeGreaterThan(rgb(2)[2]);
    expect(rgb(3)).toEqual([255, 255, 255]);
    expect(Array.from(DIVERGING_LUT.subarray(0, 3))).toEqual([5, 48, 97]);
  });
});
