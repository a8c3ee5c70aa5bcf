import { describe, expect, it } from 'vitest';
import { individualClusterFeatures, pairClusterFeatures, PCA_MAX_SPIKES, uniqueSorted } from '../../kernels/waveforms';
import { individualClusterFeaturesTask, pairClusterFeaturesTask } from './clusterFeatures';
import { REC_URI, REC_WIDE_URI, runRounds, SORTING_URI, SORTING_WIDE_URI, testDataset } from './testing/fakeRelay';
import { referenceNeighborhood, referenceSample, sumsSpec, timesOf, type Sel } from './testing/reference';

const data = testDataset();
const wideKw = { recording_uri: REC_WIDE_URI, sorting_uri: SORTING_WIDE_URI };

function ref(sel: Sel) {
  const times = timesOf(data.trainsWide, sel);
  const a = referenceNeighborhood(data.wide, times, sel, [50, 80]);
  return { a, b: referenceSample(data.wide, times, sel, [50, 80], a.nbhd, PCA_MAX_SPIKES) };
}

describe('individual_cluster_features.1', () => {
  it('rounds: info + sorting, round A, the 1000-sample on the neighbourhood; equals the kernel', async () => {
    const { result, rounds } = await runRounds(individualClusterFeaturesTask, { ...wideKw, unit_id: 6 }, data.relay);
    const { a, b } = ref(6);
    expect(b.frames.length).toBeGreaterThan(500);
    expect(rounds).toEqual([
      [{ type: 'recordingInfo', recording: REC_WIDE_URI }, { type: 'sorting', sorting: SORTING_WIDE_URI }],
      [sumsSpec(REC_WIDE_URI, [a.frames], data.wide.channelIds, 15, 30)],
      [{ type: 'snippets', recording: REC_WIDE_URI, frames: Array.from(uniqueSorted([b.frames])), channelIds: b.channelIds, before: 50, after: 80 }],
    ]);
    expect(result).toEqual(individualClusterFeatures(b.snippets, b.frames, 'Unit 6'));
  });

  it('a merge group; an empty unit is an error', async () => {
    const { result } = await runRounds(individualClusterFeaturesTask, { ...wideKw, unit_id: [1, 2] }, data.relay);
    const { b } = ref([1, 2]);
    expect(result).toEqual(individualClusterFeatures(b.snippets, b.frames));
    await expect(runRounds(individualClusterFeaturesTask, { ...wideKw, unit_id: 3 }, data.relay)).rejects.toThrow(/Unit 3 has no spikes/);
  });

  it.each([
    ['no unit_id', wideKw],
    ['unit_id1 instead of unit_id', { ...wideKw, unit_id1: 1 }],
  ])('refuses %s', (_, kw) => expect(individualClusterFeaturesTask.kwargs.safeParse(kw).success).toBe(false));
});

describe('pair_cluster_features.4', () => {
  it('both units in each round; equals the kernel on the channels they share', async () => {
    const { result, rounds } = await runRounds(pairClusterFeaturesTask, { ...wideKw, unit_id1: 1, unit_id2: 2 }, data.relay);
    const r1 = ref(1);
    const r2 = ref(2);
    expect(rounds).toHaveLength(3);
    expect(rounds[1]).toEqual([sumsSpec(REC_WIDE_URI, [r1.a.frames, r2.a.frames], data.wide.channelIds, 15, 30)]);
    expect(result).toEqual(pairClusterFeatures(
      { snippets: r1.b.snippets, channelIds: r1.b.channelIds, times: r1.b.frames, label: 1 },
      { snippets: r2.b.snippets, channelIds: r2.b.channelIds, times: r2.b.frames, label: 2 },
    ));
    const labels = (result as { labels: { data: Int32Array } }).labels.data;
    expect(new Set(labels)).toEqual(new Set([1, 2]));
  });

  it('8 channels, a merge group labelled by its smallest id', async () => {
    const { result, rounds } = await runRounds(pairClusterFeaturesTask, { recording_uri: REC_URI, sorting_uri: SORTING_URI, unit_id1: [6, 5], unit_id2: 1 }, data.relay);
    expect(rounds).toHaveLength(2);
    expect(new Set((result as { labels: { data: Int32Array } }).labels.data)).toEqual(new Set([5, 1]));
  });

  it('an empty unit is an error', async () => {
    await expect(runRounds(pairClusterFeaturesTask, { ...wideKw, unit_id1: 1, unit_id2: 7 }, data.relay)).rejects.toThrow(/Unit 7 has no spikes/);
  });

  it.each([
    ['one unit only', { ...wideKw, unit_id1: 1 }],
    ['a list of lists', { ...wideKw, unit_id1: [[1]], unit_id2: 2 }],
  ])('refuses %s', (_, kw) => expect(pairClusterFeaturesTask.kwargs.safeParse(kw).success).toBe(false));
});
