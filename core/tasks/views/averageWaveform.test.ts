import { describe, expect, it } from 'vitest';
import {
  averageWaveform, AVERAGE_WAVEFORM_MAX_SPIKES, designBandpass, extractSnippets, filterBlock, filterContextFrames, makeSnippets, meanSnippet, peakChannelIndex, uniqueSorted,
} from '../../kernels/waveforms';
import { averageWaveformTask } from './averageWaveform';
import { addStoredTemplates, REC_FILTERED_URI, REC_URI, REC_WIDE_URI, runRounds, SORTING_URI, SORTING_WIDE_URI, testDataset } from './testing/fakeRelay';
import { referenceNeighborhood, referenceSample, sumsSpec, timesOf, type Sel } from './testing/reference';

const data = testDataset();
const round1 = (rec: string, sorting: string) => [{ type: 'recordingInfo', recording: rec }, { type: 'sorting', sorting }];
const geometry = (r: typeof data.narrow) => ({ channelIds: r.channelIds, geom: r.geom, sampleRateHz: r.sampleRateHz });

describe('fetch_average_waveform.2', () => {
  it('8 channels: info + sorting, then the 500-sample on all channels summed at the relay; equals the kernel on the snippets', async () => {
    const { result, rounds } = await runRounds(averageWaveformTask, { recording_uri: REC_URI, sorting_uri: SORTING_URI, unit_id: 6 }, data.relay);
    const times = timesOf(data.trainsNarrow, 6);
    const ref = referenceSample(data.narrow, times, 6, [50, 80], [0, 1, 2, 3, 4, 5, 6, 7], AVERAGE_WAVEFORM_MAX_SPIKES);
    expect(ref.frames.length).toBe(AVERAGE_WAVEFORM_MAX_SPIKES);
    expect(rounds).toEqual([
      round1(REC_URI, SORTING_URI),
      [sumsSpec(REC_URI, [ref.frames], data.narrow.channelIds, 50, 80)],
    ]);
    expect(result).toEqual(averageWaveform({ snippets: ref.snippets, channelIds: ref.channelIds, recording: geometry(data.narrow), scale: { gainUvPerBit: 0.195 }, what: 'Unit 6' }));
    expect(result).toMatchObject({ units: 'uV', num_spikes: 500, sampling_frequency: 30000 });
  });

  it.each<[string, Sel]>([['a unit', 1], ['a merge group (spikes unioned, shared frames twice)', [2, 1]], ['the edge unit (frames 0 and last excluded)', 5]])(
    '20 channels, %s: round A on all channels over [−0.5, +1) ms, then the sample on the 15-channel neighbourhood, both summed at the relay', async (_, sel) => {
      const { result, rounds } = await runRounds(averageWaveformTask, { recording_uri: REC_WIDE_URI, sorting_uri: SORTING_WIDE_URI, unit_id: sel }, data.relay);
      const times = timesOf(data.trainsWide, sel);
      const a = referenceNeighborhood(data.wide, times, sel, [50, 80]);
      const b = referenceSample(data.wide, times, sel, [50, 80], a.nbhd, AVERAGE_WAVEFORM_MAX_SPIKES);
      expect(a.nbhd).toHaveLength(15);
      expect(rounds).toEqual([
        round1(REC_WIDE_URI, SORTING_WIDE_URI),
        [sumsSpec(REC_WIDE_URI, [a.frames], data.wide.channelIds, 15, 30)],
        [sumsSpec(REC_WIDE_URI, [b.frames], b.channelIds, 50, 80)],
      ]);
      const what = typeof sel === 'number' ? `Unit ${sel}` : `Merge group [${sel.join(', ')}]`;
      expect(result).toEqual(averageWaveform({ snippets: b.snippets, channelIds: b.channelIds, recording: geometry(data.wide), what }));
      expect(result).toMatchObject({ units: 'raw' });
    });

  it('per-channel gains (NP1.0 imroTbl): µV channel by channel, and the peak chosen in µV, not in raw units', async () => {
    const d = testDataset();
    const rec = d.relay.recordings.get(REC_URI)!;
    // Unit 6 peaks on the fifth channel in raw units; a gain 20× lower there makes another the µV peak.
    const gains = rec.info.channelIds.map((_, c) => (c === 4 ? 0.01 : 0.195));
    rec.info = { ...rec.info, gainUvPerBit: null, channelGainsUvPerBit: gains };
    const { result } = await runRounds(averageWaveformTask, { recording_uri: REC_URI, sorting_uri: SORTING_URI, unit_id: 6 }, d.relay);
    const ref = referenceSample(d.narrow, timesOf(d.trainsNarrow, 6), 6, [50, 80], [0, 1, 2, 3, 4, 5, 6, 7], AVERAGE_WAVEFORM_MAX_SPIKES);
    const raw = meanSnippet(ref.snippets);
    const T = 130;
    const uv = raw.map((v, i) => v * gains[i % 8]!);
    expect(peakChannelIndex(raw, T, 8)).toBe(4);
    const peak = peakChannelIndex(uv, T, 8);
    expect(peak).not.toBe(4);
    const r = result as { units: string; channel_ids: { data: Int32Array }; average_waveform: { data: Float32Array } };
    expect(r.units).toBe('uV');
    expect(r.channel_ids.data[0]).toBe(d.narrow.channelIds[peak]);
    r.channel_ids.data.forEach((id, m) => {
      const col = d.narrow.channelIds.indexOf(id);
      for (const t of [0, 49, 50, 129]) expect(r.average_waveform.data[m * T + t]).toBeCloseTo(raw[t * 8 + col]! * gains[col]!, 2);
    });
  });

  it('a merge group counts a frame two members share twice', async () => {
    const { result } = await runRounds(averageWaveformTask, { recording_uri: REC_URI, sorting_uri: SORTING_URI, unit_id: [1, 2] }, data.relay);
    const n = timesOf(data.trainsNarrow, [1, 2]).filter((t) => t >= 50 && t + 80 <= data.narrow.numFrames).length;
    expect((result as { num_spikes: number }).num_spikes).toBe(n);
  });

  it('one-spike unit: the waveform of that spike', async () => {
    const { result } = await runRounds(averageWaveformTask, { recording_uri: REC_URI, sorting_uri: SORTING_URI, unit_id: 4 }, data.relay);
    expect(result).toMatchObject({ num_spikes: 1 });
  });

  it('empty unit, and a unit whose only spikes are at the edges: an error after round 1, nothing gathered', async () => {
    const relay = testDataset().relay;
    await expect(runRounds(averageWaveformTask, { recording_uri: REC_URI, sorting_uri: SORTING_URI, unit_id: 3 }, relay)).rejects.toThrow(/Unit 3 has no spikes/);
    await expect(runRounds(averageWaveformTask, { recording_uri: REC_WIDE_URI, sorting_uri: SORTING_WIDE_URI, unit_id: 7 }, relay)).rejects.toThrow(/Unit 7 has no spikes/);
    expect(relay.served.map((s) => s.type)).toEqual(['recordingInfo', 'sorting', 'recordingInfo', 'sorting']);
    await expect(runRounds(averageWaveformTask, { recording_uri: REC_URI, sorting_uri: SORTING_URI, unit_id: 99 }, relay)).rejects.toThrow(/Unit 99 is not in the sorting/);
  });

  it('filtered recording: each snippet read with a 128-frame margin and band-passed on its own (the kernels on the same data); close to the filtered recording', async () => {
    const { result, rounds } = await runRounds(averageWaveformTask, { recording_uri: REC_FILTERED_URI, sorting_uri: SORTING_URI, unit_id: 1 }, data.relay);
    const times = timesOf(data.trainsNarrow, 1);
    const f = designBandpass(30000);
    const m = filterContextFrames(f.sos, 0.1);
    expect(m).toBe(128);
    const ext = referenceSample(data.narrow, times, 1, [50 + m, 80 + m], [0, 1, 2, 3, 4, 5, 6, 7], AVERAGE_WAVEFORM_MAX_SPIKES);
    expect(rounds[1]).toEqual([{ type: 'snippets', recording: REC_FILTERED_URI, frames: Array.from(uniqueSorted([ext.frames])), channelIds: data.narrow.channelIds, before: 178, after: 208 }]);
    // Reference: each widened snippet through the kernel's filter, margins cut, then the kernel's average.
    const C = 8;
    const Tx = 130 + 2 * m;
    const cut = new Float64Array(ext.frames.length * 130 * C);
    ext.frames.forEach((t, i) => {
      const y = filterBlock(f, ext.snippets.data.subarray(i * Tx * C, (i + 1) * Tx * C), C, t - 50 - m, data.narrow.numFrames);
      cut.set(y.subarray(m * C, (m + 130) * C), i * 130 * C);
    });
    const expected = averageWaveform({ snippets: makeSnippets(cut, 130, C), channelIds: data.narrow.channelIds, recording: geometry(data.narrow), scale: { gainUvPerBit: 0.195 }, what: 'Unit 1' });
    expect(result).toEqual(expected);
    // Against snippets of the whole recording filtered at once: within 1 % of the template's peak-to-peak.
    const whole = filterBlock(f, data.narrow.traces, C, 0, data.narrow.numFrames);
    const frames = ext.frames;
    const wholeSnips = extractSnippets(whole, C, 0, frames, [50, 80]);
    const wholeAvg = averageWaveform({ snippets: wholeSnips, channelIds: data.narrow.channelIds, recording: geometry(data.narrow), scale: { gainUvPerBit: 0.195 } });
    const got = (result as typeof expected).average_waveform.data;
    const ptp = Math.max(...got) - Math.min(...got);
    expect(Array.from(wholeAvg.channel_ids.data)).toEqual(Array.from(expected.channel_ids.data));
    let worst = 0;
    got.forEach((v, i) => { worst = Math.max(worst, Math.abs(v - wholeAvg.average_waveform.data[i])); });
    expect(worst).toBeLessThan(0.01 * ptp);
  });

  it.each([
    ['a missing unit_id', { recording_uri: REC_URI, sorting_uri: SORTING_URI }],
    ['an empty merge group', { recording_uri: REC_URI, sorting_uri: SORTING_URI, unit_id: [] }],
    ['a merge group listing a unit twice', { recording_uri: REC_URI, sorting_uri: SORTING_URI, unit_id: [1, 2, 1] }],
    ['a fractional unit id', { recording_uri: REC_URI, sorting_uri: SORTING_URI, unit_id: 1.5 }],
    ['a path for the recording', { recording_uri: '/data/rec.json', sorting_uri: SORTING_URI, unit_id: 1 }],
    ['a snippet_len of one number', { recording_uri: REC_URI, sorting_uri: SORTING_URI, unit_id: 1, snippet_len: [50] }],
    ['a negative snippet_len', { recording_uri: REC_URI, sorting_uri: SORTING_URI, unit_id: 1, snippet_len: [-1, 80] }],
    ['a zero after', { recording_uri: REC_URI, sorting_uri: SORTING_URI, unit_id: 1, snippet_len: [50, 0] }],
    ['a snippet_len over the cap', { recording_uri: REC_URI, sorting_uri: SORTING_URI, unit_id: 1, snippet_len: [500, 501] }],
    ['an unknown kwarg (2021 misspelling)', { recording_uri: REC_URI, sorting_uri: SORTING_URI, unit_id: 1, snipets_len: [50, 80] }],
  ])('refuses %s', (_, kw) => {
    expect(averageWaveformTask.kwargs.safeParse(kw).success).toBe(false);
  });
});

