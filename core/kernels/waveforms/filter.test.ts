import { beforeAll, describe, expect, it } from 'vitest';
import { butterBandpassSos } from './butterworth';
import { designBandpass, filterBlock, filterBlockFor, filterContextFrames, filterSegment, sosfiltZi } from './filter';
import { expectClose } from './testing/close';
import { ndarray, runOracleById } from '../../../test/oracles/runOracle';
import { synthRecording } from './testing/synth';

describe('design by hand', () => {
  it('defaults: 300–6000 Hz, order 5 → 5 sections, gain in the first, scipy padlen 33', () => {
    const f = designBandpass(30000);
    expect(f.numSections).toBe(5);
    expect(f.padLen).toBe(33);
    expect(f.sos[3]).toBe(1);
    // Band-pass: every section has a zero at z = 1 or z = −1 pairs; DC gain is 0.
    let dc = 1;
    for (let s = 0; s < 5; s++) dc *= (f.sos[s * 6] + f.sos[s * 6 + 1] + f.sos[s * 6 + 2]) / (1 + f.sos[s * 6 + 4] + f.sos[s * 6 + 5]);
    expect(Math.abs(dc)).toBeLessThan(1e-12);
  });
  it('context frames follow the slowest pole, ~31 ms at any rate', () => {
    const c30 = designBandpass(30000).contextFrames;
    expect(c30).toBeGreaterThan(850);
    expect(c30).toBeLessThan(950);
    expect(designBandpass(20000).contextFrames).toBeLessThan(c30);
    expect(filterContextFrames(Float64Array.from([1, 0, 0, 1, 0, 0]))).toBe(0);
  });
  it('refuses impossible bands', () => {
    expect(() => butterBandpassSos(5, 300, 16000, 30000)).toThrow(/fs\/2/);
    expect(() => butterBandpassSos(0, 300, 6000, 30000)).toThrow(/order/);
  });
  it('sosfilt_zi of a pass-through section is zero, of a one-pole low-pass the step state', () => {
    expect(Array.from(sosfiltZi(Float64Array.from([1, 0, 0, 1, 0, 0])))).toEqual([0, 0]);
    // y[n] = 0.5·x[n] + 0.5·y[n−1]: unit DC gain; steady state z0 = b1 − a1·y = 0 + 0.5·1.
    expect(Array.from(sosfiltZi(Float64Array.from([0.5, 0, 0, 1, -0.5, 0])))).toEqual([0.5, 0]);
  });
  it('a constant input (a flat channel with a DC offset) filters to zero, without transient', () => {
    const f = designBandpass(30000);
    const out = filterBlock(f, Int16Array.from({ length: 4000 }, () => 1234), 2, 0, 2000);
    expect(Math.max(...Array.from(out, Math.abs))).toBeLessThan(1e-6);
  });
  it('handles recordings shorter than the odd-extension length', () => {
    const f = designBandpass(30000);
    expect(filterBlock(f, Float32Array.from([1, 2, 3, 4, 5]), 1, 0, 5).length).toBe(5);
    expect(filterBlock(f, Float32Array.from([1]), 1, 0, 1).length).toBe(1);
    expect(filterBlock(f, new Float32Array(0), 1, 0, 0).length).toBe(0);
  });
});

describe('oracle parity (scipy.signal.butter + sosfiltfilt)', () => {
  const designs = [
    { order: 5, fmin: 300, fmax: 6000, fs: 30000 },
    { order: 4, fmin: 300, fmax: 6000, fs: 30000 },
    { order: 3, fmin: 300, fmax: 6000, fs: 20000 },
    { order: 5, fmin: 300, fmax: 6000, fs: 32000 },
    { order: 2, fmin: 500, fmax: 3000, fs: 10000 },
    { order: 1, fmin: 300, fmax: 6000, fs: 30000 },
    { order: 6, fmin: 250, fmax: 7500, fs: 25000 },
  ];
  const F = 60_000;
  const C = 4;
  const rec = synthRecording({ seed: 4, numFrames: F, numChannels: C, units: [{ unitId: 1, peakChannel: 1, amplitude: 300, count: 200 }] });
  // Add slow drift (5 Hz, 200 bits) so the high-pass edge has work to do; keep int16 like a raw file.
  const traces = Int16Array.from(rec.traces, (v, i) => v + Math.round(200 * Math.sin((2 * Math.PI * 5 * Math.floor(i / C)) / 30000)));
  let out: Record<string, any>;
  beforeAll(() => {
    out = runOracleById('waveforms', [
      ...designs.map((d, i) => ({ id: `d${i}`, op: 'butter', ...d })),
      { id: 'full', op: 'filtfilt', traces: ndarray(traces, [F, C]), order: 5, fmin: 300, fmax: 6000, fs: 30000 },
    ]);
  });
  it('coefficients, section order and zi match scipy (to 1e-9, well within 1e-6)', () => {
    designs.forEach((d, i) => {
      const f = designBandpass(d.fs, { order: d.order, freqMinHz: d.fmin, freqMaxHz: d.fmax });
      expect(f.numSections).toBe(out[`d${i}`].sos.length);
      expectClose(f.sos, out[`d${i}`].sos, 1e-9);
      expectClose(f.zi, out[`d${i}`].zi, 1e-9);
      expect(f.contextFrames).toBe(Math.ceil(Math.log(1e-7) / Math.log(out[`d${i}`].maxPoleRadius)));
    });
  });
  it('filtering the whole recording equals sosfiltfilt', () => {
    const f = designBandpass(30000);
    expectClose(filterBlock(f, traces, C, 0, F), out.full.data, 1e-6);
  });
  it('segments filtered separately, with their context, join without seams', () => {
    const f = designBandpass(30000);
    const joined = new Float32Array(F * C);
    for (let start = 0; start < F; start += 7000) {
      const end = Math.min(F, start + 7000);
      const { blockStartFrame, blockEndFrame } = filterBlockFor(start, end, F, f.contextFrames);
      const block = traces.subarray(blockStartFrame * C, blockEndFrame * C);
      joined.set(filterSegment(f, block, C, blockStartFrame, F, start, end), start * C);
    }
    // float32 rounding (6e-8) plus the seam error (~3e-8) stay below 2e-7 of the peak.
    expectClose(joined, out.full.data, 2e-7);
    // Without context the seams show.
    const naive = new Float32Array(F * C);
    for (let start = 0; start < F; start += 7000) {
      const end = Math.min(F, start + 7000);
      naive.set(filterBlock(f, traces.subarray(start * C, end * C), C, start, F), start * C);
    }
    expect(() => expectClose(naive, out.full.data, 1e-4)).toThrow();
  });
});
