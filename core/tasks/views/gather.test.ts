import { describe, expect, it } from 'vitest';
import { DataSource, NeedChunks } from '../../data/dataSource';
import { AVERAGE_WAVEFORM_MAX_SPIKES, extractSnippets } from '../../kernels/waveforms';
import { chunkHash } from '../../protocol/paths';
import type { TaskContext } from '../types';
import { loadRecordingAndSorting, selectionTimes } from './common';
import { planGather, planOverCaps, planSums, runGather, sumsOverCaps } from './gather';
import { MAX_BATCH_VALUES, MAX_SPIKES_PER_CHUNK, RELAY_MAX_CHUNK_BYTES } from './limits';
import { REC_URI, REC_WIDE_URI, runRounds, SORTING_WIDE_URI, testDataset } from './testing/fakeRelay';
import { forEachUnitSample, neighborhoodPlan, unitNeighborhoods, waveformSetup } from './unitWaveforms';

const frames = (n: number, step = 1, start = 100) => Float64Array.from({ length: n }, (_, i) => start + i * step);

describe('planSums', () => {
  it('one group per member (frames sorted, repeats kept) in its piece\'s chunk, with its detail channel', () => {
    const members = [
      { frames: Float64Array.from([9, 5, 9]), channelIds: [1, 2, 3] },
      { frames: Float64Array.from([12]), channelIds: [3, 2, 4] },
      { frames: Float64Array.from([1]), channelIds: [7, 8] },
      { frames: new Float64Array(0), channelIds: [1] },
    ];
    const gather = planGather({ recording: REC_URI, dtype: 'int16', before: 10, after: 20, maxPieceChannels: 4, members });
    const sums = planSums(gather, members, [2, 4, 8, 1]);
    expect(sums.chunks).toEqual([
      { type: 'snippetSums', recording: REC_URI, channelIds: [1, 2, 3, 4], before: 10, after: 20, groups: [[5, 9, 9], [12]], detailChannelIds: [2, 4] },
      { type: 'snippetSums', recording: REC_URI, channelIds: [7, 8], before: 10, after: 20, groups: [[1]], detailChannelIds: [8] },
    ]);
    expect(Array.from(sums.memberChunk)).toEqual([0, 0, 1, -1]);
    expect(Array.from(sums.memberGroup)).toEqual([0, 1, 0, -1]);
    expect(sums.totalFrames).toBe(5);
    expect(sumsOverCaps(sums)).toBeNull();
  });

  it('splits a piece\'s groups into chunks of ≤ 50 000 spikes and ≤ 64 MiB of sums', () => {
    const all = Array.from({ length: 384 }, (_, i) => i);
    // 3 units of 30 000 spikes: one chunk each (two together would pass 50 000).
    const many = [0, 1, 2].map((k) => ({ frames: frames(30_000, 1, k * 1e6), channelIds: [5] }));
    const bySpikes = planSums(planGather({ recording: REC_URI, dtype: 'int16', before: 1, after: 1, maxPieceChannels: 20, members: many }), many);
    expect(bySpikes.chunks.map((c) => c.groups.length)).toEqual([1, 1, 1]);
    // 2000 one-spike units on 384 channels × 100 frames: 307 200 bytes of sums each, ≤ 218 per chunk.
    const tiny = Array.from({ length: 2000 }, (_, k) => ({ frames: Float64Array.from([1000 + k]), channelIds: all }));
    const byBytes = planSums(planGather({ recording: REC_URI, dtype: 'int16', before: 40, after: 60, maxPieceChannels: 384, members: tiny }), tiny);
    for (const c of byBytes.chunks) expect(c.groups.length * 100 * 384 * 8).toBeLessThanOrEqual(RELAY_MAX_CHUNK_BYTES);
    expect(byBytes.chunks.reduce((n, c) => n + c.groups.length, 0)).toBe(2000);
  });
});

