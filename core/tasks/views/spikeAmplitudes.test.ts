import { describe, expect, it } from 'vitest';
import {
  amplitudeFramesToGather, amplitudeWindow, AVERAGE_WAVEFORM_MAX_SPIKES, designBandpass, extractSnippets, filterBlock, makeSnippets, meanSnippet,
  peakChannelIndex, spikeAmplitudes,
} from '../../kernels/waveforms';
import { synthRecording as synthRecordingForTests } from '../../kernels/waveforms/testing/synth';
import { spikeAmplitudesTask } from './spikeAmplitudes';
import { addStoredTemplates, REC_FILTERED_URI, REC_URI, REC_WIDE_URI, runRounds, SORTING_URI, SORTING_WIDE_URI, testDataset } from './testing/fakeRelay';
import { referenceNeighborhood, referenceSample, sumsSpec, timesOf, type Sel } from './testing/reference';
import type { SynthRecording } from '../../kernels/waveforms/testing/synth';

const data = testDataset();

/** The 3-step result straight from the kernels over the whole recording (filter: margin m, each snippet on its own). */
function reference(rec: SynthRecording, trains: Map<number, Float64Array>, sel: Sel, opts: { gain?: number; gains?: number[]; filtered?: boolean } = {}) {
  const m = opts.filtered ? 128 : 0;
  const times = timesOf(trains, sel);
  const elig: [number, number] = [50 + m, 80 + m];
  const { nbhd } = referenceNeighborhood(rec, times, sel, [50, 80], elig);
  const C = nbhd.length;
  const f = designBandpass(30000);
  const filt = (s: ReturnType<typeof extractSnippets>, frames: Float64Array, before: number, T: number) => {
    if (!m) return s;
    const Tx = T + 2 * m;
    const out = new Float32Array(frames.length * T * s.numChannels);
    frames.forEach((t, i) => out.set(filterBlock(f, s.data.subarray(i * Tx * s.numChannels, (i + 1) * Tx * s.numChannels), s.numChannels, t - before - m, rec.numFrames)
      .subarray(m * s.numChannels, (m + T) * s.numChannels), i * T * s.numChannels));
    return makeSnippets(out, T, s.numChannels);
  };
  const sample = referenceSample(rec, times, sel, elig, nbhd, AVERAGE_WAVEFORM_MAX_SPIKES).frames;
  const snips = filt(extractSnippets(rec.traces, rec.numChannels, 0, sample, elig, nbhd), sample, 50, 130);
  const raw = meanSnippet({ ...snips, data: Float64Array.from(snips.data) });
  // Per-channel gains (by recording channel index): the peak is the largest in µV.
  const mean = opts.gains ? raw.map((v, i) => v * opts.gains![nbhd[i % C]!]!) : raw;
  const col = peakChannelIndex(mean, 130, C);
  const gain = opts.gains ? opts.gains[nbhd[col]!] : opts.gain;
  const window = amplitudeWindow(Float64Array.from({ length: 130 }, (_, t) => mean[t * C + col]), 50);
  const gw = { before: window.before + m, after: window.after + m };
  const frames = amplitudeFramesToGather(times, rec.numFrames, gw);
  const gathered = filt(extractSnippets(rec.traces, rec.numChannels, 0, frames, [gw.before, gw.after], [nbhd[col]]), frames, window.before, window.before + window.after);
  const kept = times.filter((t) => t - gw.before >= 0 && t + gw.after <= rec.numFrames);
  const r = spikeAmplitudes({ times: kept, numFrames: rec.numFrames, window, gatheredFrames: frames, gathered, scale: gain ? { gainUvPerBit: gain } : undefined });
  return { sample, window, frames, gw, peak: rec.channelIds[nbhd[col]], result: { ...r, peak_channel: rec.channelIds[nbhd[col]], window: [window.before, window.after] } };
}

