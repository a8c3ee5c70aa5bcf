import { describe, expect, it } from 'vitest';
import { extractSnippets } from '../kernels/waveforms';
import { decodeChunk } from '../protocol/chunkEncoding';
import { produceSnippetSums, produceSnippetSumsSync, snippetSumsOfChunk, type SnippetSumsSpec } from './snippetSums';

/** 6 channels × 400 frames: value = frame · 7 + channel · 1000 − 3000 (int16 range, signs mixed). */
const C = 6;
const F = 400;
const traces = Int16Array.from({ length: F * C }, (_, i) => Math.floor(i / C) * 7 + (i % C) * 1000 - 3000);
const read = (frames: Float64Array, before: number, after: number, ids: number[]) => extractSnippets(traces, C, 0, frames, [before, after], ids).data as Int16Array;
const spec = (o: Partial<SnippetSumsSpec> = {}): SnippetSumsSpec =>
  ({ type: 'snippetSums', recording: 'r', channelIds: [4, 1], before: 3, after: 5, groups: [[10, 20, 20, 300], [], [50]], ...o });

describe('snippetSums chunk', () => {
  it('sums each group (repeats count twice), empty groups sum to zero; equal to summing the snippets', () => {
    const s = snippetSumsOfChunk(decodeChunk(produceSnippetSumsSync(spec(), read)));
    expect(s.counts).toEqual([4, 0, 1]);
    expect(s.details).toBeUndefined();
    spec().groups.forEach((g, i) => {
      const snips = read(Float64Array.from(g), 3, 5, [4, 1]);
      const want = new Float64Array(8 * 2);
      for (let k = 0; k < snips.length; k++) want[k % 16] += snips[k];
      expect(Array.from(s.sums[i])).toEqual(Array.from(want));
    });
  });

  it('brings every snippet of a group on its detail channel, in frame order', () => {
    const s = snippetSumsOfChunk(decodeChunk(produceSnippetSumsSync(spec({ detailChannelIds: [1, 4, 4] }), read)));
    expect(s.details![0]).toBeInstanceOf(Int16Array);
    expect(Array.from(s.details![0])).toEqual(Array.from(read(Float64Array.from([10, 20, 20, 300]), 3, 5, [1])));
    expect(s.details![1]).toHaveLength(0);
    expect(Array.from(s.details![2])).toEqual(Array.from(read(Float64Array.from([50]), 3, 5, [4])));
  });

  it('reads big groups in bounded slices (same sums), and the async producer gives the same bytes', async () => {
    const many = Array.from({ length: 8000 }, (_, i) => 100 + (i % 200));
    many.sort((a, b) => a - b);
    const wide = spec({ channelIds: [0, 1, 2, 3, 4, 5], before: 40, after: 60, groups: [many] });
    const sizes: number[] = [];
    const bytes = produceSnippetSumsSync(wide, (f, b, a, ids) => { sizes.push(f.length); return read(f, b, a, ids); });
    expect(sizes.length).toBeGreaterThan(1); // 8000 × 100 × 6 values exceed one slice
    expect(await produceSnippetSums(wide, async (f, b, a, ids) => read(f, b, a, ids))).toEqual(bytes);
    const s = snippetSumsOfChunk(decodeChunk(bytes));
    const all = read(Float64Array.from(many), 40, 60, [0, 1, 2, 3, 4, 5]);
    const want = new Float64Array(600);
    for (let k = 0; k < all.length; k++) want[k % 600] += all[k];
    expect(Array.from(s.sums[0])).toEqual(Array.from(want));
  });

  it('float32 recordings: float32 detail', () => {
    const f32 = Float32Array.from(traces, (v) => v / 4);
    const bytes = produceSnippetSumsSync(spec({ detailChannelIds: [4, 4, 1] }), (f, b, a, ids) => extractSnippets(f32, C, 0, f, [b, a], ids).data as Float32Array);
    const s = snippetSumsOfChunk(decodeChunk(bytes));
    expect(s.details![0]).toBeInstanceOf(Float32Array);
    expect(s.details![2][0]).toBe(f32[(50 - 3) * C + 1]);
  });

  it('refuses a detail channel outside the chunk\'s channels, a detail list of the wrong length, and a payload that does not match its header', () => {
    expect(() => produceSnippetSumsSync(spec({ detailChannelIds: [1, 2, 4] }), read)).toThrow(/detail channel 2 is not among the chunk's channels/);
    expect(() => produceSnippetSumsSync(spec({ detailChannelIds: [1] }), read)).toThrow(/1 detail channels for 3 groups/);
    const { header, payload } = decodeChunk(produceSnippetSumsSync(spec(), read));
    expect(() => snippetSumsOfChunk({ header, payload: payload.subarray(0, payload.length - 8) })).toThrow(/holds \d+ bytes; its header says \d+/);
    expect(() => snippetSumsOfChunk({ header: { kind: 'json' }, payload })).toThrow(/Expected a snippetSums chunk, got json/);
  });
});
