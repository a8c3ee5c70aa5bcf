import { describe, expect, it } from 'vitest';
import { rasterData } from './raster';
import { randomSorting } from './testing/sortings';
import { SpikeTrainInputError } from './trains';

const f64 = (xs: number[]) => Float64Array.from(xs);

describe('rasterData', () => {
  const trains = [f64([0, 10, 20, 30, 40, 50]), f64([]), f64([15, 25, 35, 35])];

  it('returns the spikes in [startFrame, endFrame) in seconds, grouped by unit', () => {
    const r = rasterData({ spikeTrains: trains, sampleRateHz: 10, startFrame: 10, endFrame: 35 });
    expect(Array.from(r.timesSec)).toEqual([1, 2, 3, 1.5, 2.5]);
    expect(Array.from(r.unitIndices)).toEqual([0, 0, 0, 2, 2]);
    expect([r.totalSpikes, r.strideSpikes]).toEqual([5, 1]);
  });

  it('thins by a common stride over absolute spike indices and respects the cap', () => {
    const r = rasterData({ spikeTrains: trains, sampleRateHz: 10, startFrame: 0, endFrame: 100, maxSpikes: 5 });
    // 10 spikes, cap 5: stride 2 keeps indices 0, 2, 4 of unit 0 and 0, 2 of unit 2.
    expect(r.strideSpikes).toBe(2);
    expect(Array.from(r.timesSec)).toEqual([0, 2, 4, 1.5, 3.5]);
    expect(r.totalSpikes).toBe(10);
  });

  it('panning keeps the same spikes for the same stride (no flicker)', () => {
    // Regular trains, so two equally long windows hold the same number of spikes (same stride).
    const regular = [Float64Array.from({ length: 3000 }, (_, i) => 100 * i), Float64Array.from({ length: 2000 }, (_, i) => 7 + 150 * i)];
    const a = rasterData({ spikeTrains: regular, sampleRateHz: 30000, startFrame: 0, endFrame: 30000, maxSpikes: 100 });
    const b = rasterData({ spikeTrains: regular, sampleRateHz: 30000, startFrame: 10000, endFrame: 40000, maxSpikes: 100 });
    expect(a.timesSec.length).toBeLessThanOrEqual(100);
    expect([a.strideSpikes, b.strideSpikes]).toEqual([5, 5]); // 300 + 200 spikes: ceil(300/5) + ceil(200/5) = 100
    const key = (r: typeof a, k: number) => `${r.unitIndices[k]}:${r.timesSec[k]}`;
    const inOverlap = (r: typeof a) => new Set(Array.from(r.timesSec.keys()).filter((k) => r.timesSec[k] * 30000 >= 10000 && r.timesSec[k] * 30000 < 30000).map((k) => key(r, k)));
    expect(inOverlap(a).size).toBeGreaterThan(30);
    expect(inOverlap(a)).toEqual(inOverlap(b));
  });

  it('never exceeds the cap, even with more units than maxSpikes', () => {
    const s = randomSorting(72, 12, 20);
    for (const maxSpikes of [1, 3, 11, 97, 1000]) {
      const r = rasterData({ spikeTrains: s.trains, sampleRateHz: s.sampleRateHz, startFrame: 0, endFrame: s.numFrames, maxSpikes });
      expect(r.timesSec.length).toBeLessThanOrEqual(maxSpikes);
      expect(r.timesSec.length).toBeGreaterThan(0);
    }
  });

  it('rejects unsorted trains and a bad cap', () => {
    expect(() => rasterData({ spikeTrains: [f64([3, 1])], sampleRateHz: 10, startFrame: 0, endFrame: 10 })).toThrow(SpikeTrainInputError);
    expect(() => rasterData({ spikeTrains: trains, sampleRateHz: 10, startFrame: 0, endFrame: 10, maxSpikes: 0 })).toThrow(/maxSpikes/);
  });
});
