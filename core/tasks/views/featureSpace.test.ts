import { describe, expect, it } from 'vitest';
import { meanSnippet, peakChannelIndex, PCA_MAX_SPIKES, uniqueSorted } from '../../kernels/waveforms';
import { featureRows, featureSpace } from '../../kernels/waveforms/featureSpace';
import type { FeatureSpaceResult } from '../contracts/featureSpace';
import { featureSpaceTask, featureSpikesPerUnit, MAX_FEATURE_ROW_VALUES } from './featureSpace';
import { REC_FILTERED_URI, REC_URI, REC_WIDE_URI, runRounds, SORTING_URI, SORTING_WIDE_URI, testDataset } from './testing/fakeRelay';
import { referenceNeighborhood, referenceSample, sumsSpec, timesOf, type Sel } from './testing/reference';

const data = testDataset();
const wideKw = { recording_uri: REC_WIDE_URI, sorting_uri: SORTING_WIDE_URI };
const run = async (kw: Record<string, unknown>) => (await runRounds(featureSpaceTask, kw, data.relay)) as { result: FeatureSpaceResult; rounds: unknown[][] };

/** features[s][c][j] of a result as a function. */
const at = (r: FeatureSpaceResult) => (s: number, c: number, j: number) => r.features.data[(s * r.channel_ids.data.length + c) * 3 + j];

