import { describe, expect, it } from 'vitest';
import { chunkHash } from '../protocol/paths';
import { decodeChunk, encodeChunk, errorChunk, jsonChunk } from '../protocol/chunkEncoding';
import type { ChunkSpec } from '../protocol/messages';
import { DataSource, NeedChunks } from './dataSource';

const a: ChunkSpec = { type: 'recordingInfo', recording: 'sha1://a' };
const b: ChunkSpec = { type: 'object', uri: 'sha1://b' };

describe('chunk encoding', () => {
  it('round-trips headers and binary payloads', () => {
    const payload = new Uint8Array([1, 2, 3, 250]);
    const back = decodeChunk(encodeChunk({ kind: 'ndarray', dtype: 'int16', shape: [2, 1] }, payload));
    expect(back.header).toEqual({ kind: 'ndarray', dtype: 'int16', shape: [2, 1] });
    expect(Array.from(back.payload)).toEqual([1, 2, 3, 250]);
  });
  it('refuses what is not a chunk, or is truncated', () => {
    expect(() => decodeChunk(new TextEncoder().encode('{"json":1}'))).toThrow(/bad magic/);
    expect(() => decodeChunk(jsonChunk({ x: 1 }).subarray(0, 12))).toThrow(/Truncated/);
    const bad = encodeChunk({ kind: 'json' });
    bad[8] = 0x7b + 1;
    expect(() => decodeChunk(bad)).toThrow(/Malformed chunk header/);
  });
});

describe('DataSource', () => {
  it('asks for every missing chunk at once', async () => {
    const ds = new DataSource(async () => null);
    await expect(ds.require([a, b])).rejects.toMatchObject({ name: 'NeedChunks', specs: [a, b] });
  });
  it('returns present chunks, and turns an error chunk into the task error', async () => {
    const store = new Map([[chunkHash(a), jsonChunk({ n: 1 })], [chunkHash(b), errorChunk('Refused /etc/passwd: outside')]]);
    const ds = new DataSource(async (s) => store.get(chunkHash(s)) ?? null);
    expect(await ds.json(a)).toEqual({ n: 1 });
    await expect(ds.require([b])).rejects.toThrow('Refused /etc/passwd: outside');
    await expect(ds.require([b])).rejects.not.toBeInstanceOf(NeedChunks);
  });
});
