import { beforeAll, describe, expect, it } from 'vitest';
import { mulberry32 } from './prng';
import { templateSimilarity, type Template } from './templateSimilarity';
import { expectClose } from './testing/close';
import { runOracleById } from '../../../test/oracles/runOracle';
import { spikeShape } from './testing/synth';

const sim = (ts: Template[], maxLagSamples = 0) => {
  const r = templateSimilarity(ts, { maxLagSamples });
  return (i: number, j: number) => r.data[i * ts.length + j];
};

describe('templateSimilarity by hand', () => {
  const a = [1, -3, 2, 0, /**/ 0, 1, 0, 0]; // channels 4, 5; T = 4
  it('is 1 for identical templates, −1 for opposite ones, whatever their DC offsets', () => {
    const s = sim([
      { channelIds: [4, 5], waveform: a },
      { channelIds: [4, 5], waveform: a.map((v, i) => v + (i < 4 ? 100 : -7)) },
      { channelIds: [4, 5], waveform: a.map((v) => -v) },
    ]);
    expect(s(0, 0)).toBeCloseTo(1, 6);
    expect(s(0, 1)).toBeCloseTo(1, 6);
    expect(s(0, 2)).toBeCloseTo(-1, 6);
  });
  it('compares on the union of channels, a missing channel counting as zeros', () => {
    // Unit A on (4, 5), unit B on (5, 6) with A's channel-5 row and its own row on 6.
    const b6 = [0, 2, -2, 0];
    const s = sim([{ channelIds: [4, 5], waveform: a }, { channelIds: [5, 6], waveform: [...a.slice(4), ...b6] }]);
    const c = (xs: number[]) => { const m = xs.reduce((p, v) => p + v, 0) / xs.length; return xs.map((v) => v - m); };
    const dot = (x: number[], y: number[]) => x.reduce((p, v, i) => p + v * y[i], 0);
    const a4 = c(a.slice(0, 4)), a5 = c(a.slice(4)), cb6 = c(b6);
    const expected = dot(a5, a5) / Math.sqrt((dot(a4, a4) + dot(a5, a5)) * (dot(a5, a5) + dot(cb6, cb6)));
    expect(s(0, 1)).toBeCloseTo(expected, 6);
    expect(s(1, 0)).toBe(s(0, 1));
    // Disjoint channels: nothing in common.
    expect(sim([{ channelIds: [4, 5], waveform: a }, { channelIds: [8], waveform: b6 }])(0, 1)).toBe(0);
  });
  it('with maxLagSamples, a shifted copy is found; without, it is not', () => {
    const T = 40;
    const w = Array.from({ length: T }, (_, t) => (t < 30 ? spikeShape(t - 10) : 0));
    const shifted = Array.from({ length: T }, (_, t) => (t >= 2 ? w[t - 2] : 0));
    const ts = [{ channelIds: [1], waveform: w }, { channelIds: [1], waveform: shifted }];
    expect(sim(ts, 0)(0, 1)).toBeLessThan(0.9);
    expect(sim(ts, 2)(0, 1)).toBeCloseTo(1, 6);
    expect(sim(ts, 2)(1, 0)).toBe(sim(ts, 2)(0, 1));
  });
  it('a flat template is similar to nothing, not even itself; templates must share T', () => {
    const s = sim([{ channelIds: [4, 5], waveform: [3, 3, 3, 3, 0, 0, 0, 0] }, { channelIds: [4, 5], waveform: a }]);
    expect([s(0, 0), s(0, 1), s(1, 1)]).toEqual([0, 0, 1]);
    expect(() => templateSimilarity([{ channelIds: [1], waveform: [1, 2] }, { channelIds: [1], waveform: [1, 2, 3] }])).toThrow(/differ in length/);
    expect(templateSimilarity([]).shape).toEqual([0, 0]);
  });
});

describe('oracle parity', () => {
  const rand = mulberry32(77);
  const T = 130;
  const templates: Template[] = Array.from({ length: 7 }, (_, k) => {
    const first = Math.floor(rand() * 10);
    const channelIds = Array.from({ length: 6 + (k % 4) }, (_, m) => 2 * (first + m));
    const shift = Math.floor(rand() * 5) - 2;
    const waveform = channelIds.flatMap((_, m) =>
      Array.from({ length: T }, (_, t) => 100 * Math.exp(-m / 3) * spikeShape(t - 50 - shift) + 5 * (rand() - 0.5) + 30 * m));
    return { channelIds, waveform };
  });
  let out: Record<string, any>;
  beforeAll(() => {
    out = runOracleById('waveforms', [0, 3].map((maxLag) => ({ id: `lag${maxLag}`, op: 'similarity', templates, T, maxLag })));
  });
  it('matches numpy with and without lags', () => {
    for (const maxLag of [0, 3]) {
      const r = templateSimilarity(templates, { maxLagSamples: maxLag });
      expect(r.shape).toEqual([7, 7]);
      expectClose(r.data, out[`lag${maxLag}`], 1e-6);
    }
  });
});
