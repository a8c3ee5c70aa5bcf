import { describe, expect, it } from 'vitest';
import { snippetSumsOfChunk } from '../../core/data/snippetSums';
import { decodeChunk } from '../../core/protocol/chunkEncoding';
import { bytesOf, memoryOpenFile } from '../formats/testing';
import { serveChunk } from './serveChunk';
import { createFormatChunkServer } from './formatChunks';

/** bin1, 5 columns × 200 frames, value = frame · 10 + column; channel ids 7, 3, 9 in columns 4, 0, 2. */
const raw = Int16Array.from({ length: 200 * 5 }, (_, i) => Math.floor(i / 5) * 10 + (i % 5));
const recording = {
  recording_format: 'bin1',
  data: { raw: '/data/raw.dat', raw_num_channels: 5, num_frames: 200, samplerate: 30000, channel_ids: [7, 3, 9], channel_map: { 7: 4, 3: 0, 9: 2 }, channel_positions: { 7: [0, 40], 3: [0, 0], 9: [16, 20] } },
};
const openFile = memoryOpenFile({ '/data/raw.dat': bytesOf(raw), '/data/rec.json': new TextEncoder().encode(JSON.stringify(recording)) });
const formats = createFormatChunkServer(openFile);
const serve = (spec: object) => serveChunk(spec as never, { openFile, formats: formats.serve });
const value = (frame: number, column: number) => frame * 10 + column;

describe('relay: snippetSums chunks', () => {
  it('sums each group on the asked channels and sends the detail channel\'s snippets', async () => {
    const { bytes, isError } = await serve({ type: 'snippetSums', recording: '/data/rec.json', channelIds: [9, 7], before: 1, after: 2, groups: [[10, 50], [100]], detailChannelIds: [7, 9] });
    expect(isError).toBe(false);
    const s = snippetSumsOfChunk(decodeChunk(bytes));
    // Group 0, sample t (frames f−1…f+1), channel 9 (column 2) then 7 (column 4).
    const sum0 = [-1, 0, 1].flatMap((t) => [2, 4].map((col) => value(10 + t, col) + value(50 + t, col)));
    expect(Array.from(s.sums[0])).toEqual(sum0);
    expect(Array.from(s.details![0])).toEqual([9, 10, 11, 49, 50, 51].map((f) => value(f, 4)));
    expect(Array.from(s.details![1])).toEqual([99, 100, 101].map((f) => value(f, 2)));
  });

  it.each([
    ['a window leaving the recording', { groups: [[199]] }, /window \[198, 201\) leaves/],
    ['unsorted frames', { groups: [[50, 20]] }, /sorted ascending/],
    ['an unknown channel', { channelIds: [8] }, /Unknown channel id\(s\) 8/],
    ['a detail channel outside the chunk', { detailChannelIds: [3] }, /detail channel 3 is not among/],
    ['a chunk over the size cap', { before: 1e9, after: 1e9 }, /capped/],
  ])('answers %s with an error chunk that says why', async (_, over, message) => {
    const { bytes, isError } = await serve({ type: 'snippetSums', recording: '/data/rec.json', channelIds: [9], before: 1, after: 2, groups: [[10]], ...over });
    expect(isError).toBe(true);
    const { header } = decodeChunk(bytes);
    expect(header.kind === 'error' && header.message).toMatch(message);
  });
});