describe('fetch_spike_amplitudes.1', () => {
  it('8 channels: info + sorting; the 500-sample on all channels (summed at the relay); the amplitude window on the peak channel for every spike', async () => {
    const { result, rounds } = await runRounds(spikeAmplitudesTask, { recording_uri: REC_URI, sorting_uri: SORTING_URI, unit_id: 6 }, data.relay);
    const ref = reference(data.narrow, data.trainsNarrow, 6, { gain: 0.195 });
    expect(rounds).toEqual([
      [{ type: 'recordingInfo', recording: REC_URI }, { type: 'sorting', sorting: SORTING_URI }],
      [sumsSpec(REC_URI, [ref.sample], data.narrow.channelIds, 50, 80)],
      [{ type: 'snippets', recording: REC_URI, frames: Array.from(ref.frames), channelIds: [ref.peak], before: ref.window.before, after: ref.window.after }],
    ]);
    expect(ref.window.before + ref.window.after).toBeLessThan(30);
    expect(result).toEqual(ref.result);
    expect(result).toMatchObject({ units: 'uV', peak_channel: 18 });
    // Every spike whose few-sample window is inside the recording (one of the 700 random spikes is not).
    const inside = timesOf(data.trainsNarrow, 6).filter((t) => t >= ref.gw.before && t + ref.gw.after <= data.narrow.numFrames);
    expect((result as { amplitudes: { data: Float32Array } }).amplitudes.data.length).toBe(inside.length);
    expect(inside.length).toBeGreaterThanOrEqual(699);
  });

  it('per-channel gains: the peak channel chosen in µV, and amplitudes in µV of that channel\'s own gain', async () => {
    const d = testDataset();
    const rec = d.relay.recordings.get(REC_URI)!;
    const uniform = await runRounds(spikeAmplitudesTask, { recording_uri: REC_URI, sorting_uri: SORTING_URI, unit_id: 6 }, d.relay);
    const rawPeak = (uniform.result as { peak_channel: number }).peak_channel;
    const col = rec.info.channelIds.indexOf(rawPeak);
    rec.info = { ...rec.info, gainUvPerBit: null, channelGainsUvPerBit: rec.info.channelIds.map((_, c) => (c === col ? 0.01 : 0.5)) };
    const { result } = await runRounds(spikeAmplitudesTask, { recording_uri: REC_URI, sorting_uri: SORTING_URI, unit_id: 6 }, d.relay);
    const r = result as { units: string; peak_channel: number; amplitudes: { data: Float32Array } };
    expect(r.units).toBe('uV');
    expect(r.peak_channel).not.toBe(rawPeak);
    const ref = reference(d.narrow, d.trainsNarrow, 6, { gains: rec.info.channelGainsUvPerBit });
    expect(ref.peak).toBe(r.peak_channel);
    expect(result).toEqual(ref.result);
  });

  it('20 channels, a merge group: 4 rounds; frames shared by members give two amplitudes', async () => {
    const { result, rounds } = await runRounds(spikeAmplitudesTask, { recording_uri: REC_WIDE_URI, sorting_uri: SORTING_WIDE_URI, unit_id: [1, 2] }, data.relay);
    const ref = reference(data.wide, data.trainsWide, [1, 2]);
    expect(rounds).toHaveLength(4);
    expect(rounds[3]).toEqual([{ type: 'snippets', recording: REC_WIDE_URI, frames: Array.from(ref.frames), channelIds: [ref.peak], before: ref.window.before, after: ref.window.after }]);
    expect(result).toEqual(ref.result);
    const tp = Array.from((result as { timepoints: { data: Float32Array } }).timepoints.data);
    expect(tp.filter((t) => t === 10_000)).toHaveLength(2);
  });

  it('filtered recording: the window read with the filter margin and band-passed per spike', async () => {
    const { result, rounds } = await runRounds(spikeAmplitudesTask, { recording_uri: REC_FILTERED_URI, sorting_uri: SORTING_URI, unit_id: 1 }, data.relay);
    const ref = reference(data.narrow, data.trainsNarrow, 1, { gain: 0.195, filtered: true });
    expect(rounds[2]).toEqual([{ type: 'snippets', recording: REC_FILTERED_URI, frames: Array.from(ref.frames), channelIds: [ref.peak], before: ref.gw.before, after: ref.gw.after }]);
    expect(result).toEqual(ref.result);
  });

  it('a unit of 129 800 spikes: its gather in 3 chunks of ≤ 50 000 spikes, asked in one round', async () => {
    const uri = `sha1://${'5d'.repeat(20)}/dense.json`;
    const sortingUri = `sha1://${'6e'.repeat(20)}/dense-sorting.json`;
    const rec = synthRecordingForTests({ seed: 5, numFrames: 130_000, numChannels: 2, units: [{ unitId: 1, peakChannel: 0, amplitude: 100, count: 300 }] });
    const times = Float64Array.from({ length: 129_800 }, (_, i) => 100 + i);
    data.relay.recordings.set(uri, { info: { ...data.relay.recordings.get(REC_URI)!.info, numFrames: 130_000, channelIds: rec.channelIds, geom: [[0, 0], [0, 20]], channelGroups: [0, 0] }, traces: rec.traces });
    data.relay.sortings.set(sortingUri, { sampleRateHz: 30000, unitIds: [1], trains: [times] });
    const { result, rounds } = await runRounds(spikeAmplitudesTask, { recording_uri: uri, sorting_uri: sortingUri, unit_id: 1 }, data.relay);
    const last = rounds[rounds.length - 1] as { frames: number[] }[];
    expect(last.map((s) => s.frames.length)).toEqual([50_000, 50_000, 29_800]);
    expect(last.flatMap((s) => s.frames)).toEqual(Array.from(times));
    expect((result as { amplitudes: { data: Float32Array } }).amplitudes.data.length).toBe(129_800);
    expect(result).toEqual(reference(rec, new Map([[1, times]]), 1, { gain: 0.195 }).result);
  });

  it('refuses a unit of more than 500 000 distinct spikes after round 1, with a message', async () => {
    const sortingUri = `sha1://${'7f'.repeat(20)}/huge.json`;
    data.relay.sortings.set(sortingUri, { sampleRateHz: 30000, unitIds: [1], trains: [Float64Array.from({ length: 500_001 }, (_, i) => i)] });
    const before = data.relay.served.length;
    await expect(runRounds(spikeAmplitudesTask, { recording_uri: REC_URI, sorting_uri: sortingUri, unit_id: 1 }, data.relay)).rejects.toThrow(/500001 spikes; at most 500000/);
    expect(data.relay.served.slice(before).map((s) => s.type)).toEqual(['recordingInfo', 'sorting']);
  });

  it('an empty unit is an error; kwargs are checked', async () => {
    await expect(runRounds(spikeAmplitudesTask, { recording_uri: REC_URI, sorting_uri: SORTING_URI, unit_id: 3 }, data.relay)).rejects.toThrow(/Unit 3 has no spikes/);
    for (const bad of [
      { recording_uri: REC_URI, sorting_uri: SORTING_URI },
      { recording_uri: REC_URI, sorting_uri: SORTING_URI, unit_id: 1, snippet_len: [50, 80, 10] },
      { recording_uri: REC_URI, unit_id: 1 },
    ]) expect(spikeAmplitudesTask.kwargs.safeParse(bad).success).toBe(false);
  });
});

