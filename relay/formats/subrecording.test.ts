import { describe, expect, it } from 'vitest';
import { openRecording } from './open';
import { bytesOf, memoryOpenFile } from './testing';
import type { RecordingObject } from '../../core/protocol/dataObjects';

/** bin1 with 4 channels (ids 0–3, groups via a subrecording), 100 frames, value = frame * 10 + column. */
const raw = bytesOf(new Int16Array(400).map((_, i) => Math.floor(i / 4) * 10 + (i % 4)));
const base: RecordingObject = {
  recording_format: 'bin1',
  data: {
    raw: '/r.dat', raw_num_channels: 4, num_frames: 100, samplerate: 1000, channel_ids: [0, 1, 2, 3],
    channel_map: { 0: 0, 1: 1, 2: 2, 3: 3 }, channel_positions: { 0: [0, 0], 1: [0, 10], 2: [0, 20], 3: [0, 30] },
  },
};
const open = memoryOpenFile({ '/r.dat': raw });

describe('subrecording', () => {
  it('serves a channel subset and a frame window of the parent', async () => {
    const r = await openRecording({ recording_format: 'subrecording', data: { recording: base, channel_ids: [3, 1], start_frame: 20, end_frame: 60 } }, open);
    expect(r.info).toMatchObject({ numFrames: 40, channelIds: [3, 1], geom: [[0, 30], [0, 10]], channelGroups: [0, 0] });
    expect(Array.from(await r.readTraces(0, 2, [1, 3]))).toEqual([201, 203, 211, 213]);
    expect(Array.from(await r.readSnippets(new Float64Array([5, 38]), 1, 2, [3]))).toEqual([243, 253, 263, 573, 583, 593]);
    await expect(r.readTraces(0, 41, [1])).rejects.toThrow(/outside recording subrecording/);
    await expect(r.readSnippets(new Float64Array([39]), 1, 2, [1])).rejects.toThrow(/leaves recording subrecording/);
    await expect(r.readTraces(0, 1, [0])).rejects.toThrow(/channel 0 is not in subrecording/);
  });

  it('selects a group, and nests', async () => {
    const inner: RecordingObject = { recording_format: 'subrecording', data: { recording: base, channel_ids: null, start_frame: 10 } };
    const r = await openRecording({ recording_format: 'subrecording', data: { recording: inner, group: 0, start_frame: 5, end_frame: 10 } }, open);
    expect(r.info.channelIds).toEqual([0, 1, 2, 3]);
    expect(Array.from(await r.readTraces(0, 1, [2]))).toEqual([152]);
    await expect(openRecording({ recording_format: 'subrecording', data: { recording: base, group: 4 } }, open)).rejects.toThrow(/group 4 has no channels/);
    await expect(openRecording({ recording_format: 'subrecording', data: { recording: base, channel_ids: [9] } }, open)).rejects.toThrow(/channel 9, which the parent/);
    await expect(openRecording({ recording_format: 'subrecording', data: { recording: base, end_frame: 101 } }, open)).rejects.toThrow(/not inside the parent's \[0, 100\)/);
  });
});

describe('filtered', () => {
  it('serves the raw parent bytes and exposes the filters for the worker', async () => {
    const r = await openRecording({
      recording_format: 'filtered',
      data: { recording: { recording_format: 'filtered', data: { recording: base, filters: [{ type: 'bandpass_filter', freq_min: 300, freq_max: 6000, freq_wid: 1000 }] } }, filters: [{ type: 'bandpass_filter', freq_min: 500, freq_max: 3000 }] },
    }, open);
    expect(r.filters).toEqual([
      { type: 'bandpass_filter', freqMinHz: 300, freqMaxHz: 6000, freqWidHz: 1000 },
      { type: 'bandpass_filter', freqMinHz: 500, freqMaxHz: 3000, freqWidHz: 1000 },
    ]);
    expect(Array.from(await r.readTraces(1, 2, [0]))).toEqual([10]);
    const sub = await openRecording({ recording_format: 'subrecording', data: { recording: { recording_format: 'filtered', data: { recording: base, filters: [{ type: 'bandpass_filter', freq_min: 1, freq_max: 2 }] } }, channel_ids: [2] } }, open);
    expect(sub.filters).toHaveLength(1);
  });
});
