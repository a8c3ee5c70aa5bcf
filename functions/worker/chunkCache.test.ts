import { describe, expect, it } from 'vitest';
import { errorChunk, jsonChunk } from '../../core/protocol/chunkEncoding';
import { cachedChunkReader } from './chunkCache';

const chunk = (bytes: Uint8Array) => ({ bytes, generation: '1' });

describe('worker chunk cache', () => {
  it('reads a chunk once, evicts the least recently used beyond the byte budget, never caches a miss', async () => {
    const reads: string[] = [];
    const store = new Map([['a', new Uint8Array(40)], ['b', new Uint8Array(40)], ['c', new Uint8Array(40)], ['huge', new Uint8Array(500)]]);
    const read = cachedChunkReader(async (p) => { reads.push(p); const b = store.get(p); return b ? chunk(b) : null; }, 100);
    await read('a');
    await read('b');
    await read('a'); // hit; a is now the most recent
    await read('c'); // 120 bytes > 100: b (least recent) goes
    await read('a');
    await read('b');
    expect(reads).toEqual(['a', 'b', 'c', 'b']);
    expect(await read('missing')).toBeNull();
    store.set('missing', new Uint8Array(1));
    expect((await read('missing'))!.bytes).toHaveLength(1); // uploaded since: read again
    await read('huge');
    await read('huge'); // larger than the budget: never cached
    expect(reads.filter((p) => p === 'huge')).toHaveLength(2);
    expect(read.stats()).toMatchObject({ hits: 2 });
    expect(read.stats().bytes).toBeLessThanOrEqual(100);
  });

  it('never caches an error chunk: the relay replaces it when asked again, and the next read must see the new one', async () => {
    let stored = { bytes: errorChunk('No such file: /data/run1.bin', 'transient'), generation: '5' };
    const read = cachedChunkReader(async () => stored, 1 << 20);
    expect((await read('x'))!.generation).toBe('5');
    stored = { bytes: jsonChunk({ ok: true }), generation: '6' };
    expect((await read('x'))!.generation).toBe('6');
    expect((await read('x'))!.generation).toBe('6');
    expect(read.stats()).toMatchObject({ hits: 1, misses: 2 });
  });
});
