import { beforeAll, describe, expect, it } from 'vitest';
import { MAD_TO_SIGMA } from './channels';
import { peakChannels, unitPeakChannel } from './peakChannels';
import { AVERAGE_WAVEFORM_MAX_SPIKES, sampleSpikeFrames } from './sampling';
import { makeSnippets } from './snippets';
import { unitSnr, unitSnrs } from './snr';
import { ndarray, runOracleById } from '../../../test/oracles/runOracle';
import { relayGather, synthRecording } from './testing/synth';

describe('unitSnr by hand', () => {
  // One channel, T = 2, spikes [1, 4], [0, 2], [−1, 0]: mean [0, 2] (ptp 2);
  // |residuals| = 1 2 0 0 1 2, median 1, noise 1/0.6745, so snr = 2·0.6745.
  const s = makeSnippets(Float32Array.from([1, 4, 0, 2, -1, 0]), 2, 1);
  it('is peak-channel ptp of the mean over MAD/0.6745 of the residuals there', () => {
    expect(unitSnr(s)).toBeCloseTo(2 * MAD_TO_SIGMA, 12);
  });
  it('uses a given per-channel noise level instead, when asked', () => {
    expect(unitSnr(s, { noiseLevels: [4] })).toBe(0.5);
  });
  it('is scale-free: a gain does not change it', () => {
    const scaled = makeSnippets(Float32Array.from([1, 4, 0, 2, -1, 0], (v) => v * 0.195), 2, 1);
    expect(unitSnr(scaled)).toBeCloseTo(2 * MAD_TO_SIGMA, 6);
  });
  it('is null when undefined: no spikes, a single spike (no residual), a flat channel', () => {
    expect(unitSnr(makeSnippets(new Float32Array(0), 2, 1))).toBeNull();
    expect(unitSnr(makeSnippets(Float32Array.from([1, 4]), 2, 1))).toBeNull();
    expect(unitSnr(makeSnippets(Float32Array.from([7, 7, 7, 7]), 2, 1))).toBeNull();
  });
  it('maps units to {id: snr}', () => {
    expect(unitSnrs([{ unitId: 3, snippets: s, channelIds: [1] }])).toEqual({ 3: unitSnr(s) });
  });
});

describe('unitPeakChannel by hand', () => {
  it('returns the channel id with the largest ptp of the mean, first on ties', () => {
    // [T=2][C=3]: ptp = [2, 6, 6] → column 1 → id 20.
    const s = makeSnippets(Int16Array.from([0, 3, 0, 2, -3, 6]), 2, 3);
    expect(unitPeakChannel(s, [10, 20, 30])).toBe(20);
    expect(unitPeakChannel(makeSnippets(new Int16Array(0), 2, 3), [10, 20, 30])).toBeNull();
    expect(peakChannels([{ unitId: 7, snippets: s, channelIds: [10, 20, 30] }])).toEqual({ 7: 20 });
    expect(() => unitPeakChannel(s, [1])).toThrow(/channel ids/);
  });
});

describe('oracle parity', () => {
  const F = 30_000;
  const rec = synthRecording({
    seed: 5, numFrames: F, numChannels: 16, dtype: 'float32', flatChannel: 2,
    units: [
      { unitId: 1, peakChannel: 3, amplitude: 250, count: 700, extraTimes: [0, F - 1] },
      { unitId: 2, peakChannel: 12, amplitude: 40, count: 200 },
      { unitId: 3, peakChannel: 8, amplitude: 100, count: 0, extraTimes: [1000, 9000] },
    ],
  });
  const snippetLen = [50, 80] as const;
  const cols = Array.from({ length: 16 }, (_, i) => i);
  const nb = [3, 1, 2, 5, 4, 7, 0, 6];
  let out: Record<string, any>;
  beforeAll(() => {
    const traces = ndarray(rec.traces, [F, 16]);
    const times = new Map(rec.units.map((u) => [u.unitId, u.times]));
    out = runOracleById('waveforms', [
      ...rec.units.map((u) => ({ id: `u${u.unitId}`, cols })),
      { id: 'nb1', unitId: 1, cols: nb },
    ].map((c) => {
      const unitId = 'unitId' in c ? c.unitId : Number(c.id.slice(1));
      return {
        id: c.id, op: 'snr', traces, times: [times.get(unitId)], unitIds: [unitId], numFrames: F,
        snippetLen, maxSpikes: AVERAGE_WAVEFORM_MAX_SPIKES, cols: c.cols, channelIds: rec.channelIds,
      };
    }));
  });
  const run = (unitId: number, c: number[]) => {
    const frames = sampleSpikeFrames(rec.units[unitId - 1].times, unitId, F, snippetLen, AVERAGE_WAVEFORM_MAX_SPIKES);
    const snippets = relayGather(rec, frames, snippetLen, c);
    return { snr: unitSnr(snippets), peak: unitPeakChannel(snippets, c.map((i) => rec.channelIds[i])) };
  };
  it('SNR and peak channel agree with numpy for every unit', () => {
    for (const u of rec.units) {
      const mine = run(u.unitId, cols);
      const o = out[`u${u.unitId}`];
      expect(mine.peak).toBe(o.peak);
      expect(mine.snr).not.toBeNull();
      expect(Math.abs(mine.snr! - o.snr)).toBeLessThanOrEqual(1e-9 * o.snr);
    }
    const mine = run(1, nb);
    expect(mine.peak).toBe(out.nb1.peak);
    expect(mine.snr).toBeCloseTo(out.nb1.snr, 9);
  });
  it('a big unit has a higher SNR than a small one, and its peak is where it was planted', () => {
    expect(out.u1.snr).toBeGreaterThan(out.u2.snr);
    expect(out.u1.peak).toBe(rec.channelIds[3]);
  });
});
