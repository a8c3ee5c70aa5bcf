import { describe, expect, it } from 'vitest';
import { firingData, isiViolationRates } from '../../kernels/spikeTrains';
import { uniqueSorted, unitPeakChannel, unitSnr } from '../../kernels/waveforms';
import type { ChunkSpec } from '../../protocol/messages';
import type { MergeGroupSummary, UnitsSummary } from '../contracts/unitsTable';
import { REC_FILTERED_URI, REC_URI, REC_WIDE_URI, runRounds, SORTING_URI, SORTING_WIDE_URI, testDataset } from './testing/fakeRelay';
import { referenceNeighborhood, referenceSample, sumsSpec, timesOf } from './testing/reference';
import { firingDataTask, isiViolationRatesTask, mergeGroupSummaryTask, peakChannelsTask, unitSnrsTask, unitsSummaryTask, UNITS_TABLE_SPIKES } from './unitsTable';

const data = testDataset();
const UNITS = [1, 2, 3, 4, 5, 6, 7];
const round1 = (rec: string, sorting: string) => [{ type: 'recordingInfo', recording: rec }, { type: 'sorting', sorting }];
const narrowKw = { recording_uri: REC_URI, sorting_uri: SORTING_URI };
const wideKw = { recording_uri: REC_WIDE_URI, sorting_uri: SORTING_WIDE_URI };
const F = data.narrow.numFrames;

/** The kernels over the reference sample of each unit (null for units without eligible spikes). */
interface RefMetrics { peak_channel: number | null; snr: number | null; frames: Float64Array; channelIds?: number[] }
function referenceMetrics(rec: typeof data.narrow, trains: Map<number, Float64Array>): Record<string, RefMetrics> {
  return Object.fromEntries(UNITS.map((u): [string, RefMetrics] => {
    const times = timesOf(trains, u);
    const { nbhd } = referenceNeighborhood(rec, times, u, [50, 80]);
    const s = referenceSample(rec, times, u, [50, 80], nbhd, UNITS_TABLE_SPIKES);
    if (s.frames.length === 0) return [String(u), { peak_channel: null, snr: null, frames: s.frames }];
    return [String(u), { peak_channel: unitPeakChannel(s.snippets, s.channelIds), snr: unitSnr(s.snippets), frames: s.frames, channelIds: s.channelIds }];
  }));
}

describe('units table: counts, rates, ISI violations (one round: info + sorting)', () => {
  it('get_firing_data.1 equals firingData with the recording length and rate', async () => {
    const { result, rounds } = await runRounds(firingDataTask, narrowKw, data.relay);
    expect(rounds).toEqual([round1(REC_URI, SORTING_URI)]);
    expect(result).toEqual(firingData({ spikeTrains: data.trainsNarrow, numFrames: F, sampleRateHz: 30000 }));
    expect(result).toMatchObject({ 3: { count: 0, rate: '0.00' }, 4: { count: 1, rate: '0.67' } });
  });

  it('get_isi_violation_rates.1 equals isiViolationRates (default 2.5 ms, or configuration.isi_threshold_msec); null for the empty unit', async () => {
    const { result, rounds } = await runRounds(isiViolationRatesTask, narrowKw, data.relay);
    expect(rounds).toEqual([round1(REC_URI, SORTING_URI)]);
    expect(result).toEqual(isiViolationRates({ spikeTrains: data.trainsNarrow, numFrames: F, sampleRateHz: 30000, isiThresholdMsec: 2.5 }));
    expect(result).toMatchObject({ 3: null, 4: 0 });
    const r15 = await runRounds(isiViolationRatesTask, { ...narrowKw, configuration: { isi_threshold_msec: 1.5 } }, data.relay);
    expect(r15.result).toEqual(isiViolationRates({ spikeTrains: data.trainsNarrow, numFrames: F, sampleRateHz: 30000, isiThresholdMsec: 1.5 }));
  });
});

