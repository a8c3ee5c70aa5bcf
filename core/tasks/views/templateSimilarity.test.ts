import { describe, expect, it } from 'vitest';
import { averageWaveform, AVERAGE_WAVEFORM_MAX_SPIKES, templateSimilarity, type AverageWaveform } from '../../kernels/waveforms';
import { MERGE_SUGGESTION_SIMILARITY, templateSimilarityTask } from './templateSimilarity';
import { averageWaveformTask } from './averageWaveform';
import { addStoredTemplates, REC_URI, REC_WIDE_URI, runRounds, SORTING_WIDE_URI, testDataset } from './testing/fakeRelay';
import { referenceNeighborhood, referenceSample, sumsSpec, timesOf, type Sel } from './testing/reference';

const data = testDataset();
const SPLIT_URI = `sha1://${'8a'.repeat(20)}/split.json`;
// Unit 6 of the 8-channel recording over-split into 61 and 62 (alternate spikes), next to units 1 and 2.
const six = data.trainsNarrow.get(6)!;
const splitTrains = new Map<number, Float64Array>([
  [1, data.trainsNarrow.get(1)!], [2, data.trainsNarrow.get(2)!], [3, data.trainsNarrow.get(3)!],
  [61, six.filter((_, i) => i % 2 === 0)], [62, six.filter((_, i) => i % 2 === 1)],
]);
data.relay.sortings.set(SPLIT_URI, { sampleRateHz: 30000, unitIds: [...splitTrains.keys()], trains: [...splitTrains.values()] });

function referenceTemplates(rec: typeof data.narrow, trains: Map<number, Float64Array>, sels: Sel[]) {
  return sels.map((sel) => {
    const times = timesOf(trains, sel);
    const { nbhd } = referenceNeighborhood(rec, times, sel, [50, 80]);
    const s = referenceSample(rec, times, sel, [50, 80], nbhd, AVERAGE_WAVEFORM_MAX_SPIKES);
    if (!s.frames.length) return { frames: s.frames, template: { channelIds: [rec.channelIds[0]], waveform: new Float32Array(130) } };
    const w = averageWaveform({ snippets: s.snippets, channelIds: s.channelIds, recording: { channelIds: rec.channelIds, geom: rec.geom, sampleRateHz: 30000 } });
    return { frames: s.frames, template: { channelIds: Array.from(w.channel_ids.data), waveform: w.average_waveform.data } };
  });
}

describe('sortingview.template_similarity.1', () => {
  it('suggests merging the halves of an over-split unit; the matrix equals the kernel on fetch_average_waveform\'s templates', async () => {
    const { result, rounds } = await runRounds(templateSimilarityTask, { recording_uri: REC_URI, sorting_uri: SPLIT_URI }, data.relay);
    const sels = [1, 2, 3, 61, 62];
    const ref = referenceTemplates(data.narrow, splitTrains, sels);
    expect(rounds).toEqual([
      [{ type: 'recordingInfo', recording: REC_URI }, { type: 'sorting', sorting: SPLIT_URI }],
      [sumsSpec(REC_URI, ref.map((r) => r.frames).filter((f) => f.length), data.narrow.channelIds, 50, 80)], // an empty unit asks for nothing
    ]);
    const r = result as { unit_ids: Sel[]; similarity: { data: Float32Array; shape: number[] }; merge_suggestions: { unit_ids: Sel[]; similarity: number }[]; threshold: number };
    expect(r.unit_ids).toEqual(sels);
    expect(r.similarity).toEqual(templateSimilarity(ref.map((x) => x.template)));
    // The halves first; unit 2 sits 20 µm from unit 6 with the same synthetic shape, so it is suggested too.
    expect(r.merge_suggestions[0].unit_ids).toEqual([61, 62]);
    expect(r.merge_suggestions[0].similarity).toBeGreaterThan(0.95);
    const expected: Sel[][] = [];
    for (let i = 0; i < 5; i++) for (let j = i + 1; j < 5; j++) if (r.similarity.data[i * 5 + j] >= MERGE_SUGGESTION_SIMILARITY) expected.push([sels[i], sels[j]]);
    expect(r.merge_suggestions.map((x) => x.unit_ids).sort()).toEqual(expected.sort());
    expect(r.merge_suggestions.map((x) => x.similarity)).toEqual([...r.merge_suggestions.map((x) => x.similarity)].sort((a, b) => b - a));
    expect(r.merge_suggestions.some((x) => (x.unit_ids as number[]).includes(1))).toBe(false);
    expect(r.threshold).toBe(MERGE_SUGGESTION_SIMILARITY);
    expect(r.similarity.data[2 * 5 + 2]).toBe(0); // the empty unit is similar to nothing, itself included
  });

  it('unit_ids with a merge group, on the 20-channel probe (round A first)', async () => {
    const sels: Sel[] = [[1, 2], 6, 4];
    const { result, rounds } = await runRounds(templateSimilarityTask, { recording_uri: REC_WIDE_URI, sorting_uri: SORTING_WIDE_URI, unit_ids: sels }, data.relay);
    expect(rounds).toHaveLength(3);
    const ref = referenceTemplates(data.wide, data.trainsWide, sels);
    expect((result as { similarity: unknown }).similarity).toEqual(templateSimilarity(ref.map((x) => x.template)));
  });

  it.each([
    ['unit_ids empty', { recording_uri: REC_URI, sorting_uri: SPLIT_URI, unit_ids: [] }],
    ['unit_ids not a list', { recording_uri: REC_URI, sorting_uri: SPLIT_URI, unit_ids: 3 }],
    ['a threshold kwarg', { recording_uri: REC_URI, sorting_uri: SPLIT_URI, threshold: 0.5 }],
  ])('refuses %s', (_, kw) => expect(templateSimilarityTask.kwargs.safeParse(kw).success).toBe(false));
});

