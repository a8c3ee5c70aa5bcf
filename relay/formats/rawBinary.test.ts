import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { makeRecordingReader, SNIPPET_READ_PIECE_BYTES } from './gather';
import { rawBinarySource } from './rawBinary';
import { bytesOf, localOpenFile, memoryOpenFile, newReadLog, type ReadLog } from './testing';
import type { OpenFile } from './types';

/** 100 int16 columns (200 bytes per frame), 60 000 frames: value = (frame * 7 + column) mod 32768. */
const COLS = 100;
const FRAMES = 60_000;
const data = new Int16Array(FRAMES * COLS);
for (let f = 0; f < FRAMES; f++) for (let c = 0; c < COLS; c++) data[f * COLS + c] = (f * 7 + c) % 32768;
const bytes = bytesOf(data);
const dir = mkdtempSync(join(tmpdir(), 'sv-rawbinary-'));
const path = join(dir, 'raw.dat');
writeFileSync(path, bytes);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function reader(open: OpenFile) {
  const file = await open(path);
  const ids = Array.from({ length: COLS }, (_, i) => i);
  return makeRecordingReader({
    sampleRateHz: 30000, numFrames: FRAMES, channelIds: ids, channelGroups: ids.map(() => 0), geom: ids.map((i) => [0, i]),
    dtype: 'int16', sourceDtype: 'int16', gainUvPerBit: null,
  }, rawBinarySource({ file, dataOffset: 0, numColumns: COLS, dtype: 'int16', numFrames: FRAMES }), new Map(ids.map((i) => [i, i])));
}

describe('rawBinarySource snippet gathers', () => {
  // Dense (one coalesced run of several pieces), overlapping and duplicated windows, and far spikes.
  const frames = new Float64Array([20, 20, 25, 3000, 3050, 5000, 9000, 9100, 14_000, 19_000, 19_001, 40_000, 59_900]);
  const before = 20;
  const after = 30;
  const channels = [99, 3, 50, 0];
  const expected = (i: number, t: number, j: number) => ((frames[i] - before + t) * 7 + channels[j]) % 32768;

  for (const [name, makeOpen] of [
    ['pooled buffers (readInto)', (log: ReadLog) => localOpenFile({ log })],
    ['fresh buffers (no readInto)', (log: ReadLog) => memoryOpenFile({ [path]: bytes }, log)],
  ] as const) {
    it(`puts every window in its place, reading pieces of ≤ ${SNIPPET_READ_PIECE_BYTES} bytes: ${name}`, async () => {
      const log = newReadLog();
      const r = await reader(makeOpen(log));
      // Concurrent gathers share the source's buffers.
      const [s, s2] = await Promise.all([r.readSnippets(frames, before, after, channels), r.readSnippets(frames.subarray(3), before, after, channels)]);
      const T = before + after;
      frames.forEach((_, i) => {
        for (let t = 0; t < T; t++) for (let j = 0; j < channels.length; j++) expect(s[(i * T + t) * channels.length + j]).toBe(expected(i, t, j));
      });
      expect(Array.from(s2)).toEqual(Array.from(s.subarray(3 * T * channels.length)));
      expect(log.reads.length).toBeGreaterThan(2);
      for (const read of log.reads) expect(read.length).toBeLessThanOrEqual(SNIPPET_READ_PIECE_BYTES);
      const total = log.reads.reduce((n, x) => n + x.length, 0);
      expect(total).toBeLessThan(bytes.length / 2); // never the whole file
      await r.close();
    });
  }
});