describe('planGather', () => {
  it('members with overlapping channels share a piece while the union fits; frames are the sorted union', () => {
    const plan = planGather({
      recording: REC_URI, dtype: 'int16', before: 10, after: 20, maxPieceChannels: 4,
      members: [
        { frames: Float64Array.from([5, 9]), channelIds: [1, 2, 3] },
        { frames: Float64Array.from([9, 12]), channelIds: [3, 2, 4] },
        { frames: Float64Array.from([1]), channelIds: [7, 8] }, // union would be 6 > 4: a new piece
        { frames: new Float64Array(0), channelIds: [1] }, // no frames: no piece
      ],
    });
    expect(plan.pieces.map((p) => [p.channelIds, Array.from(p.frames), p.members])).toEqual([[[1, 2, 3, 4], [5, 9, 12], [0, 1]], [[7, 8], [1], [2]]]);
    expect(Array.from(plan.memberPiece)).toEqual([0, 0, 1, -1]);
    expect(plan.memberCols.map((c) => Array.from(c))).toEqual([[0, 1, 2], [2, 1, 3], [0, 1], []]);
    expect(plan.pieces[0].chunks).toEqual([{ type: 'snippets', recording: REC_URI, frames: [5, 9, 12], channelIds: [1, 2, 3, 4], before: 10, after: 20 }]);
    expect(plan.batches).toEqual([[0, 1]]);
    expect(plan).toMatchObject({ totalValues: 3 * 30 * 4 + 30 * 2, totalFrames: 4, numChunks: 2 });
  });

  it('splits a piece into chunks of ≤ 50 000 spikes and of ≤ 64 MiB, and batches of ≤ MAX_BATCH_VALUES', () => {
    const big = planGather({ recording: REC_URI, dtype: 'int16', before: 5, after: 10, maxPieceChannels: 1, members: [{ frames: frames(120_000), channelIds: [3] }] });
    expect(big.pieces[0].chunks.map((c) => c.frames.length)).toEqual([50_000, 50_000, 20_000]);
    expect(big.pieces[0].chunks.every((c) => c.frames.length <= MAX_SPIKES_PER_CHUNK)).toBe(true);
    // float32 on 384 channels: 64 MiB / (4 B · 100 · 384) = 436 snippets per chunk.
    const wide = planGather({ recording: REC_URI, dtype: 'float32', before: 40, after: 60, maxPieceChannels: 384, members: [{ frames: frames(800), channelIds: Array.from({ length: 384 }, (_, i) => i) }] });
    expect(wide.pieces[0].chunks.map((c) => c.frames.length)).toEqual([436, 364]);
    // Several members whose union would pass the batch cap go to several pieces and batches.
    const per = Math.floor(MAX_BATCH_VALUES / (100 * 100)) ; // frames of one member filling a batch
    const batched = planGather({
      recording: REC_URI, dtype: 'int16', before: 40, after: 60, maxPieceChannels: 100,
      members: [0, 1, 2].map((k) => ({ frames: frames(Math.floor(per * 0.6), 1, k * 1e7), channelIds: Array.from({ length: 100 }, (_, i) => i) })),
    });
    expect(batched.pieces).toHaveLength(3);
    expect(batched.batches).toEqual([[0], [1], [2]]);
    for (const p of batched.pieces) expect(p.values).toBeLessThanOrEqual(MAX_BATCH_VALUES);
  });

  it('planOverCaps names the cap a plan exceeds', () => {
    const plan = planGather({ recording: REC_URI, dtype: 'int16', before: 5, after: 10, maxPieceChannels: 1, members: [{ frames: frames(600_000), channelIds: [3] }] });
    expect(planOverCaps(plan)).toMatch(/600000 spike frames \(cap 500000\)/);
    expect(planOverCaps(plan, 1000)).toMatch(/9000000 sample values \(cap 1000\)/);
  });

  it('runGather: one NeedChunks with the chunks of every batch, then piece by piece', async () => {
    const { relay, narrow } = testDataset();
    const plan = planGather({
      recording: REC_URI, dtype: 'int16', before: 10, after: 20, maxPieceChannels: 2,
      members: [{ frames: frames(40, 100), channelIds: [10, 12] }, { frames: frames(30, 77), channelIds: [20, 22] }],
    });
    expect(plan.pieces).toHaveLength(2);
    const store = new Map<string, Uint8Array>();
    const ctx: TaskContext = { sleep: async () => {}, now: () => 0, data: new DataSource(async (s) => store.get(chunkHash(s)) ?? null) };
    const err = await runGather(ctx, plan, () => { throw new Error('nothing to hand over yet'); }).catch((e) => e);
    expect(err).toBeInstanceOf(NeedChunks);
    expect(err.specs).toEqual(plan.pieces.flatMap((p) => p.chunks));
    store.set(chunkHash(plan.pieces[0].chunks[0]), relay.serve(plan.pieces[0].chunks[0]));
    const again = await runGather(ctx, plan, () => {}).catch((e) => e);
    expect(again.specs).toEqual(plan.pieces[1].chunks);
    store.set(chunkHash(plan.pieces[1].chunks[0]), relay.serve(plan.pieces[1].chunks[0]));
    const seen: number[] = [];
    await runGather(ctx, plan, (piece, s, i) => {
      seen.push(i);
      const cols = piece.channelIds.map((id) => narrow.channelIds.indexOf(id));
      expect(s).toEqual(extractSnippets(narrow.traces, 8, 0, piece.frames, [10, 20], cols));
    });
    expect(seen).toEqual([0, 1]);
  });
});

