import { beforeAll, describe, expect, it } from 'vitest';
import { averageWaveform } from './averageWaveform';
import { EmptyUnitError } from './errors';
import { AVERAGE_WAVEFORM_MAX_SPIKES, sampleSpikeFrames, unionTrains } from './sampling';
import { extractSnippets, makeSnippets, meanSnippet, selectSnippets } from './snippets';
import { expectClose } from './testing/close';
import { ndarray, runOracleById } from '../../../test/oracles/runOracle';
import { recordingGeometry, relayGather, synthRecording } from './testing/synth';

describe('snippets', () => {
  // 6 frames × 2 channels: value = 10·frame + channel.
  const traces = Int16Array.from({ length: 12 }, (_, i) => 10 * Math.floor(i / 2) + (i % 2));
  it('cuts [spikes][before+after][channels] windows out of a block, on a channel subset', () => {
    const s = extractSnippets(traces, 2, 0, [1, 4], [1, 2], [1]);
    expect([s.numSpikes, s.numSamples, s.numChannels]).toEqual([2, 3, 1]);
    expect(Array.from(s.data)).toEqual([1, 11, 21, 31, 41, 51]);
    expect(s.data).toBeInstanceOf(Int16Array);
  });
  it('refuses windows that leave the block instead of zero-padding them', () => {
    expect(() => extractSnippets(traces, 2, 0, [0], [1, 2])).toThrow(/leaves the block/);
    expect(() => extractSnippets(traces, 2, 100, [104], [1, 3])).toThrow(/leaves the block/);
    expect(Array.from(extractSnippets(traces, 2, 100, [104], [1, 1], [0]).data)).toEqual([30, 40]);
  });
  it('averages in float64 and selects rows and columns', () => {
    const s = makeSnippets(Int16Array.from([32000, 1, 32000, 3]), 1, 2);
    expect(Array.from(meanSnippet(s))).toEqual([32000, 2]);
    expect(Array.from(selectSnippets(s, [1], [1]).data)).toEqual([3]);
    expect(() => meanSnippet(makeSnippets(new Int16Array(0), 1, 2), 'Unit 9')).toThrow(EmptyUnitError);
    expect(() => makeSnippets(new Int16Array(5), 2, 2)).toThrow(/do not form/);
  });
});

describe('averageWaveform by hand', () => {
  // Two spikes, T = 2, channels ids 7 (at 0,0) and 9 (at 0,20); channel 9 has the larger ptp.
  const s = makeSnippets(Int16Array.from([0, 10, 2, -30, /**/ 2, 30, 0, -10]), 2, 2);
  const recording = { channelIds: [7, 9], geom: [[0, 0], [0, 20]], sampleRateHz: 30000 };
  it('is the mean, channel-major, peak channel first, scaled to µV when a gain is given', () => {
    const r = averageWaveform({ snippets: s, channelIds: [7, 9], recording, scale: { gainUvPerBit: 0.5, offsetUv: 1 } });
    // mean [T][C] = [[1, 20], [1, −20]] → channel 9 (ptp 40) first.
    expect(Array.from(r.channel_ids.data)).toEqual([9, 7]);
    expect(r.average_waveform.shape).toEqual([2, 2]);
    expect(Array.from(r.average_waveform.data)).toEqual([11, -9, 1.5, 1.5]);
    expect(Array.from(r.channel_locations.data)).toEqual([0, 20, 0, 0]);
    expect(r.units).toBe('uV');
    expect(r.sampling_frequency).toBe(30000);
    expect(r.num_spikes).toBe(2);
    expect(averageWaveform({ snippets: s, channelIds: [7, 9], recording }).units).toBe('raw');
  });
  it('an empty unit is an EmptyUnitError that says what to do', () => {
    const empty = makeSnippets(new Int16Array(0), 2, 2);
    expect(() => averageWaveform({ snippets: empty, channelIds: [7, 9], recording, what: 'Unit 4' }))
      .toThrow(/Unit 4 has no spikes whose snippet window lies inside the recording/);
  });
  it('rejects channels that are not in the recording', () => {
    expect(() => averageWaveform({ snippets: s, channelIds: [7, 8], recording })).toThrow(/channel 8 is not in the recording/);
  });
});

