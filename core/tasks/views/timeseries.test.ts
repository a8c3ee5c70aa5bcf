import { describe, expect, it } from 'vitest';
import { DataSource } from '../../data/dataSource';
import { channelMajor, designBandpass, filterBlock, filterSegment, minMaxDownsample } from '../../kernels/waveforms';
import { chunkHash } from '../../protocol/paths';
import { timeseriesSegmentTask } from '../recordingTasks';
import type { TaskContext } from '../types';
import { FakeRelay, REC_FILTERED_URI, REC_URI, runRounds, testDataset } from './testing/fakeRelay';
import { filteredSegment } from './timeseries';

const data = testDataset();
const C = 8;
const N = data.narrow.numFrames;
const traces = data.narrow.traces;
const f = designBandpass(30000);
const CTX = f.contextFrames; // 894 at 30 kHz
const wholeFiltered = filterBlock(f, traces, C, 0, N);
const kw = (over: Record<string, unknown>) => ({ recording_uri: REC_URI, ds_factor: 1, segment_num: 2, segment_size: 4000, ...over });
const traceSpec = (rec: string, startFrame: number, endFrame: number) => ({ type: 'traces', recording: rec, startFrame, endFrame, channelIds: data.narrow.channelIds });
const arr = (r: unknown) => (r as { traces: { data: Float32Array; shape: number[] } }).traces;
const peak = wholeFiltered.reduce((m, v) => Math.max(m, Math.abs(v)), 0);
const maxDiff = (a: ArrayLike<number>, b: ArrayLike<number>) => {
  expect(a.length).toBe(b.length);
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
  return m;
};

describe('get_timeseries_segment.1 without filters (2021 behaviour, unchanged)', () => {
  it('ds 1: one traces chunk of the segment; ds > 1: the pyramid tiles that hold it, whatever segment_size', async () => {
    const a = await runRounds(timeseriesSegmentTask, kw({}), data.relay);
    expect(a.rounds).toEqual([[{ type: 'recordingInfo', recording: REC_URI }], [traceSpec(REC_URI, 8000, 12000)]]);
    expect(arr(a.result)).toEqual(channelMajor(traces.subarray(8000 * C, 12000 * C), C));
    // 8 channels: tiles of ceil(1e5 / 8) = 12 500 pairs; pairs [1000, 2000) of level 9 are in tile 0.
    const b = await runRounds(timeseriesSegmentTask, kw({ ds_factor: 9, segment_num: 1, segment_size: 1000 }), data.relay);
    expect(b.rounds[1]).toEqual([{ type: 'minmax', recording: REC_URI, dsFactor: 9, segment: 0, segmentSize: 12_500 }]);
    expect(arr(b.result)).toEqual(minMaxDownsample(traces.subarray(9000 * C, 18000 * C), C, 9));
    // Another segment_size over the same frames: the same tile, the same values.
    const c = await runRounds(timeseriesSegmentTask, kw({ ds_factor: 9, segment_num: 2, segment_size: 500 }), data.relay);
    expect(c.rounds[1]).toEqual(b.rounds[1]);
    expect(arr(c.result)).toEqual(minMaxDownsample(traces.subarray(9000 * C, 13_500 * C), C, 9));
  });

  it('a segment across a tile boundary takes both tiles, cut to the segment', async () => {
    // Level 3: tile 0 holds frames [0, 37 500); segment 3 of 4000 pairs is frames [36 000, 48 000).
    const r = await runRounds(timeseriesSegmentTask, kw({ ds_factor: 3, segment_num: 3, segment_size: 4000 }), data.relay);
    expect(r.rounds[1]).toEqual([0, 1].map((t) => ({ type: 'minmax', recording: REC_URI, dsFactor: 3, segment: t, segmentSize: 12_500 })));
    expect(arr(r.result)).toEqual(minMaxDownsample(traces.subarray(36_000 * C, 48_000 * C), C, 3));
  });

  it('accepts only ds_factor 1 and pyramid levels (powers of 3), and says which', () => {
    for (const ds of [1, 3, 9, 243, 3 ** 15]) expect(timeseriesSegmentTask.kwargs.safeParse(kw({ ds_factor: ds })).success).toBe(true);
    for (const ds of [2, 10, 100, 1_000_000, 3 ** 16]) {
      const r = timeseriesSegmentTask.kwargs.safeParse(kw({ ds_factor: ds }));
      expect(r.success).toBe(false);
      expect(r.error!.issues[0].message).toMatch(/ds_factor must be 1 \(raw samples\) or a min\/max pyramid level: a power of 3 from 3 to 14348907/);
    }
  });
});