describe('units table: peak channels and SNRs', () => {
  it('8 channels: one snippets chunk with every unit\'s 100-sample on all channels; equal to the kernels', async () => {
    const ref = referenceMetrics(data.narrow, data.trainsNarrow);
    const { result: peaks, rounds } = await runRounds(peakChannelsTask, narrowKw, data.relay);
    const frames = uniqueSorted(UNITS.map((u) => ref[u].frames));
    expect(rounds).toEqual([
      round1(REC_URI, SORTING_URI),
      [{ type: 'snippets', recording: REC_URI, frames: Array.from(frames), channelIds: data.narrow.channelIds, before: 50, after: 80 }],
    ]);
    expect(peaks).toEqual(Object.fromEntries(UNITS.map((u) => [String(u), ref[u].peak_channel])));
    const { result: snrs } = await runRounds(unitSnrsTask, narrowKw, data.relay);
    expect(snrs).toEqual(Object.fromEntries(UNITS.map((u) => [String(u), ref[u].snr])));
    expect(snrs).toMatchObject({ 3: null, 4: null, 7: null }); // empty, one spike (no residual), edge-only
    expect((snrs as Record<string, number>)[1]).toBeGreaterThan(10);
  });

  it('20 channels: round A (20 spikes per unit, all channels, [15, 30) frames) and round B (each unit\'s sample on its neighbourhood with its rough peak\'s snippets) summed at the relay', async () => {
    const ref = referenceMetrics(data.wide, data.trainsWide);
    const { result, rounds } = await runRounds(peakChannelsTask, wideKw, data.relay);
    const nbhds = Object.fromEntries(UNITS.map((u) => [u, referenceNeighborhood(data.wide, timesOf(data.trainsWide, u), u, [50, 80])]));
    const withSpikes = UNITS.filter((u) => nbhds[u].frames.length);
    expect(rounds[1]).toEqual([sumsSpec(REC_WIDE_URI, withSpikes.map((u) => nbhds[u].frames), data.wide.channelIds, 15, 30)]);
    // Round B: each unit's sample is one group of a chunk that has its neighbourhood's channels, with its rough peak as detail channel.
    const specs = rounds[2] as Extract<ChunkSpec, { type: 'snippetSums' }>[];
    for (const s of specs) expect(s).toMatchObject({ type: 'snippetSums', recording: REC_WIDE_URI, before: 50, after: 80 });
    for (const u of UNITS) {
      if (!ref[u].frames.length) continue;
      const { frames, channelIds } = ref[u];
      const roughPeak = data.wide.channelIds[nbhds[u].nbhd[0]];
      expect(specs.some((s) => s.groups.some((g, i) => g.join() === Array.from(frames).join() && s.detailChannelIds![i] === roughPeak)
        && channelIds!.every((c) => s.channelIds.includes(c)))).toBe(true);
    }
    // A third round only for units whose mean peaks away from the rough peak (their SNR needs that channel).
    expect(rounds.length).toBeLessThanOrEqual(4);
    expect(result).toEqual(Object.fromEntries(UNITS.map((u) => [String(u), ref[u].peak_channel])));
    // The synthetic templates' peaks (channel ids are 10 + 2·index).
    expect(result).toMatchObject({ 1: 14, 2: 44, 4: 28, 6: 34 });
    const { result: snrs } = await runRounds(unitSnrsTask, wideKw, data.relay);
    expect(snrs).toEqual(Object.fromEntries(UNITS.map((u) => [String(u), ref[u].snr])));
  });

  it('sortingview.units_summary.1: every column, equal to the single-metric tasks, from the same rounds', async () => {
    const { result, rounds } = await runRounds(unitsSummaryTask, wideKw, data.relay);
    const peaks = await runRounds(peakChannelsTask, wideKw, data.relay);
    expect(rounds).toEqual(peaks.rounds);
    const firing = (await runRounds(firingDataTask, wideKw, data.relay)).result as Record<string, { count: number; rate: string }>;
    const isi = (await runRounds(isiViolationRatesTask, wideKw, data.relay)).result as Record<string, number | null>;
    const snrs = (await runRounds(unitSnrsTask, wideKw, data.relay)).result as Record<string, number | null>;
    const summary = result as { units: Record<string, Record<string, unknown>>; spikes_per_unit: number; unit_ids: number[] };
    expect(summary.unit_ids).toEqual(UNITS);
    expect(summary.spikes_per_unit).toBe(UNITS_TABLE_SPIKES);
    expect(UNITS_TABLE_SPIKES).toBe(100);
    for (const u of UNITS.map(String)) {
      expect(summary.units[u]).toEqual({
        count: firing[u].count, rate: firing[u].rate, firing_rate_hz: firing[u].count / 1.5, isi_violation_rate: isi[u],
        peak_channel: (peaks.result as Record<string, number | null>)[u], snr: snrs[u],
      });
    }
    expect(result).toMatchObject({ num_frames: F, sampling_frequency: 30000, isi_threshold_msec: 2.5, snippet_len: [50, 80] });
  });

  it('a filtered recording: snippets read with the filter margin; the DC offsets do not move the peak channels', async () => {
    const { result, rounds } = await runRounds(peakChannelsTask, { recording_uri: REC_FILTERED_URI, sorting_uri: SORTING_URI }, data.relay);
    expect(rounds[1]).toMatchObject([{ type: 'snippets', before: 178, after: 208 }]);
    const raw = (await runRounds(peakChannelsTask, narrowKw, data.relay)).result;
    expect(result).toEqual(raw);
  });

  it.each([
    ['no sorting_uri', { recording_uri: REC_URI }],
    ['an unknown kwarg', { ...narrowKw, unit_ids: [1] }],
    ['an unknown configuration key', { ...narrowKw, configuration: { isi_threshold: 2 } }],
    ['a negative ISI threshold', { ...narrowKw, configuration: { isi_threshold_msec: -1 } }],
    ['an ISI threshold given as a string', { ...narrowKw, configuration: { isi_threshold_msec: '2.5' } }],
    ['a sorting named by a non-sha1 URI', { recording_uri: REC_URI, sorting_uri: 'gs://bucket/sorting.json' }],
    ['snippet_len as an object', { ...narrowKw, snippet_len: { before: 50, after: 80 } }],
  ])('refuses %s', (_, kw) => {
    for (const t of [firingDataTask, isiViolationRatesTask, peakChannelsTask, unitSnrsTask, unitsSummaryTask]) expect(t.kwargs.safeParse(kw).success).toBe(false);
  });
});