describe('oracle parity', () => {
  const F = 40_000;
  const rec = synthRecording({
    seed: 3, numFrames: F, numChannels: 32, flatChannel: 9,
    units: [
      { unitId: 1, peakChannel: 6, amplitude: 200, count: 300, extraTimes: [0, 49, 50, F - 81, F - 80, F - 1] },
      { unitId: 2, peakChannel: 20, amplitude: 120, count: 800 },
      { unitId: 3, peakChannel: 12, amplitude: 90, count: 0, extraTimes: [20_000] },
      { unitId: 4, peakChannel: 12, amplitude: 90, count: 0 },
      { unitId: 5, peakChannel: 12, amplitude: 90, count: 0, extraTimes: [3, F - 2] },
    ],
  });
  const fRec = { ...rec, traces: Float32Array.from(rec.traces, (v) => v + 0.25) };
  const snippetLen = [50, 80] as const;
  const all = Array.from({ length: 32 }, (_, i) => i);
  const subset = [4, 5, 6, 7, 8, 9, 10, 11, 20, 21, 22, 23];
  const byId = new Map(rec.units.map((u) => [u.unitId, u.times]));
  const cases = [
    { id: 'u1', unitIds: [1], cols: all, gain: 0.195 },
    { id: 'u2', unitIds: [2], cols: all },
    { id: 'u1f', unitIds: [1], cols: all, float: true },
    { id: 'merge', unitIds: [1, 2], cols: all, gain: 0.195, offset: -3 },
    { id: 'one', unitIds: [3], cols: all },
    { id: 'sub', unitIds: [2], cols: subset },
    { id: 'small', unitIds: [1], cols: all, maxSize: 4 },
    { id: 'empty', unitIds: [4], cols: all },
    { id: 'edges', unitIds: [5], cols: all },
  ];
  let out: Record<string, any>;
  beforeAll(() => {
    const traces = ndarray(rec.traces, [F, 32]);
    const ftraces = ndarray(fRec.traces, [F, 32]);
    const times = new Map(rec.units.map((u) => [u.unitId, u.times]));
    out = runOracleById('waveforms', cases.map((c) => ({
      id: c.id, op: 'average', traces: c.float ? ftraces : traces, times: c.unitIds.map((u) => times.get(u)),
      unitIds: c.unitIds, numFrames: F, snippetLen, maxSpikes: AVERAGE_WAVEFORM_MAX_SPIKES, cols: c.cols,
      geom: rec.geom, channelIds: rec.channelIds, gain: c.gain, offset: c.offset, maxSize: c.maxSize ?? 15,
    })));
  });
  for (const c of cases) {
    it(`${c.id}: same spikes, channels and mean`, () => {
      const times = unionTrains(c.unitIds.map((u) => byId.get(u)!));
      const unitId = c.unitIds.length === 1 ? c.unitIds[0] : c.unitIds;
      const frames = sampleSpikeFrames(times, unitId, F, snippetLen, AVERAGE_WAVEFORM_MAX_SPIKES);
      const snippets = relayGather(c.float ? fRec : rec, frames, snippetLen, c.cols);
      const run = () => averageWaveform({
        snippets, channelIds: c.cols.map((i) => rec.channelIds[i]), recording: recordingGeometry(rec),
        scale: c.gain === undefined ? undefined : { gainUvPerBit: c.gain, offsetUv: c.offset }, maxNeighbors: c.maxSize,
      });
      const o = out[c.id];
      if (o.error) {
        expect(frames.length).toBe(0);
        expect(run).toThrow(EmptyUnitError);
        return;
      }
      expect(Array.from(frames)).toEqual(o.frames);
      const r = run();
      expect(Array.from(r.channel_ids.data)).toEqual(o.channel_ids);
      expect(Array.from(r.channel_locations.data)).toEqual(o.channel_locations.flat());
      expect(r.num_spikes).toBe(o.num_spikes);
      expect(r.average_waveform.shape).toEqual([o.channel_ids.length, 130]);
      expectClose(r.average_waveform.data, o.average_waveform, 1e-6);
    });
  }
  it('merge groups use the union of the spikes; spikes at the recording edges are excluded', () => {
    expect(out.merge.num_spikes).toBe(AVERAGE_WAVEFORM_MAX_SPIKES);
    expect(out.u1.frames).not.toContain(0);
    expect(out.u1.frames).not.toContain(49);
    expect(out.u1.frames).toContain(50);
    expect(out.u1.frames).toContain(F - 80);
    expect(out.u1.frames).not.toContain(F - 79);
    expect(out.one.num_spikes).toBe(1);
    expect(out.u1.channel_ids[0]).toBe(rec.channelIds[6]);
  });
});