describe('fetch_average_waveform.2 of an analyzer whose traces are gone: its stored templates', () => {
  const T = 12;
  const C = data.wide.channelIds.length;
  /** Unit u's template: a negative peak of −(10·u) µV at sample 4 on channel index 2u, smaller on its neighbours, plus a ramp. */
  const template = (u: number) => Float32Array.from({ length: T * C }, (_, j) => {
    const t = Math.floor(j / C);
    const c = j % C;
    return (t === 4 ? -10 * u / (1 + Math.abs(c - 2 * u)) : 0) + 0.01 * t;
  });
  const relay = testDataset().relay;
  const REC_GONE = addStoredTemplates(relay, { base: REC_WIDE_URI, sorting: SORTING_WIDE_URI, numSamples: T, template });
  const counts = (u: number) => data.trainsWide.get(u)!.length;
  /** The result's rows as [channel id][sample], to compare with the templates by channel. */
  const byChannel = (r: { average_waveform: { data: ArrayLike<number> }; channel_ids: { data: ArrayLike<number> } }) =>
    new Map(Array.from(r.channel_ids.data, (ch, m) => [ch, Array.from(r.average_waveform.data).slice(m * T, (m + 1) * T)]));
  const column = (tpl: Float32Array, ch: number) => Array.from({ length: T }, (_, t) => tpl[t * C + data.wide.channelIds.indexOf(ch)]!);

  it('a unit: the template itself (µV, its own 12 samples), peak channel first, with no gather', async () => {
    const { result, rounds } = await runRounds(averageWaveformTask, { recording_uri: REC_GONE, sorting_uri: SORTING_WIDE_URI, unit_id: 6 }, relay);
    expect(rounds).toEqual([round1(REC_GONE, SORTING_WIDE_URI), [{ type: 'templates', recording: REC_GONE, sorting: SORTING_WIDE_URI, unitIds: [6] }]]);
    const r = result as Parameters<typeof byChannel>[0] & { units: string; num_spikes: number };
    expect(r.channel_ids.data[0]).toBe(data.wide.channelIds[12]);
    expect(r.channel_ids.data.length).toBe(15);
    expect(r.units).toBe('uV');
    expect(r.num_spikes).toBe(counts(6));
    for (const [ch, values] of byChannel(r)) for (const [t, v] of values.entries()) expect(v).toBeCloseTo(column(template(6), ch)[t]!, 5);
  });

  it('a unit without spikes: an error that says so, nothing asked of the relay', async () => {
    await expect(runRounds(averageWaveformTask, { recording_uri: REC_GONE, sorting_uri: SORTING_WIDE_URI, unit_id: 3 }, relay)).rejects.toThrow('Unit 3 has no spikes');
  });

  it('a merge group: the members\' templates weighted by their spike counts', async () => {
    const { result } = await runRounds(averageWaveformTask, { recording_uri: REC_GONE, sorting_uri: SORTING_WIDE_URI, unit_id: [1, 2] }, relay);
    const n1 = counts(1);
    const n2 = counts(2);
    const r = result as Parameters<typeof byChannel>[0] & { num_spikes: number };
    expect(r.num_spikes).toBe(n1 + n2);
    for (const [ch, values] of byChannel(r)) {
      for (const [t, v] of values.entries()) expect(v).toBeCloseTo((n1 * column(template(1), ch)[t]! + n2 * column(template(2), ch)[t]!) / (n1 + n2), 5);
    }
  });

  it('another sorting of the analyzer\'s recording: the relay says the templates are not its', async () => {
    await expect(runRounds(averageWaveformTask, { recording_uri: REC_GONE, sorting_uri: SORTING_URI, unit_id: 1 }, relay)).rejects.toThrow(/its own sorting's/);
  });
});