describe('get_timeseries_segment.1 with filters', () => {
  it('a filtered recording (filter absent): the segment plus 894 frames of context each side, filtered; equals the whole recording filtered', async () => {
    const { result, rounds } = await runRounds(timeseriesSegmentTask, kw({ recording_uri: REC_FILTERED_URI }), data.relay);
    expect(rounds).toEqual([[{ type: 'recordingInfo', recording: REC_FILTERED_URI }], [traceSpec(REC_FILTERED_URI, 8000 - CTX, 12000 + CTX)]]);
    const block = traces.subarray((8000 - CTX) * C, (12000 + CTX) * C);
    expect(arr(result)).toEqual(channelMajor(filterSegment(f, block, C, 8000 - CTX, N, 8000, 12000), C));
    const whole = channelMajor(wholeFiltered.subarray(8000 * C, 12000 * C), C);
    expect(maxDiff(arr(result).data, whole.data)).toBeLessThan(1e-6 * peak);
  });

  it('segments at the ends: context clipped to the recording (the odd extension of sosfiltfilt there); consecutive segments join without seams', async () => {
    const first = await runRounds(timeseriesSegmentTask, kw({ recording_uri: REC_FILTERED_URI, segment_num: 0, segment_size: 10_000 }), data.relay);
    const last = await runRounds(timeseriesSegmentTask, kw({ recording_uri: REC_FILTERED_URI, segment_num: 4, segment_size: 10_000 }), data.relay);
    expect(first.rounds[1]).toEqual([traceSpec(REC_FILTERED_URI, 0, 10_000 + CTX)]);
    expect(last.rounds[1]).toEqual([traceSpec(REC_FILTERED_URI, 40_000 - CTX, N)]);
    expect(arr(last.result).shape).toEqual([C, 5000]);
    const parts = [];
    for (let s = 0; s < 5; s++) parts.push(arr((await runRounds(timeseriesSegmentTask, kw({ recording_uri: REC_FILTERED_URI, segment_num: s, segment_size: 10_000 }), data.relay)).result));
    for (let c = 0; c < C; c++) {
      const row = parts.flatMap((p) => Array.from(p.data.subarray(c * p.shape[1], (c + 1) * p.shape[1])));
      expect(maxDiff(row, Array.from({ length: N }, (_, t) => wholeFiltered[t * C + c]))).toBeLessThan(1e-6 * peak);
    }
  });

  it("filter 'none' shows a filtered recording raw; 'bandpass' filters a raw recording with 300–6000 Hz", async () => {
    const none = await runRounds(timeseriesSegmentTask, kw({ recording_uri: REC_FILTERED_URI, filter: 'none' }), data.relay);
    expect(none.rounds[1]).toEqual([traceSpec(REC_FILTERED_URI, 8000, 12000)]);
    expect(arr(none.result)).toEqual(channelMajor(traces.subarray(8000 * C, 12000 * C), C));
    const bp = await runRounds(timeseriesSegmentTask, kw({ filter: 'bandpass' }), data.relay);
    const own = await runRounds(timeseriesSegmentTask, kw({ recording_uri: REC_FILTERED_URI, filter: 'bandpass' }), data.relay);
    expect(arr(bp.result)).toEqual(arr(own.result));
  });

  it('ds > 1: min/max of the filtered segment, from raw traces + context (never the relay\'s raw pyramid)', async () => {
    const { result, rounds } = await runRounds(timeseriesSegmentTask, kw({ recording_uri: REC_FILTERED_URI, ds_factor: 9, segment_num: 1, segment_size: 1000 }), data.relay);
    expect(rounds[1]).toEqual([traceSpec(REC_FILTERED_URI, 9000 - CTX, 18000 + CTX)]);
    expect(arr(result).shape).toEqual([C, 2000]);
    const ref = minMaxDownsample(wholeFiltered.subarray(9000 * C, 18000 * C), C, 9);
    expect(maxDiff(arr(result).data, ref.data)).toBeLessThan(1e-6 * peak);
  });

  it('a segment read in several pieces (each within one relay chunk, whole ds blocks), asked in one round', async () => {
    const relay = new FakeRelay();
    relay.recordings.set(REC_FILTERED_URI, data.relay.recordings.get(REC_FILTERED_URI)!);
    const store = new Map<string, Uint8Array>();
    const ctx: TaskContext = { sleep: async () => {}, now: () => 0, data: new DataSource(async (s) => store.get(chunkHash(s)) ?? null) };
    const info = relay.recordings.get(REC_FILTERED_URI)!.info;
    const run = () => filteredSegment(ctx, REC_FILTERED_URI, info, info.filters, 9000, 36_000, 9, (3000 + 2 * CTX) * C);
    const need = await run().catch((e) => e);
    expect(need.name).toBe('NeedChunks');
    // 2997 frames (333 blocks of 9) per piece.
    expect(need.specs.map((s: { startFrame: number; endFrame: number }) => [s.startFrame, s.endFrame])).toEqual(
      [[9000, 11997], [11997, 14994], [14994, 17991], [17991, 20988], [20988, 23985], [23985, 26982], [26982, 29979], [29979, 32976], [32976, 35973], [35973, 36000]]
        .map(([s, e]) => [s - CTX, Math.min(N, e + CTX)]));
    for (const s of need.specs) store.set(chunkHash(s), relay.serve(s));
    const got = await run();
    const ref = minMaxDownsample(wholeFiltered.subarray(9000 * C, 36_000 * C), C, 9);
    expect(got.shape).toEqual(ref.shape);
    expect(maxDiff(got.data, ref.data)).toBeLessThan(1e-6 * peak);
  });

  it('refuses, after round 1, a filtered zoom level that would read more than the cap, and oversized segments', async () => {
    const relay = new FakeRelay();
    const long = `sha1://${'9b'.repeat(20)}/long.json`;
    const wide = `sha1://${'9c'.repeat(20)}/wide.json`;
    const base = data.relay.recordings.get(REC_FILTERED_URI)!;
    relay.recordings.set(long, { info: { ...base.info, numFrames: 100_000_000 }, traces: base.traces });
    relay.recordings.set(wide, {
      info: { ...base.info, channelIds: Array.from({ length: 64 }, (_, i) => i), channelGroups: Array(64).fill(0), geom: Array.from({ length: 64 }, (_, i): [number, number] => [0, i]) },
      traces: base.traces,
    });
    await expect(runRounds(timeseriesSegmentTask, { recording_uri: long, ds_factor: 2187, segment_num: 0, segment_size: 12_500 }, relay))
      .rejects.toThrow(/ds_factor 2187 would read and filter 218700000 raw values.*filter 'none'/);
    await expect(runRounds(timeseriesSegmentTask, { recording_uri: wide, ds_factor: 1, segment_num: 0, segment_size: 100_000 }, relay))
      .rejects.toThrow(/use segment_size ≤ 62500/);
    expect(relay.served.map((s) => s.type)).toEqual(['recordingInfo', 'recordingInfo']);
    // Unfiltered, the same zoom level is a tile of the relay's min/max pyramid.
    const ok = await runRounds(timeseriesSegmentTask, { recording_uri: long, ds_factor: 2187, segment_num: 0, segment_size: 10, filter: 'none' }, relay);
    expect(ok.rounds[1]).toMatchObject([{ type: 'minmax', dsFactor: 2187 }]);
  });

  it.each([
    ['an unknown filter', { filter: 'highpass' }],
    ['filter true', { filter: true }],
    ['filter null', { filter: null }],
    ['a fractional ds_factor', { ds_factor: 1.5 }],
  ])('refuses %s', (_, over) => expect(timeseriesSegmentTask.kwargs.safeParse(kw(over)).success).toBe(false));
});
