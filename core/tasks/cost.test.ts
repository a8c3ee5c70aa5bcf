import { describe, expect, it } from 'vitest';
import { findTask, taskFunctionIds } from './catalog';
import { recordingFactsOf, timeseriesRelayCost } from './contracts/recording';
import { MAX_TASK_RELAY_BYTES, relayCostRefusal } from './cost';
import { timeseriesSegmentTask } from './recordingTasks';

const R = `sha1://${'ab'.repeat(20)}/rec.json`;
const hour384 = { numChannels: 384, numFrames: 30_000 * 3600, hasOwnFilters: false }; // 83 GB of int16
const seg = (over: Partial<Parameters<typeof timeseriesRelayCost>[0]>) => ({ recording_uri: R, ds_factor: 1, segment_num: 0, segment_size: 261, filter: 'none' as const, ...over });

describe('relay cost', () => {
  it('every task declares one, and every fixed one is within the bound', () => {
    for (const id of taskFunctionIds({ diagnosticTasks: true })) {
      const t = findTask(id, { diagnosticTasks: true })!;
      expect(typeof t.relayCost).toBe('function');
      if (!t.relayCostUsesRecording) expect(t.relayCost({} as never, null).bytes).toBeLessThanOrEqual(MAX_TASK_RELAY_BYTES);
    }
  });

  it('a whole-file overview of an hour on 384 channels costs three small tiles, not the file', () => {
    // The web app's overview: the level whose 261 pairs span the hour (3^13 · 261 ≥ 1.08e8 frames).
    const ds = 3 ** 13;
    const c = timeseriesRelayCost(seg({ ds_factor: ds }), hour384);
    expect(c.bytes).toBe(3 * 261 * 384 * 8); // 2.4 MB: three tiles of the level below
    expect(c.bytes).toBeLessThan(hour384.numFrames * 384 * 2 / 10_000);
    // A base-level tile (3^5) is reduced from raw: 243 · 261 frames on 384 channels.
    expect(timeseriesRelayCost(seg({ ds_factor: 243 }), hour384).bytes).toBe(243 * 261 * 384 * 4);
  });

  it('above the bound: too costly, with what to ask instead', () => {
    // The largest segment the worker allows on 384 channels, at the base level: 41 raw tiles.
    const k = seg({ ds_factor: 243, segment_size: 10_416 });
    const refusal = relayCostRefusal('get_timeseries_segment.1', timeseriesRelayCost(k, hour384));
    expect(refusal).toMatch(/would make the relay read about \d+ MiB \(at most 2048 MiB per task\): ask for a smaller segment_size \(the web app uses ceil\(100000 \/ channels\) = 261 here\) or a shorter range, or a coarser ds_factor/);
    // Without the recording's facts the estimate is a worst case, and says how to get a tighter one.
    expect(relayCostRefusal('get_timeseries_segment.1', timeseriesRelayCost(k, null))).toMatch(/ask for recording_info\.3 first/);
    // The web app's own requests pass.
    for (const ds of [1, 3, 81, 243, 729, 3 ** 13]) expect(relayCostRefusal('x', timeseriesRelayCost(seg({ ds_factor: ds }), hour384))).toBeNull();
  });

  it('a filtered zoomed-out segment costs the raw frames the worker would read, at most its cap', () => {
    const c = timeseriesRelayCost(seg({ ds_factor: 81, filter: 'bandpass' }), hour384);
    expect(c.bytes).toBe(81 * 261 * 384 * 4);
    expect(c.advice).toMatch(/filter 'none'/);
    // filter absent: filtered only when the recording object is.
    expect(timeseriesRelayCost(seg({ ds_factor: 3 ** 13, filter: undefined }), hour384).bytes).toBe(3 * 261 * 384 * 8);
    expect(timeseriesRelayCost(seg({ ds_factor: 3 ** 13, filter: undefined }), { ...hour384, hasOwnFilters: true }).bytes).toBe(64 * 1024 * 1024 * 4);
  });

  it('facts come from a recording_info.3 result', () => {
    const info = (channels: number, recording_object: unknown) => ({
      sampling_frequency: 30000, channel_ids: Array.from({ length: channels }, (_, i) => i), channel_groups: Array(channels).fill(0),
      geom: Array.from({ length: channels }, () => [0, 0]), num_frames: 99, noise_level: 1, gain_uv_per_bit: null, recording_object,
    });
    expect(recordingFactsOf(info(3, { recording_format: 'subrecording', data: { recording: { recording_format: 'filtered' } } })))
      .toEqual({ numChannels: 3, numFrames: 99, hasOwnFilters: true });
    expect(recordingFactsOf(info(1, { recording_format: 'bin1' }))!.hasOwnFilters).toBe(false);
    // Not the contract's shape (an older or forged result): estimated as unknown.
    expect(recordingFactsOf({ nope: 1 })).toBeNull();
    expect(recordingFactsOf({ ...info(2, null), num_frames: '99' })).toBeNull();
    expect(timeseriesSegmentTask.relayCostUsesRecording).toBe(true);
  });
});