describe('unit waveforms: many units sample fewer spikes each to fit the round', () => {
  it('adaptive: the largest n whose plan fits; otherwise refused with a message', async () => {
    const { relay } = testDataset();
    const store = new Map<string, Uint8Array>();
    const ctx: TaskContext = { sleep: async () => {}, now: () => 0, data: new DataSource(async (s) => store.get(chunkHash(s)) ?? null) };
    const fill = async <T>(f: () => Promise<T>): Promise<T> => {
      for (;;) {
        try { return await f(); } catch (e) {
          if (!(e instanceof NeedChunks)) throw e;
          for (const s of e.specs) store.set(chunkHash(s), relay.serve(s));
        }
      }
    };
    const { recording, sorting } = await fill(() => loadRecordingAndSorting(ctx, REC_WIDE_URI, SORTING_WIDE_URI));
    const setup = waveformSetup(recording, [50, 80]);
    const units = sorting.unitIds.map((id) => ({ selection: id, times: selectionTimes(sorting, id) }));
    const nbhds = await fill(() => unitNeighborhoods(ctx, setup, units));
    const cap = 300 * 130 * 20; // values for ~300 spikes per unit
    const { spikesPerUnit, results } = await fill(() => forEachUnitSample(ctx, setup, units, nbhds, (_, s) => s.numSpikes, { adaptive: true, maxRoundValues: cap }));
    expect(spikesPerUnit).toBeLessThan(AVERAGE_WAVEFORM_MAX_SPIKES);
    expect(spikesPerUnit).toBeGreaterThan(50);
    expect(Math.max(...results.map((r) => r ?? 0))).toBe(spikesPerUnit);
    await expect(forEachUnitSample(ctx, setup, units, nbhds, () => 0, { maxRoundValues: cap })).rejects.toThrow(/Gathering 500 spikes of each of 7 units needs .* \(cap 780000\): too many units for one call/);
  });

  it('round A too: fewer peak-search spikes per unit when all units on all channels would not fit', async () => {
    const { relay } = testDataset();
    const store = new Map<string, Uint8Array>();
    const ctx: TaskContext = { sleep: async () => {}, now: () => 0, data: new DataSource(async (s) => store.get(chunkHash(s)) ?? null) };
    const { recording, sorting } = await (async () => {
      const specs = [{ type: 'recordingInfo' as const, recording: REC_WIDE_URI }, { type: 'sorting' as const, sorting: SORTING_WIDE_URI }];
      for (const s of specs) store.set(chunkHash(s), relay.serve(s));
      return loadRecordingAndSorting(ctx, REC_WIDE_URI, SORTING_WIDE_URI);
    })();
    const setup = waveformSetup(recording, [50, 80]);
    const units = sorting.unitIds.map((id) => ({ selection: id, times: selectionTimes(sorting, id) }));
    const cap = 40 * 45 * 20; // 40 snippets of 45 frames on 20 channels; the full search needs 60
    const fit = neighborhoodPlan(setup, units, { adaptive: true, maxRoundValues: cap })!;
    expect(fit.plan.totalValues).toBeLessThanOrEqual(cap);
    expect(fit.spikesPerUnit).toBeGreaterThan(5);
    expect(fit.spikesPerUnit).toBeLessThan(20);
    expect(fit.frames.every((f) => f.length <= fit.spikesPerUnit)).toBe(true);
    expect(neighborhoodPlan(setup, units)!.spikesPerUnit).toBe(20);
    expect(() => neighborhoodPlan(setup, units, { maxRoundValues: cap })).toThrow(/Finding the channels of 7 units on a 20-channel probe needs .*: too many units for one call/);
  });

  it('the whole flow needs at most 4 rounds of the worker\'s 8', async () => {
    const { relay } = testDataset();
    const { spikeAmplitudesTask } = await import('./spikeAmplitudes');
    const { rounds } = await runRounds(spikeAmplitudesTask, { recording_uri: REC_WIDE_URI, sorting_uri: SORTING_WIDE_URI, unit_id: 6 }, relay);
    expect(rounds).toHaveLength(4);
  });
});
