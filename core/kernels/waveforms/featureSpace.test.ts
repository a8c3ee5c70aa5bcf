import { beforeAll, describe, expect, it } from 'vitest';
import { ndarray, runOracleById } from '../../../test/oracles/runOracle';
import { featureRows, featureSpace } from './featureSpace';
import { PCA_MAX_SPIKES, sampleSpikeFrames } from './sampling';
import { makeSnippets } from './snippets';
import { expectClose } from './testing/close';
import { relayGather, synthRecording } from './testing/synth';

describe('feature space by hand', () => {
  it('rows lose their time mean; one PCA over every unit\'s rows; features [spike][channel][pc]', () => {
    // T = 2, C = 2. Unit A: spike [t0: (3, 0), t1: (1, 0)]; unit B: spike [t0: (0, 5), t1: (0, 1)] and [t0: (2, 1), t1: (2, 1)].
    const a = featureRows(makeSnippets(Float64Array.from([3, 0, 1, 0]), 2, 2));
    const b = featureRows(makeSnippets(Float64Array.from([0, 5, 0, 1, 2, 1, 2, 1]), 2, 2));
    expect(Array.from(a.data)).toEqual([1, -1, 0, 0]);
    expect(Array.from(b.data)).toEqual([0, 0, 2, -2, 0, 0, 0, 0]);
    const r = featureSpace([a, b], 2);
    // Rows (1, −1), (0, 0), (0, 0), (2, −2), (0, 0), (0, 0), not centred: PC1 = (−1, 1)/√2 (first of the largest entries negative).
    expectClose(r.components[0], [-Math.SQRT1_2, Math.SQRT1_2], 1e-9);
    expect(Array.from(r.components[1])).toEqual([0, 0]); // rank 1
    // A row (x, −x) projects to −√2·x; a flat channel to 0.
    expectClose(r.features, [-Math.SQRT2, 0, 0, 0, 0, 0, -2 * Math.SQRT2, 0, 0, 0, 0, 0], 1e-6, 1e-7);
    // Mean square along PC1 over the 6 rows, all of their power.
    expect(r.variance[0]).toBeCloseTo((2 + 8) / 6, 12);
    expect(r.varianceRatio[0]).toBeCloseTo(1, 12);
    expect(r.varianceRatio[1]).toBe(0);
    expect(r.fitSpikes).toBe(3);
  });

  it('fits on every stride-th spike when the rows exceed maxFitRows, and still projects every spike', () => {
    const s = makeSnippets(Float64Array.from({ length: 10 * 4 * 1 }, (_, i) => Math.sin(i * 1.7) * (1 + (i % 5))), 4, 1);
    const all = featureSpace([featureRows(s)], 3);
    const strided = featureSpace([featureRows(s)], 3, 4); // 10 rows → stride 3 → spikes 0, 3, 6, 9
    expect(all.fitSpikes).toBe(10);
    expect(strided.fitSpikes).toBe(4);
    expect(strided.features.length).toBe(10 * 3);
    expect(strided.features).not.toEqual(all.features);
  });

  it('units without spikes take no rows; no spike at all gives zero components', () => {
    const empty = featureRows(makeSnippets(new Float64Array(0), 3, 2));
    const one = featureRows(makeSnippets(Float64Array.from([1, 2, 3, 4, 5, 7]), 3, 2));
    expect(featureSpace([empty, one]).features.length).toBe(2 * 3);
    const none = featureSpace([empty]);
    expect(none.features.length).toBe(0);
    expect(Array.from(none.variance)).toEqual([0, 0, 0]);
  });
});

describe('oracle parity (numpy SVD)', () => {
  const F = 150_000;
  const rec = synthRecording({
    seed: 31, numFrames: F, numChannels: 16, dtype: 'float32',
    units: [
      { unitId: 1, peakChannel: 6, amplitude: 200, count: 1200, ampJitter: 0.3 },
      { unitId: 2, peakChannel: 8, amplitude: 150, count: 400, ampJitter: 0.4, width: 1.5 },
      { unitId: 3, peakChannel: 7, amplitude: 120, count: 300, secondary: { peakChannel: 10, amplitude: 40, width: 2 } },
    ],
  });
  const snippetLen = [30, 50] as const;
  const cols = [6, 8, 7, 5, 9, 10];
  const frames = (u: number) => sampleSpikeFrames(rec.units[u - 1].times, u, F, snippetLen, PCA_MAX_SPIKES);
  const rows = (u: number) => featureRows(relayGather(rec, frames(u), snippetLen, cols));
  let out: Record<string, any>;
  beforeAll(() => {
    const traces = ndarray(rec.traces, [F, 16]);
    const units = [1, 2, 3].map((u) => ({ times: [rec.units[u - 1].times], unitIds: [u] }));
    const base = { op: 'feature_space', traces, numFrames: F, snippetLen, maxSpikes: PCA_MAX_SPIKES, cols, k: 3, units };
    // The runner's script names list waveforms and spike_trains; it runs any <name>.py beside it.
    out = runOracleById('feature_space', [{ id: 'all', ...base, maxFitRows: 30_000 }, { id: 'strided', ...base, maxFitRows: 5_000 }]);
  });
  for (const id of ['all', 'strided'] as const) {
    it(`features, components, explained variance (${id === 'all' ? 'fitted on every spike' : 'fitted on every 3rd spike'})`, () => {
      const r = featureSpace([1, 2, 3].map(rows), 3, id === 'all' ? 30_000 : 5_000);
      const o = out[id];
      expect([1, 2, 3].map((u) => frames(u).length)).toEqual(o.counts);
      expect(o.counts[0]).toBe(PCA_MAX_SPIKES);
      expect(r.fitSpikes).toBe(o.fitSpikes);
      if (id === 'strided') expect(r.fitSpikes).toBeLessThan(1700 / 2);
      const scale = Math.max(...o.features.map(Math.abs));
      expectClose(r.features, o.features, 1e-3, 1e-5 * scale);
      o.components.forEach((c: number[], j: number) => expectClose(r.components[j], c, 1e-4, 1e-6));
      expectClose(r.variance, o.variance, 1e-5);
      expectClose(r.varianceRatio, o.varianceRatio, 1e-5);
      expect(r.varianceRatio[0]).toBeGreaterThan(r.varianceRatio[1]);
    });
  }
});
