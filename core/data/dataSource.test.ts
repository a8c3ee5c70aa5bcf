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

  it('asks again for an error chunk older than the backoff, naming the generation it read; a fresh one fails the task', async () => {
    const transient = errorChunk('kachery link for … points to a file that no longer exists', 'transient');
    const stored = new Map([[chunkHash(a), { bytes: jsonChunk({ n: 1 }), generation: '7' }], [chunkHash(b), { bytes: transient, generation: '42' }]]);
    const ages = new Map([['42', 25_000]]);
    const ds = () => new DataSource(async (s) => stored.get(chunkHash(s)) ?? null, { errorRetryAfterMs: 20_000, chunkAgeMs: async (_, g) => ages.get(g) ?? null });
    const old = ds();
    await expect(old.require([a, b])).rejects.toMatchObject({ name: 'NeedChunks', specs: [b] });
    expect(old.replacements([b])).toEqual([{ index: 0, generation: '42' }]);
    expect(old.replacements([a])).toEqual([]);
    // The relay replaced it (generation 43, just now) and it failed again: the task fails, saying when to ask again.
    stored.set(chunkHash(b), { bytes: transient, generation: '43' });
    ages.set('43', 10);
    await expect(ds().require([a, b])).rejects.toThrow('kachery link for … points to a file that no longer exists. Asking again after 20 s tries again.');
    // Replaced by a good chunk between the read and the age check: looked up again, never replaced.
    ages.delete('43');
    const moved = ds();
    await expect(moved.require([b])).rejects.toMatchObject({ name: 'NeedChunks', specs: [b] });
    expect(moved.replacements([b])).toEqual([]);
    // An input error is told as it is.
    stored.set(chunkHash(b), { bytes: errorChunk('/data/x.mda: no such MDA dtype code -42'), generation: '50' });
    ages.set('50', 5);
    await expect(ds().require([b])).rejects.toThrow(/^\/data\/x\.mda: no such MDA dtype code -42$/);
  });
});
