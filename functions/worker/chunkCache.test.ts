import { describe, expect, it } from 'vitest';
import { cachedChunkReader } from './chunkCache';

describe('worker chunk cache', () => {
  it('reads a chunk once, evicts the least recently used beyond the byte budget, never caches a miss', async () => {
    const reads: string[] = [];
    const store = new Map([['a', new Uint8Array(40)], ['b', new Uint8Array(40)], ['c', new Uint8Array(40)], ['huge', new Uint8Array(500)]]);
    const read = cachedChunkReader(async (p) => { reads.push(p); return store.get(p) ?? null; }, 100);
    await read('a');
    await read('b');
    await read('a'); // hit; a is now the most recent
    await read('c'); // 120 bytes > 100: b (least recent) goes
    await read('a');
    await read('b');
    expect(reads).toEqual(['a', 'b', 'c', 'b']);
    expect(await read('missing')).toBeNull();
    store.set('missing', new Uint8Array(1));
    expect(await read('missing')).toHaveLength(1); // uploaded since: read again
    await read('huge');
    await read('huge'); // larger than the budget: never cached
    expect(reads.filter((p) => p === 'huge')).toHaveLength(2);
    expect(read.stats()).toMatchObject({ hits: 2 });
    expect(read.stats().bytes).toBeLessThanOrEqual(100);
  });
});
