import { beforeAll, describe, expect, it } from 'vitest';
import { amplitudeFramesToGather, amplitudeWindow, spikeAmplitudes } from './amplitudes';
import { peakChannelIndex } from './channels';
import { AVERAGE_WAVEFORM_MAX_SPIKES, sampleSpikeFrames } from './sampling';
import { makeSnippets, meanSnippet } from './snippets';
import { expectClose } from './testing/close';
import { ndarray, runOracleById } from '../../../test/oracles/runOracle';
import { relayGather, synthRecording } from './testing/synth';

describe('amplitudeWindow by hand', () => {
  const wave = [0, 0, 0, -10, -4, 2, 5, 1, 0, 0]; // spike frame at index 3 (before = 3)
  it('spans the trough and the rebound, padded', () => {
    // trough 3, rebound 6, pad 1 → indices 2..7 → frames [t − 1, t + 5)
    expect(amplitudeWindow(wave, 3, { padSamples: 1 })).toEqual({ before: 1, after: 5 });
  });
  it('does the same for positive-going spikes', () => {
    expect(amplitudeWindow(wave.map((v) => -v), 3, { padSamples: 1 })).toEqual({ before: 1, after: 5 });
  });
  it('always contains the spike frame, and stays inside the snippet', () => {
    expect(amplitudeWindow([0, 0, 0, 0, 0, -10, 5, 0, 0, 0], 1, { padSamples: 1 })).toEqual({ before: 0, after: 7 });
    expect(amplitudeWindow([-10, 5, 0, 0], 0, { padSamples: 3 })).toEqual({ before: 0, after: 4 });
  });
  it('looks for the second extreme only within maxSpanSamples of the first', () => {
    const far = new Array(60).fill(0);
    far[3] = -10; far[5] = 2; far[50] = 6;
    expect(amplitudeWindow(far, 3, { padSamples: 0, maxSpanSamples: 10 })).toEqual({ before: 0, after: 3 });
    expect(amplitudeWindow(far, 3, { padSamples: 0, maxSpanSamples: 60 })).toEqual({ before: 0, after: 48 });
  });
});

describe('spikeAmplitudes by hand', () => {
  it('is the peak-to-peak of each spike window, in time order, edge spikes excluded', () => {
    const window = { before: 1, after: 2 };
    const times = Float64Array.from([5, 1, 9]); // 9's window [8, 11) leaves a 10-frame recording
    const frames = amplitudeFramesToGather(times, 10, window);
    expect(Array.from(frames)).toEqual([1, 5]);
    const gathered = makeSnippets(Int16Array.from([3, -2, 4, 0, 1, 0]), 3, 1);
    const r = spikeAmplitudes({ times, numFrames: 10, window, gatheredFrames: frames, gathered, scale: { gainUvPerBit: 2 } });
    expect(Array.from(r.timepoints.data)).toEqual([1, 5]);
    expect(Array.from(r.amplitudes.data)).toEqual([12, 2]);
    expect(r.units).toBe('uV');
  });
  it('an empty unit has no amplitudes, and a wrong gather is an error', () => {
    const window = { before: 1, after: 2 };
    const empty = makeSnippets(new Int16Array(0), 3, 1);
    const r = spikeAmplitudes({ times: new Float64Array(0), numFrames: 10, window, gatheredFrames: new Float64Array(0), gathered: empty });
    expect(r.amplitudes.shape).toEqual([0]);
    expect(() => spikeAmplitudes({ times: Float64Array.from([5]), numFrames: 10, window, gatheredFrames: new Float64Array(0), gathered: empty }))
      .toThrow(/not among the gathered/);
  });
});

describe('oracle parity', () => {
  const F = 50_000;
  const rec = synthRecording({
    seed: 8, numFrames: F, numChannels: 12, dtype: 'int16',
    units: [
      { unitId: 1, peakChannel: 4, amplitude: 180, count: 900, extraTimes: [0, 2, F - 1, F - 3] },
      { unitId: 2, peakChannel: 9, amplitude: 90, count: 300, width: 2 },
    ],
  });
  const snippetLen = [50, 80] as const;
  const cols = Array.from({ length: 12 }, (_, i) => i);
  let out: Record<string, any>;
  beforeAll(() => {
    const traces = ndarray(rec.traces, [F, 12]);
    out = runOracleById('waveforms', rec.units.map((u) => ({
      id: `u${u.unitId}`, op: 'amplitudes', traces, times: [u.times], unitIds: [u.unitId], numFrames: F,
      snippetLen, maxSpikes: AVERAGE_WAVEFORM_MAX_SPIKES, cols, pad: 2, span: 32, gain: 0.195,
    })));
  });
  it('the worker pipeline (template → window → few-sample gather → ptp) matches numpy', () => {
    for (const u of rec.units) {
      const o = out[`u${u.unitId}`];
      const sample = sampleSpikeFrames(u.times, u.unitId, F, snippetLen, AVERAGE_WAVEFORM_MAX_SPIKES);
      const mean = meanSnippet(relayGather(rec, sample, snippetLen));
      const peak = peakChannelIndex(mean, 130, 12);
      expect(peak).toBe(o.peakColumn);
      const window = amplitudeWindow(Array.from({ length: 130 }, (_, t) => mean[t * 12 + peak]), snippetLen[0]);
      expect([window.before, window.after]).toEqual(o.window);
      expect(window.before + window.after).toBeLessThan(40);
      const frames = amplitudeFramesToGather(u.times, F, window);
      const gathered = relayGather(rec, frames, [window.before, window.after], [peak]);
      const r = spikeAmplitudes({ times: u.times, numFrames: F, window, gatheredFrames: frames, gathered, scale: { gainUvPerBit: 0.195 } });
      expect(Array.from(r.timepoints.data)).toEqual(o.timepoints);
      expectClose(r.amplitudes.data, o.amplitudes, 1e-6);
    }
  });
});
