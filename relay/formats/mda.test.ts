import { describe, expect, it } from 'vitest';
import { encodeMda, openMdaRecording, parseGeomCsv } from './mda';
import { openMdaSorting } from './mdaSorting';
import { memoryOpenFile, newReadLog } from './testing';
import { FormatError } from './types';

/** 3 channels × 50 frames, int16, value = frame * 10 + channel. */
function rawMda(dtype: 'int16' | 'float32' = 'int16') {
  const a = dtype === 'int16' ? new Int16Array(150) : new Float32Array(150);
  for (let f = 0; f < 50; f++) for (let c = 0; c < 3; c++) a[f * 3 + c] = f * 10 + c;
  return encodeMda(dtype, [3, 50], a);
}

const recObj = (geom: unknown = [[0, 0], [0, 20], [0, 40]]) => ({ recording_format: 'mda', data: { raw: 'sha1://aa/raw.mda', geom, params: { samplerate: 20000 } } }) as never;

describe('MDA recording', () => {
  it('reads an M×N int16 MDA as [frame][channel]', async () => {
    const log = newReadLog();
    const r = await openMdaRecording(recObj(), memoryOpenFile({ 'sha1://aa/raw.mda': rawMda() }, log));
    expect(r.info).toMatchObject({ sampleRateHz: 20000, numFrames: 50, channelIds: [0, 1, 2], channelGroups: [0, 0, 0], dtype: 'int16' });
    expect(Array.from(await r.readTraces(49, 50, [2, 0]))).toEqual([492, 490]);
    const s = await r.readSnippets(new Float64Array([10, 20]), 1, 1, [1]);
    expect(Array.from(s)).toEqual([91, 101, 191, 201]);
    expect(log.reads.every((x) => x.length < 600)).toBe(true);
  });

  it('reads float32 MDA and geom.csv', async () => {
    const open = memoryOpenFile({ 'sha1://aa/raw.mda': rawMda('float32'), '/g/geom.csv': '0,0\n0,20\n16,40\n' });
    const r = await openMdaRecording(recObj('/g/geom.csv'), open);
    expect(r.info.geom).toEqual([[0, 0], [0, 20], [16, 40]]);
    expect(r.info.dtype).toBe('float32');
    expect(Array.from(await r.readTraces(1, 2, [0, 1, 2]))).toEqual([10, 11, 12]);
  });

  it('names the file and the problem for corrupt or truncated MDA', async () => {
    const good = rawMda();
    const cases: [Uint8Array, RegExp][] = [
      [good.subarray(0, good.length - 2), /header says 3×50 int16 \(300 data bytes after the 20-byte header\) but the file has 318 bytes \(truncated\)/],
      [good.subarray(0, 8), /too short for an MDA header/],
      [good.subarray(0, 16), /too short for its 20-byte MDA header/],
      [new Uint8Array([1, 0, 0, 0, 2, 0, 0, 0, 2, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]), /unknown dtype code 1/],
      [(() => { const b = good.slice(); b[4] = 4; return b; })(), /int16 with 4 bytes per entry/],
      [(() => { const b = good.slice(); b[8] = 0; return b; })(), /0 dimensions/],
    ];
    for (const [bytes, re] of cases) {
      const err = await openMdaRecording(recObj(), memoryOpenFile({ 'sha1://aa/raw.mda': bytes })).catch((e) => e);
      expect(err).toBeInstanceOf(FormatError);
      expect(err.message).toMatch(/^sha1:\/\/aa\/raw.mda: /);
      expect(err.message).toMatch(re);
    }
  });

  it('refuses geom with the wrong number of rows', async () => {
    await expect(openMdaRecording(recObj([[0, 0]]), memoryOpenFile({ 'sha1://aa/raw.mda': rawMda() }))).rejects.toThrow(/3 channels but geom has 1 rows/);
    expect(() => parseGeomCsv('0,0\nfoo\n', 'g.csv')).toThrow(/g.csv: line 2/);
  });

  it('reads 64-bit dims (negative ndims)', async () => {
    const a = new Int16Array([1, 2, 3, 4, 5, 6]);
    const header = new Uint8Array(12 + 16);
    const dv = new DataView(header.buffer);
    dv.setInt32(0, -4, true); dv.setInt32(4, 2, true); dv.setInt32(8, -2, true);
    dv.setBigInt64(12, 2n, true); dv.setBigInt64(20, 3n, true);
    const bytes = new Uint8Array([...header, ...new Uint8Array(a.buffer)]);
    const r = await openMdaRecording(recObj([[0, 0], [0, 1]]), memoryOpenFile({ 'sha1://aa/raw.mda': bytes }));
    expect(Array.from(await r.readTraces(0, 3, [1]))).toEqual([2, 4, 6]);
  });
});

describe('MDA firings', () => {
  const firings = (L: number) => {
    const a = new Float64Array(3 * L);
    const rows = [[1, 100, 2], [2, 50, 1], [1, 30, 2], [3, 400, 5]];
    for (let j = 0; j < L; j++) a.set(rows[j % 4], j * 3);
    return encodeMda('float64', [3, L], a);
  };
  const obj = (samplerate?: number) => ({ sorting_format: 'mda', data: { firings: '/s/firings.mda', ...(samplerate ? { samplerate } : {}) } }) as never;

  it('groups row 1 (frames) by row 2 (labels), sorted, default samplerate 30000', async () => {
    const s = await openMdaSorting(obj(), memoryOpenFile({ '/s/firings.mda': firings(4) }));
    expect(s.sampleRateHz).toBe(30000);
    expect(s.unitIds).toEqual([1, 2, 5]);
    expect(Array.from(s.spikeTrain(2))).toEqual([30, 100]);
    expect(Array.from(s.spikeTrain(5))).toEqual([400]);
    expect(() => s.spikeTrain(3)).toThrow(/unit 3 is not in sorting/);
  });

  it('reads int32 firings with extra rows', async () => {
    const a = new Int32Array([0, 10, 4, 99, 0, 20, 4, 98]);
    const s = await openMdaSorting(obj(25000), memoryOpenFile({ '/s/firings.mda': encodeMda('int32', [4, 2], a) }));
    expect(s.sampleRateHz).toBe(25000);
    expect(Array.from(s.spikeTrain(4))).toEqual([10, 20]);
  });

  it('reports truncated or malformed firings', async () => {
    const f = firings(100);
    await expect(openMdaSorting(obj(), memoryOpenFile({ '/s/firings.mda': f.subarray(0, 820) })))
      .rejects.toThrow('/s/firings.mda: header says 3×100 float64 (2400 data bytes after the 20-byte header) but the file has 820 bytes (truncated)');
    await expect(openMdaSorting(obj(), memoryOpenFile({ '/s/firings.mda': encodeMda('float64', [2, 3], new Float64Array(6)) }))).rejects.toThrow(/at least 3 rows/);
    await expect(openMdaSorting(obj(), memoryOpenFile({ '/s/firings.mda': encodeMda('float64', [3, 1], new Float64Array([0, 5, 1.5])) }))).rejects.toThrow(/label 1.5 \(spike 0\) is not an integer/);
    await expect(openMdaSorting(obj(), memoryOpenFile({ '/s/firings.mda': encodeMda('float64', [3, 1], new Float64Array([0, -5, 1])) }))).rejects.toThrow(/time -5/);
  });
});