describe('sortingview.fetch_feature_space.1', () => {
  it('default channels: the units\' peaks, then the first unit\'s neighbourhood; one PCA over all units; equals the kernel', async () => {
    const sels: Sel[] = [1, 2, 6];
    const { result, rounds } = await run({ ...wideKw, unit_ids: sels });
    const times = sels.map((s) => timesOf(data.trainsWide, s));
    const a = sels.map((s, i) => referenceNeighborhood(data.wide, times[i], s, [50, 80]));
    // Channel indices: the rough peaks (2, 17, 12 on this probe), then unit 1's neighbourhood, 15 in all.
    const set = [...new Set([...a.map((x) => x.nbhd[0]), ...a[0].nbhd])].slice(0, 15);
    expect(a.map((x) => x.nbhd[0])).toEqual([2, 17, 12]);
    const b = sels.map((s, i) => referenceSample(data.wide, times[i], s, [50, 80], set, PCA_MAX_SPIKES));
    expect(rounds).toEqual([
      [{ type: 'recordingInfo', recording: REC_WIDE_URI }, { type: 'sorting', sorting: SORTING_WIDE_URI }],
      [sumsSpec(REC_WIDE_URI, a.map((x) => x.frames), data.wide.channelIds, 15, 30)],
      [{ type: 'snippets', recording: REC_WIDE_URI, frames: Array.from(uniqueSorted(b.map((x) => x.frames))), channelIds: set.map((i) => data.wide.channelIds[i]), before: 50, after: 80 }],
    ]);
    // Columns: each unit's peak within the set (its mean's peak-to-peak), then the others.
    const peaks = b.map((x) => peakChannelIndex(meanSnippet(x.snippets), 130, set.length));
    const order = [...new Set([...peaks, ...set.map((_, c) => c)])];
    expect(Array.from(result.channel_ids.data)).toEqual(order.map((c) => data.wide.channelIds[set[c]]));
    expect(result.channel_ids.data[0]).toBe(data.wide.channelIds[2]);
    expect(result.channel_ids.data[1]).toBe(data.wide.channelIds[17]);
    expect(Array.from(result.spike_counts.data)).toEqual(b.map((x) => x.frames.length));
    expect(Array.from(result.timepoints.data)).toEqual(b.flatMap((x) => Array.from(x.frames)));
    const k = featureSpace(b.map((x) => featureRows(x.snippets)));
    const N = result.timepoints.data.length;
    const f = at(result);
    for (let s = 0; s < N; s += 7) for (let c = 0; c < order.length; c++) for (let j = 0; j < 3; j++) expect(f(s, c, j)).toBe(k.features[(s * order.length + order[c]) * 3 + j]);
    expect(result.features.shape).toEqual([N, 15, 3]);
    expect(Array.from(result.explained_variance.data)).toEqual(Array.from(Float32Array.from(k.variance)));
    expect(result.explained_variance_ratio.data[0]).toBeGreaterThan(result.explained_variance_ratio.data[1]);
    expect(result.components.shape).toEqual([3, 130]);
  });

  it('the units separate on their peak channels: a unit\'s PC1 is large on its own peak, near 0 where it does not reach', async () => {
    const { result } = await run({ ...wideKw, unit_ids: [1, 2] });
    const f = at(result);
    const [n1, n2] = Array.from(result.spike_counts.data);
    const meanAbs = (from: number, to: number, c: number) => { let m = 0; for (let s = from; s < to; s++) m += Math.abs(f(s, c, 0)); return m / (to - from); };
    // Column 0 is unit 1's peak, column 1 unit 2's.
    expect(meanAbs(0, n1, 0)).toBeGreaterThan(10 * meanAbs(n1, n1 + n2, 0));
    // Kilosort's sign: a negative-trough spike has a positive PC1 on its peak channel.
    let sum = 0;
    for (let s = 0; s < n1; s++) sum += f(s, 0, 0);
    expect(sum / n1).toBeGreaterThan(0.9 * meanAbs(0, n1, 0));
    expect(meanAbs(n1, n1 + n2, 1)).toBeGreaterThan(10 * meanAbs(0, n1, 1));
  });

  it('given channel_ids: no round A, their order kept; the PCA does not depend on the channels\' order', async () => {
    const { result: auto } = await run({ ...wideKw, unit_ids: [1, 6] });
    const ids = Array.from(auto.channel_ids.data).slice(0, 6);
    const rev = [...ids].reverse();
    const { result, rounds } = await run({ ...wideKw, unit_ids: [1, 6], channel_ids: rev });
    expect(rounds).toHaveLength(2);
    expect(Array.from(result.channel_ids.data)).toEqual(rev);
    const { result: fwd } = await run({ ...wideKw, unit_ids: [1, 6], channel_ids: ids });
    const a = at(fwd);
    const b = at(result);
    for (let s = 0; s < fwd.timepoints.data.length; s += 5) for (let c = 0; c < 6; c++) expect(b(s, 5 - c, 0)).toBeCloseTo(a(s, c, 0), 2);
  });

  it('max_spikes_per_unit takes the first spikes of the sample; a unit without spikes has none; merge groups', async () => {
    const { result: full } = await run({ ...wideKw, unit_ids: [6, [1, 2]] });
    const { result } = await run({ ...wideKw, unit_ids: [6, [1, 2], 3], max_spikes_per_unit: 40 });
    expect(Array.from(result.spike_counts.data)).toEqual([40, 40, 0]);
    const fullT = new Set(full.timepoints.data);
    for (const t of result.timepoints.data) expect(fullT.has(t)).toBe(true);
    const ref6 = referenceSample(data.wide, timesOf(data.trainsWide, 6), 6, [50, 80], [0], PCA_MAX_SPIKES);
    expect(full.spike_counts.data[0]).toBe(ref6.frames.length);
    expect(Array.from(result.timepoints.data.subarray(0, 40))).toEqual(Array.from(referenceSample(data.wide, timesOf(data.trainsWide, 6), 6, [50, 80], [0], 40).frames));
  });

  it('8 channels: every channel, ordered by the units\' peaks', async () => {
    const { result, rounds } = await run({ recording_uri: REC_URI, sorting_uri: SORTING_URI, unit_ids: [1, 2] });
    expect(rounds).toHaveLength(2);
    expect([...result.channel_ids.data].sort((x, y) => x - y)).toEqual(data.narrow.channelIds);
    expect(result.channel_ids.data[0]).toBe(data.narrow.channelIds[1]);
    expect(result.channel_ids.data[1]).toBe(data.narrow.channelIds[6]);
  });

  it('spikes per unit: 1000 at the defaults for 16 units, fewer for long snippets, so the rows stay within the cap', () => {
    expect(featureSpikesPerUnit(16, 15, 130)).toBe(1000);
    expect(featureSpikesPerUnit(16, 15, 130, 200)).toBe(200);
    const n = featureSpikesPerUnit(16, 15, 1000);
    expect(n).toBeLessThan(1000);
    expect(n * 16 * 15 * 1000).toBeLessThanOrEqual(MAX_FEATURE_ROW_VALUES);
    expect((n + 1) * 16 * 15 * 1000).toBeGreaterThan(MAX_FEATURE_ROW_VALUES);
  });

  it('a filtered recording: each snippet filtered on its own, as the cluster views', async () => {
    const { result, rounds } = await run({ recording_uri: REC_FILTERED_URI, sorting_uri: SORTING_URI, unit_ids: [1, 6] });
    expect(rounds).toHaveLength(2);
    const spec = rounds[1][0] as { before: number; after: number };
    expect(spec.before).toBeGreaterThan(50); // the filter's margin
    const { result: raw } = await run({ recording_uri: REC_URI, sorting_uri: SORTING_URI, unit_ids: [1, 6] });
    expect(result.features.shape[0]).toBeLessThanOrEqual(raw.features.shape[0]);
    expect(result.features.data).not.toEqual(raw.features.data);
  });

  it('errors: only empty units, an unknown channel', async () => {
    await expect(run({ ...wideKw, unit_ids: [3, 7] })).rejects.toThrow(/None of the units has no spikes/);
    await expect(run({ ...wideKw, unit_ids: [3] })).rejects.toThrow(/Unit 3 has no spikes/);
    await expect(run({ ...wideKw, unit_ids: [1, 2], channel_ids: [10, 999] })).rejects.toThrow(/Channel 999 is not a channel of the recording/);
  });

  it.each([
    ['no unit_ids', wideKw],
    ['17 units', { ...wideKw, unit_ids: Array.from({ length: 17 }, (_, i) => i) }],
    ['a channel twice', { ...wideKw, unit_ids: [1], channel_ids: [10, 10] }],
    ['16 channels', { ...wideKw, unit_ids: [1], channel_ids: Array.from({ length: 16 }, (_, i) => i) }],
    ['1001 spikes', { ...wideKw, unit_ids: [1], max_spikes_per_unit: 1001 }],
  ])('refuses %s', (_, kw) => expect(featureSpaceTask.kwargs.safeParse(kw).success).toBe(false));
});
