import { describe, expect, it } from 'vitest';
import { coarsenMinMax, concatMinMax, minMaxDownsample } from '../../kernels/waveforms';
import { timeseriesDsFactor, timeseriesSegmentSize } from '../contracts/recording';
import { childTiles, isPyramidLevel, MAX_DS_FACTOR, notATile, PYRAMID_DS_FACTORS, tilePairs, tilesCovering, tileSpec } from './pyramid';

const R = `sha1://${'ab'.repeat(20)}/rec.json`;

describe('min/max pyramid', () => {
  it('levels are the powers of 3 the web app zooms by, up to 3^15', () => {
    expect(PYRAMID_DS_FACTORS.slice(0, 4)).toEqual([3, 9, 27, 81]);
    expect(MAX_DS_FACTOR).toBe(14_348_907);
    expect([1, 2, 10, 1_000_000].map(isPyramidLevel)).toEqual([false, false, false, false]);
    // Every ds_factor the web app asks for is 1 or a level, even for a recording of days.
    for (const frames of [100, 30_000, 3e7, 3e9, 3e12]) {
      const ds = timeseriesDsFactor(frames, 1000, 384);
      expect(ds === 1 || isPyramidLevel(ds)).toBe(true);
    }
  });

  it('a tile is the web app\'s segment: the same pairs per channel', () => {
    for (const C of [1, 8, 32, 384, 1000]) expect(tilePairs(C)).toBe(timeseriesSegmentSize(C));
  });

  it('tiles covering a range of pairs', () => {
    // 8 channels: 12 500 pairs per tile.
    expect(tilesCovering(0, 12_500, 8)).toEqual({ first: 0, count: 1 });
    expect(tilesCovering(12_000, 12_501, 8)).toEqual({ first: 0, count: 2 });
    expect(tilesCovering(25_000, 25_001, 8)).toEqual({ first: 2, count: 1 });
    expect(tilesCovering(5, 5, 8).count).toBe(0);
  });

  it('a derived tile is exactly the min/max of its three children (coarsen is exact)', () => {
    const C = 3;
    const N = 3 * 9 * tilePairs(C) + 1234; // the last child is partial
    const traces = Float32Array.from({ length: N * C }, (_, i) => Math.sin(i * 0.37) * 1000 + (i % 17));
    const spec = tileSpec(R, 27, 0, C);
    const children = childTiles(spec, N);
    expect(children.map((c) => [c.dsFactor, c.segment])).toEqual([[9, 0], [9, 1], [9, 2]]);
    const P = tilePairs(C);
    const child = (t: number) => minMaxDownsample(traces.subarray(t * P * 9 * C, Math.min(N, (t + 1) * P * 9) * C), C, 9);
    const derived = coarsenMinMax(concatMinMax(children.map((c) => child(c.segment))), 3);
    expect(derived).toEqual(minMaxDownsample(traces.subarray(0, Math.min(N, P * 27) * C), C, 27));
    // Children past the end of the recording are not asked for.
    expect(childTiles(tileSpec(R, 27, 0, C), 2 * 9 * P)).toHaveLength(2);
  });

  it('the relay refuses minmax specs that are not tiles of the recording, saying what is', () => {
    expect(notATile(tileSpec(R, 81, 0, 8), 8, 1e6)).toBeNull();
    expect(notATile({ ...tileSpec(R, 81, 0, 8), dsFactor: 100 }, 8, 1e6)).toMatch(/not a pyramid level/);
    expect(notATile({ ...tileSpec(R, 81, 0, 8), segmentSize: 1000 }, 8, 1e6)).toMatch(/not this recording's tile size \(12500 pairs on 8 channels\)/);
    expect(notATile(tileSpec(R, 81, 1, 8), 8, 12_500 * 81)).toMatch(/starts past/);
  });
});
