import { beforeAll, describe, expect, it } from 'vitest';
import { fnv1a32, mulberry32, seedForUnits } from './prng';
import {
  AVERAGE_WAVEFORM_MAX_SPIKES, framesToGather, PCA_MAX_SPIKES, rowsForFrames, sampleSpikeFrames, unionTrains, windowInside,
} from './sampling';
import { runOracleById } from '../../../test/oracles/runOracle';

const f64 = (xs: number[]) => Float64Array.from(xs);

describe('seeds', () => {
  it('FNV-1a matches the published test vectors', () => {
    expect(fnv1a32('')).toBe(0x811c9dc5);
    expect(fnv1a32('a')).toBe(0xe40c292c);
    expect(fnv1a32('foobar')).toBe(0xbf9cf968);
  });
  it('a merge group seeds the same whatever the order of its members', () => {
    expect(seedForUnits([7, 3])).toBe(seedForUnits([3, 7, 3]));
    expect(seedForUnits(3)).toBe(fnv1a32('3'));
    expect(seedForUnits([3, 7])).toBe(fnv1a32('3,7'));
  });
  it('mulberry32 is uniform in [0, 1) and reproducible', () => {
    const a = mulberry32(42);
    const b = mulberry32(42);
    const xs = Array.from({ length: 1000 }, () => a());
    expect(xs).toEqual(Array.from({ length: 1000 }, () => b()));
    expect(Math.min(...xs)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...xs)).toBeLessThan(1);
    expect(Math.abs(xs.reduce((s, v) => s + v, 0) / 1000 - 0.5)).toBeLessThan(0.05);
  });
});

describe('sampleSpikeFrames', () => {
  it('excludes spikes whose window [t − before, t + after) leaves [0, numFrames)', () => {
    expect(windowInside(10, 100, [10, 20])).toBe(true);
    expect(windowInside(9, 100, [10, 20])).toBe(false);
    expect(windowInside(80, 100, [10, 20])).toBe(true);
    expect(windowInside(81, 100, [10, 20])).toBe(false);
    expect(Array.from(sampleSpikeFrames(f64([99, 50, 0, 10, 80, 81, 30]), 1, 100, [10, 20], 500))).toEqual([10, 30, 50, 80]);
  });
  it('returns all eligible spikes, sorted, when there are at most N; none for an empty unit', () => {
    expect(Array.from(sampleSpikeFrames(f64([40, 20, 30]), 1, 100, [10, 20], 3))).toEqual([20, 30, 40]);
    expect(sampleSpikeFrames(f64([]), 1, 100, [10, 20], 3).length).toBe(0);
    expect(sampleSpikeFrames(f64([0, 99]), 1, 100, [10, 20], 3).length).toBe(0);
  });
  it('picks N distinct spikes, deterministically per unit id, and the 500-sample is inside the 1000-sample', () => {
    const times = Float64Array.from({ length: 5000 }, (_, i) => 100 + 7 * i);
    const s500 = sampleSpikeFrames(times, 4, 1e6, [50, 80], AVERAGE_WAVEFORM_MAX_SPIKES);
    const s1000 = sampleSpikeFrames(times, 4, 1e6, [50, 80], PCA_MAX_SPIKES);
    expect(s500.length).toBe(500);
    expect(new Set(s500).size).toBe(500);
    expect(Array.from(s500)).toEqual([...s500].sort((a, b) => a - b));
    expect(Array.from(sampleSpikeFrames(times, 4, 1e6, [50, 80], 500))).toEqual(Array.from(s500));
    expect(Array.from(sampleSpikeFrames(times, 5, 1e6, [50, 80], 500))).not.toEqual(Array.from(s500));
    const big = new Set(s1000);
    expect(Array.from(s500).every((t) => big.has(t))).toBe(true);
  });
  it('keeps duplicate frames of a merge group (both units spiked there)', () => {
    const merged = unionTrains([f64([30, 20]), f64([20, 40])]);
    expect(Array.from(merged)).toEqual([20, 20, 30, 40]);
    expect(Array.from(sampleSpikeFrames(merged, [1, 2], 100, [10, 20], 10))).toEqual([20, 20, 30, 40]);
  });
});

describe('framesToGather / rowsForFrames', () => {
  it('gathers the sorted unique union and maps each unit back to its rows', () => {
    const { frames, perUnit } = framesToGather([
      { unitId: 1, times: f64([50, 20, 95]) },
      { unitId: [2, 3], times: f64([20, 60]) },
      { unitId: 4, times: f64([]) },
    ], 100, [10, 5], 10);
    expect(Array.from(frames)).toEqual([20, 50, 60, 95]);
    expect(perUnit.map((p) => Array.from(p))).toEqual([[20, 50, 95], [20, 60], []]);
    expect(Array.from(rowsForFrames(frames, perUnit[1]))).toEqual([0, 2]);
    expect(() => rowsForFrames(frames, f64([21]))).toThrow(/not among the gathered/);
  });
});

describe('oracle parity (mulberry32 + partial Fisher–Yates re-implemented in numpy)', () => {
  const numFrames = 3_000_000;
  const rand = mulberry32(99);
  const trains = [
    { unitIds: [1], times: Float64Array.from({ length: 4000 }, () => Math.floor(rand() * numFrames)) },
    { unitIds: [12], times: Float64Array.from({ length: 1200 }, () => Math.floor(rand() * numFrames)) },
    { unitIds: [3, 8], times: Float64Array.from({ length: 700 }, () => Math.floor(rand() * numFrames)) },
    { unitIds: [-5], times: Float64Array.from({ length: 90 }, () => Math.floor(rand() * numFrames)) },
  ];
  trains[0].times.set([0, 49, 50, numFrames - 80, numFrames - 79, numFrames - 1], 0);
  const Ns = [AVERAGE_WAVEFORM_MAX_SPIKES, PCA_MAX_SPIKES, 100];
  let out: Record<string, any>;
  beforeAll(() => {
    out = runOracleById('waveforms', trains.flatMap((t, i) => Ns.map((N) => ({
      id: `u${i}_${N}`, op: 'sample', times: t.times, unitIds: t.unitIds, numFrames, before: 50, after: 80, maxSpikes: N,
    }))));
  });
  it('picks exactly the same spikes', () => {
    trains.forEach((t, i) => {
      for (const N of Ns) {
        const unitId = t.unitIds.length === 1 ? t.unitIds[0] : t.unitIds;
        expect(Array.from(sampleSpikeFrames(t.times, unitId, numFrames, [50, 80], N))).toEqual(out[`u${i}_${N}`]);
      }
    });
  });
});
