import { describe, expect, it } from 'vitest';
import type { RecordingObject } from '../../core/protocol/dataObjects';
import { openBinRecording } from './bin';
import { bytesOf, memoryOpenFile, newReadLog } from './testing';
import { FormatError, RequestError } from './types';

/** 5 columns, 100 frames: value = frame * 10 + column. Channel ids 7, 3, 9 live in columns 4, 0, 2. */
function binFixture(dtype: 'int16' | 'float32' = 'int16', frames = 100) {
  const a = dtype === 'int16' ? new Int16Array(frames * 5) : new Float32Array(frames * 5);
  for (let f = 0; f < frames; f++) for (let c = 0; c < 5; c++) a[f * 5 + c] = f * 10 + c;
  return bytesOf(a);
}

const bin1 = (numFrames = 100): RecordingObject => ({
  recording_format: 'bin1',
  data: {
    raw: '/data/raw.dat', raw_num_channels: 5, num_frames: numFrames, samplerate: 30000,
    channel_ids: [7, 3, 9], channel_map: { 7: 4, 3: 0, 9: 2 }, channel_positions: { 7: [0, 40], 3: [0, 0], 9: [16, 20] },
  },
});

describe('bin1/bin2', () => {
  it('serves channels by channel_map in the order asked', async () => {
    const r = await openBinRecording(bin1() as never, memoryOpenFile({ '/data/raw.dat': binFixture() }));
    expect(r.info).toMatchObject({ numFrames: 100, channelIds: [7, 3, 9], geom: [[0, 40], [0, 0], [16, 20]], dtype: 'int16', gainUvPerBit: null });
    expect(Array.from(await r.readTraces(10, 12, [9, 7]))).toEqual([102, 104, 112, 114]);
  });

  it('channel_gains_uv_per_bit gives the gain, per channel when they differ', async () => {
    const files = memoryOpenFile({ '/data/raw.dat': binFixture() });
    const same = { ...bin1(), data: { ...bin1().data, channel_gains_uv_per_bit: { 7: 0.195, 3: 0.195, 9: 0.195 } } };
    expect((await openBinRecording(same as never, files)).info).toMatchObject({ gainUvPerBit: 0.195 });
    const differ = { ...bin1(), data: { ...bin1().data, channel_gains_uv_per_bit: { 7: 0.1, 3: 0.2, 9: 0.3 } } };
    const info = (await openBinRecording(differ as never, files)).info;
    expect(info.gainUvPerBit).toBeNull();
    expect(info.channelGainsUvPerBit).toEqual([0.1, 0.2, 0.3]);
    const partial = { ...bin1(), data: { ...bin1().data, channel_gains_uv_per_bit: { 7: 0.1 } } };
    await expect(openBinRecording(partial as never, files)).rejects.toThrow('bin1 object for /data/raw.dat: channel_gains_uv_per_bit has no entry for channel 3');
  });

  it('reads bin2 float32', async () => {
    const obj = { recording_format: 'bin2', data: { ...bin1().data, dtype: 'float32' } };
    const r = await openBinRecording(obj as never, memoryOpenFile({ '/data/raw.dat': binFixture('float32') }));
    expect(r.info.dtype).toBe('float32');
    const t = await r.readTraces(99, 100, [3]);
    expect(t).toBeInstanceOf(Float32Array);
    expect(Array.from(t)).toEqual([990]);
  });

  it('gathers snippets in one coalesced read and matches readTraces', async () => {
    const log = newReadLog();
    const r = await openBinRecording(bin1() as never, memoryOpenFile({ '/data/raw.dat': binFixture() }, log));
    const s = await r.readSnippets(new Float64Array([5, 6, 40, 90]), 2, 3, [3, 9]);
    expect(log.reads).toHaveLength(1);
    expect(log.reads[0]).toMatchObject({ offset: 3 * 10, length: (93 - 3) * 10 });
    for (const [i, f] of [5, 6, 40, 90].entries()) {
      expect(Array.from(s.subarray(i * 10, (i + 1) * 10))).toEqual(Array.from(await r.readTraces(f - 2, f + 3, [3, 9])));
    }
  });

  it('refuses windows that leave the recording, unsorted frames and unknown channels', async () => {
    const r = await openBinRecording(bin1() as never, memoryOpenFile({ '/data/raw.dat': binFixture() }));
    await expect(r.readSnippets(new Float64Array([1]), 2, 3, [3])).rejects.toThrow(/window \[-1, 4\) leaves/);
    await expect(r.readSnippets(new Float64Array([98]), 2, 3, [3])).rejects.toThrow(RequestError);
    await expect(r.readSnippets(new Float64Array([50, 40]), 2, 3, [3])).rejects.toThrow(/sorted/);
    await expect(r.readTraces(0, 101, [3])).rejects.toThrow(/outside/);
    await expect(r.readTraces(0, 1, [4])).rejects.toThrow(/channel 4 is not in/);
  });

  it('names the file when it is truncated or longer than num_frames', async () => {
    const open = memoryOpenFile({ '/data/raw.dat': binFixture().subarray(0, 999) });
    await expect(openBinRecording(bin1() as never, open)).rejects.toThrow(FormatError);
    await expect(openBinRecording(bin1() as never, open)).rejects.toThrow(/\/data\/raw.dat: .*100 frames × 5 channels of int16 \(1000 bytes\) but the file has 999 bytes \(truncated\)/);
    await expect(openBinRecording(bin1(90) as never, memoryOpenFile({ '/data/raw.dat': binFixture() }))).rejects.toThrow(/longer than described/);
  });

  it('refuses a channel_map column beyond raw_num_channels', async () => {
    const obj = bin1();
    (obj.data as { channel_map: Record<string, number> }).channel_map['9'] = 5;
    await expect(openBinRecording(obj as never, memoryOpenFile({ '/data/raw.dat': binFixture() }))).rejects.toThrow(/column 5, but raw_num_channels is 5/);
  });
});
