import { describe, expect, it } from 'vitest';
import { coalesce, makeRecordingReader, SNIPPET_GAP_BYTES, type FrameSource } from './gather';
import type { RecordingInfo } from './types';

describe('coalesce', () => {
  it('merges windows whose gap costs at most SNIPPET_GAP_BYTES and splits the rest', () => {
    const gap = Math.floor(SNIPPET_GAP_BYTES / 100); // frames, at 100 bytes per frame
    const frames = new Float64Array([100, 105, 110 + gap, 112 + 3 * gap]);
    expect(coalesce(frames, 10, 20, 100)).toEqual([
      { start: 90, end: 130 + gap, first: 0, last: 3 },
      { start: 102 + 3 * gap, end: 132 + 3 * gap, first: 3, last: 4 },
    ]);
  });

  it('caps a run at maxRunBytes, and overlapping windows share a run', () => {
    const frames = new Float64Array([10, 10, 11, 50, 90]);
    const runs = coalesce(frames, 5, 5, 1, 1000, 50);
    expect(runs).toEqual([{ start: 5, end: 55, first: 0, last: 4 }, { start: 85, end: 95, first: 4, last: 5 }]);
  });
});

describe('makeRecordingReader', () => {
  /** A source whose value at (frame, column) is (frame mod 4096) * 4 + column (exact in float32); reads finish out of order. */
  function fakeSource(numFrames: number, calls: [number, number][]): FrameSource {
    return {
      name: 'fake.bin', numFrames, dtype: 'float32', bytesPerFrame: 4000,
      async readInto(start, end, columns, out, outRow) {
        calls.push([start, end]);
        await new Promise((r) => setTimeout(r, (start * 7919) % 5));
        for (let f = start; f < end; f++) columns.forEach((c, j) => (out[(outRow + f - start) * columns.length + j] = (f % 4096) * 4 + c));
      },
      close: async () => {},
    };
  }
  const info = (numFrames: number): RecordingInfo => ({
    sampleRateHz: 1000, numFrames, channelIds: [5, 6, 7], channelGroups: [0, 0, 0], geom: [[0, 0], [0, 1], [0, 2]],
    dtype: 'float32', sourceDtype: 'float32', gainUvPerBit: null,
  });

  it('puts every spike of concurrent runs in its place', async () => {
    const calls: [number, number][] = [];
    const r = makeRecordingReader(info(10_000_000), fakeSource(10_000_000, calls), new Map([[5, 0], [6, 1], [7, 2]]));
    const frames = new Float64Array([100, 200, 2_000_000, 4_000_000, 4_000_010, 6_000_000, 9_999_990]);
    const s = await r.readSnippets(frames, 3, 10, [7, 5]);
    expect(calls.length).toBe(5);
    frames.forEach((f, i) => {
      for (let t = 0; t < 13; t++) {
        expect(s[(i * 13 + t) * 2]).toBe(((f - 3 + t) % 4096) * 4 + 2);
        expect(s[(i * 13 + t) * 2 + 1]).toBe(((f - 3 + t) % 4096) * 4);
      }
    });
  });

  it('splits long trace reads into bounded pieces', async () => {
    const calls: [number, number][] = [];
    const r = makeRecordingReader(info(100_000), fakeSource(100_000, calls), new Map([[5, 0]]));
    const t = await r.readTraces(0, 100_000, [5]);
    expect(t[99_999]).toBe((99_999 % 4096) * 4);
    expect(calls.length).toBe(Math.ceil(100_000 / Math.floor((64 * 1024 * 1024) / 4000)));
  });

  it('answers empty requests without reading', async () => {
    const calls: [number, number][] = [];
    const r = makeRecordingReader(info(100), fakeSource(100, calls), new Map([[5, 0]]));
    expect((await r.readSnippets(new Float64Array(0), 3, 3, [5])).length).toBe(0);
    expect((await r.readTraces(10, 10, [5])).length).toBe(0);
    expect(calls).toEqual([]);
    await expect(r.readSnippets(new Float64Array([50.5]), 1, 1, [5])).rejects.toThrow(/not an integer/);
    await expect(r.readTraces(-1, 3, [5])).rejects.toThrow(/non-negative integer/);
  });
});