describe('fetch_spike_amplitudes.1 of an analyzer whose traces are gone: its spike_amplitudes', () => {
  const T = 10;
  const C = data.wide.channelIds.length;
  const template = (u: number) => Float32Array.from({ length: T * C }, (_, j) => (Math.floor(j / C) === 3 ? -20 / (1 + Math.abs((j % C) - 2 * u)) : 0));
  /** A stored amplitude per spike that names its unit and frame, so a mix-up shows. */
  const amp = (u: number, frame: number) => -(u * 1000 + (frame % 997));
  const relay = testDataset().relay;
  const rec = addStoredTemplates(relay, { base: REC_WIDE_URI, sorting: SORTING_WIDE_URI, numSamples: T, template, amplitudes: (u, train) => Float32Array.from(train, (f) => amp(u, f)) });

  it('a unit: every spike\'s stored amplitude in time order, no gather; the stored template\'s peak channel', async () => {
    const { result, rounds } = await runRounds(spikeAmplitudesTask, { recording_uri: rec, sorting_uri: SORTING_WIDE_URI, unit_id: 6 }, relay);
    expect(rounds[1]).toEqual([{ type: 'spikeAmplitudes', recording: rec, sorting: SORTING_WIDE_URI, unitIds: [6] }]);
    expect(rounds.flat().some((s) => s.type === 'snippets' || s.type === 'snippetSums')).toBe(false);
    const r = result as { timepoints: { data: Float32Array }; amplitudes: { data: Float32Array }; units: string; peak_channel: number; window: number[] };
    const train = Float64Array.from(data.trainsWide.get(6)!).sort();
    expect(Array.from(r.timepoints.data)).toEqual(Array.from(train, (f) => Math.fround(f)));
    expect(Array.from(r.amplitudes.data)).toEqual(Array.from(train, (f) => amp(6, f)));
    expect(r).toMatchObject({ units: 'uV', peak_channel: data.wide.channelIds[12], window: [0, 1] });
  });

  it('a merge group: both members\' spikes interleaved in time, each with its own amplitude', async () => {
    const { result } = await runRounds(spikeAmplitudesTask, { recording_uri: rec, sorting_uri: SORTING_WIDE_URI, unit_id: [1, 2] }, relay);
    const r = result as { timepoints: { data: Float32Array }; amplitudes: { data: Float32Array } };
    const expected = [1, 2].flatMap((u) => Array.from(data.trainsWide.get(u)!, (f) => ({ f, a: amp(u, f) }))).sort((x, y) => x.f - y.f);
    expect(Array.from(r.timepoints.data)).toEqual(expected.map((e) => e.f));
    // Frames two members share keep both amplitudes (in either order).
    expect(Array.from(r.amplitudes.data).sort()).toEqual(expected.map((e) => e.a).sort());
    for (let i = 1; i < r.timepoints.data.length; i++) expect(r.timepoints.data[i]).toBeGreaterThanOrEqual(r.timepoints.data[i - 1]!);
  });

  it('amplitudes of another length than the unit\'s spikes: an error saying the extension is not this sorting\'s; an empty unit: no amplitudes', async () => {
    const stale = testDataset().relay;
    const r2 = addStoredTemplates(stale, { base: REC_WIDE_URI, sorting: SORTING_WIDE_URI, numSamples: T, template, amplitudes: (_, train) => new Float32Array(train.length + 1) });
    await expect(runRounds(spikeAmplitudesTask, { recording_uri: r2, sorting_uri: SORTING_WIDE_URI, unit_id: 6 }, stale)).rejects.toThrow(/is not of this sorting; recompute it in SpikeInterface/);
    await expect(runRounds(spikeAmplitudesTask, { recording_uri: rec, sorting_uri: SORTING_WIDE_URI, unit_id: 3 }, relay)).rejects.toThrow('Unit 3 has no spikes, so it has no amplitudes');
  });
});