describe('sortingview.template_similarity.1 of an analyzer whose traces are gone: its stored templates', () => {
  const T = 10;
  const C = data.wide.channelIds.length;
  // Units 1 and 2 share a shape (2's is 1's × 0.5: cosine 1); the others peak elsewhere.
  const shape = (peak: number, scale: number) => Float32Array.from({ length: T * C }, (_, j) => {
    const t = Math.floor(j / C);
    const c = j % C;
    return scale * (t === 3 ? -20 / (1 + Math.abs(c - peak)) : Math.sin(t + c) * 0.5);
  });
  const template = (u: number) => (u === 2 ? shape(2, 0.5) : u === 1 ? shape(2, 1) : shape(3 * u % C, 1));
  const relay = testDataset().relay;
  const rec = addStoredTemplates(relay, { base: REC_WIDE_URI, sorting: SORTING_WIDE_URI, numSamples: T, template });

  it('the kernel on the templates fetch_average_waveform.2 shows; one round of templates; the same-shaped pair suggested', async () => {
    const units = [1, 2, 6, [4, 6]];
    const { result, rounds } = await runRounds(templateSimilarityTask, { recording_uri: rec, sorting_uri: SORTING_WIDE_URI, unit_ids: units }, relay);
    expect(rounds[1]).toEqual([{ type: 'templates', recording: rec, sorting: SORTING_WIDE_URI, unitIds: [1, 2, 6, 4] }]);
    expect(rounds).toHaveLength(2);
    const shown = [];
    for (const u of units) {
      const w = (await runRounds(averageWaveformTask, { recording_uri: rec, sorting_uri: SORTING_WIDE_URI, unit_id: u }, relay)).result as AverageWaveform;
      shown.push({ channelIds: Array.from(w.channel_ids.data), waveform: w.average_waveform.data });
    }
    const r = result as { similarity: { data: Float32Array }; merge_suggestions: { unit_ids: unknown[] }[]; spikes_per_unit: number };
    expect(Array.from(r.similarity.data)).toEqual(Array.from(templateSimilarity(shown).data));
    expect(r.similarity.data[1]).toBeCloseTo(1, 5);
    expect(r.merge_suggestions[0]!.unit_ids).toEqual([1, 2]);
    expect(r.spikes_per_unit).toBe(Math.min(500, Math.max(...[1, 2, 6, 4].map((u) => data.trainsWide.get(u)!.length))));
  });
});