describe('sortingview.merge_group_summary.1: a merge group\'s row, computed on the merged unit', () => {
  const isiOf = (times: Float64Array, numFrames: number) =>
    isiViolationRates({ spikeTrains: new Map([[0, times]]), numFrames, sampleRateHz: 30000, isiThresholdMsec: 2.5 })['0'];

  it.each([['8 channels', data.narrow, data.trainsNarrow, narrowKw], ['20 channels (rounds A and B)', data.wide, data.trainsWide, wideKw]] as const)(
    '%s: every column equals the kernels on the union of the members\' spikes, never a member\'s value', async (_, rec, trains, kw) => {
      const group = [1, 2];
      const times = timesOf(trains, group);
      const { nbhd } = referenceNeighborhood(rec, times, group, [50, 80]);
      const s = referenceSample(rec, times, group, [50, 80], nbhd, UNITS_TABLE_SPIKES);
      const result = (await runRounds(mergeGroupSummaryTask, { ...kw, unit_ids: group }, data.relay)).result as MergeGroupSummary;
      const expected = {
        count: times.length,
        rate: (times.length / 1.5).toFixed(2),
        firing_rate_hz: times.length / 1.5,
        isi_violation_rate: isiOf(times, rec.numFrames),
        peak_channel: unitPeakChannel(s.snippets, s.channelIds),
        snr: unitSnr(s.snippets),
        spikes_per_unit: UNITS_TABLE_SPIKES,
      };
      expect(result).toEqual(expected);
      const members = ((await runRounds(unitsSummaryTask, kw, data.relay)).result as UnitsSummary).units;
      expect(result.count).toBe(members['1'].count + members['2'].count);
      // Not a member's SNR: the group's own sample mixes both templates.
      expect([members['1'].snr, members['2'].snr]).not.toContain(result.snr);
    });

  it('ISI violations are the merged train\'s (pairs across members count), not a member\'s', async () => {
    const result = (await runRounds(mergeGroupSummaryTask, { ...narrowKw, unit_ids: [1, 2] }, data.relay)).result as MergeGroupSummary;
    const members = (await runRounds(isiViolationRatesTask, narrowKw, data.relay)).result as Record<string, number | null>;
    expect(result.isi_violation_rate).toBe(isiOf(timesOf(data.trainsNarrow, [1, 2]), F));
    expect(result.isi_violation_rate).not.toBe(members['1']);
  });

  it.each([
    ['one unit', [1]],
    ['units out of order', [2, 1]],
    ['a unit twice', [1, 1, 2]],
    ['a unit id as a string', ['1', 2]],
    ['no unit_ids', undefined],
  ])('refuses %s', (_, unit_ids) => {
    expect(mergeGroupSummaryTask.kwargs.safeParse({ ...narrowKw, unit_ids }).success).toBe(false);
  });

  it('a unit the sorting lacks is a task error that names it', async () => {
    await expect(runRounds(mergeGroupSummaryTask, { ...narrowKw, unit_ids: [1, 99] }, data.relay)).rejects.toThrow(/99/);
  });
});
