import { describe, expect, it } from 'vitest';
import type { BlobStore } from '../ports/blobStore';
import { memoryBlobStore } from '../ports/memoryBlobStore';
import { feedCountPath, feedMessagePath } from '../protocol';
import { FeedError } from './errors';
import { appendMessages, createFeed, feedExists, MAX_FEED_MESSAGE_BYTES, pollFeed, raiseFeedCount, readFeed } from './feedLog';
import { runConcurrentAppendCase } from './feedLog.case';

const feedId = 'a'.repeat(64);
const sub = 'b'.repeat(40);
const text = (b: Uint8Array | null | undefined) => (b ? new TextDecoder().decode(b) : null);
const countOf = async (s: BlobStore) => JSON.parse(text(await s.read(feedCountPath(feedId, sub)))!).count;
const clock = (start = 1000) => { let t = start; return () => t++; };

/** The memory store with a random pause before every operation, so concurrent writers interleave. */
function jittery(store: BlobStore, seed = 1): BlobStore {
  let x = seed;
  const pause = () => {
    x = (x * 1103515245 + 12345) % 2 ** 31;
    const ticks = x % 4;
    return new Promise<void>((r) => (ticks === 0 ? setImmediate(r) : setTimeout(r, ticks - 1)));
  };
  const wrap = <A extends unknown[], R>(f: (...a: A) => Promise<R>) => async (...a: A) => { await pause(); return f(...a); };
  return {
    read: wrap(store.read), readVersioned: wrap(store.readVersioned), write: wrap(store.write),
    exists: wrap(store.exists), list: wrap(store.list), delete: wrap(store.delete),
  };
}

describe('appendMessages / readFeed', () => {
  it('writes {message, user, timestamp} at 0, 1, 2 … and raises the count', async () => {
    const s = memoryBlobStore();
    const r = await appendMessages(s, feedId, sub, [{ action: { type: 'A' } }, { action: { type: 'B' } }], { user: 'u@x.org', now: clock() });
    expect(r.positions).toEqual([0, 1]);
    expect(JSON.parse(text(s.objects.get(`feeds/${feedId}/${sub}/0.json`))!)).toEqual({ message: { action: { type: 'A' } }, user: 'u@x.org', timestamp: 1000 });
    expect(await countOf(s)).toBe(2);
    const r2 = await appendMessages(s, feedId, sub, [{ x: 3 }], { user: 'v', now: clock(5000) });
    expect(r2.positions).toEqual([2]);
    expect((await readFeed(s, feedId, sub)).map((m) => [m.message, m.user, m.timestamp])).toEqual([
      [{ action: { type: 'A' } }, 'u@x.org', 1000], [{ action: { type: 'B' } }, 'u@x.org', 1001], [{ x: 3 }, 'v', 5000],
    ]);
    expect(await readFeed(s, feedId, sub, { from: 2 })).toHaveLength(1);
    expect(await readFeed(s, feedId, sub, { from: 7 })).toEqual([]);
  });

  it('reads an absent feed as empty and appends nothing for no messages', async () => {
    const s = memoryBlobStore();
    expect(await readFeed(s, feedId, sub)).toEqual([]);
    expect(await appendMessages(s, feedId, sub, [], { user: 'u', now: clock() })).toEqual({ positions: [] });
    expect(s.objects.size).toBe(0);
  });

  it('tolerates a count that lags behind the messages (a writer died before raising it)', async () => {
    const s = memoryBlobStore();
    await appendMessages(s, feedId, sub, [{ n: 0 }, { n: 1 }], { user: 'u', now: clock() });
    // Messages 2 and 3 written, count never raised.
    await s.write(feedMessagePath(feedId, sub, 2), JSON.stringify({ message: { n: 2 }, user: 'u', timestamp: 1 }));
    await s.write(feedMessagePath(feedId, sub, 3), JSON.stringify({ message: { n: 3 }, user: 'u', timestamp: 1 }));
    expect((await readFeed(s, feedId, sub)).map((m) => m.message.n)).toEqual([0, 1, 2, 3]);
    // The next writer starts at the stale count, steps over 2 and 3, and fixes the count.
    const r = await appendMessages(s, feedId, sub, [{ n: 4 }], { user: 'u', now: clock() });
    expect(r.positions).toEqual([4]);
    expect(await countOf(s)).toBe(5);
  });

  it('pollFeed reads only up to the count (no probe that 404s) and says whether the log exists; the next append brings a lagging tail in', async () => {
    const s = memoryBlobStore();
    const reads: string[] = [];
    const watched: BlobStore = { ...s, read: (p) => { reads.push(p); return s.read(p); }, readVersioned: (p) => { reads.push(p); return s.readVersioned(p); } };
    expect(await pollFeed(watched, feedId, sub, 0)).toEqual({ messages: [], exists: false });
    await createFeed(s, feedId, sub);
    expect(await pollFeed(watched, feedId, sub, 0)).toEqual({ messages: [], exists: true });
    await appendMessages(s, feedId, sub, [{ n: 0 }, { n: 1 }], { user: 'u', now: clock() });
    reads.length = 0;
    const polled = await pollFeed(watched, feedId, sub, 1);
    expect(polled.messages.map((m) => m.message.n)).toEqual([1]);
    // count.json and message 1: nothing that does not exist.
    expect(reads).toEqual([feedCountPath(feedId, sub), feedMessagePath(feedId, sub, 1)]);
    await s.write(feedMessagePath(feedId, sub, 2), JSON.stringify({ message: { n: 2 }, user: 'u', timestamp: 1 }));
    expect((await pollFeed(s, feedId, sub, 0)).messages).toHaveLength(2);
    await appendMessages(s, feedId, sub, [{ n: 3 }], { user: 'u', now: clock() });
    expect((await pollFeed(s, feedId, sub, 0)).messages.map((m) => m.message.n)).toEqual([0, 1, 2, 3]);
  });

  it('never lowers the count', async () => {
    const s = memoryBlobStore();
    await raiseFeedCount(s, feedId, sub, 7);
    await raiseFeedCount(s, feedId, sub, 3);
    expect(await countOf(s)).toBe(7);
    // An unreadable count is replaced (it reads as 0).
    await s.write(feedCountPath(feedId, sub), 'not json');
    await raiseFeedCount(s, feedId, sub, 2);
    expect(await countOf(s)).toBe(2);
  });

  it('raises the count correctly when many writers race on it', async () => {
    const s = jittery(memoryBlobStore(), 7);
    await Promise.all(Array.from({ length: 30 }, (_, i) => raiseFeedCount(s, feedId, sub, i + 1)));
    expect(await countOf(s)).toBe(30);
  });

  it('does not append twice when a write landed but reported a failed precondition (client-side retry)', async () => {
    const inner = memoryBlobStore();
    let first = true;
    const s: BlobStore = {
      ...inner,
      async write(path, bytes, opts) {
        const ok = await inner.write(path, bytes, opts);
        // The first message write lands, then the library's automatic retry of it gets 412.
        if (first && path.endsWith('/0.json')) { first = false; return false; }
        return ok;
      },
    };
    const r = await appendMessages(s, feedId, sub, [{ a: 1 }, { b: 2 }], { user: 'u', now: clock() });
    expect(r.positions).toEqual([0, 1]);
    expect((await readFeed(inner, feedId, sub)).map((m) => m.message)).toEqual([{ a: 1 }, { b: 2 }]);
  });

  it('does not append twice when a write landed but its response was lost (an exception)', async () => {
    const inner = memoryBlobStore();
    let first = true;
    const s: BlobStore = {
      ...inner,
      async write(path, bytes, opts) {
        const ok = await inner.write(path, bytes, opts);
        if (first && path.endsWith('/0.json')) { first = false; throw new Error('socket hang up'); }
        return ok;
      },
    };
    expect((await appendMessages(s, feedId, sub, [{ a: 1 }], { user: 'u', now: clock() })).positions).toEqual([0]);
    expect(await readFeed(inner, feedId, sub)).toHaveLength(1);
    expect(await countOf(inner)).toBe(1);
  });

  it('reports a write that failed without landing, and steps over a position someone else holds after an error', async () => {
    const inner = memoryBlobStore();
    const failing: BlobStore = { ...inner, async write() { throw new Error('503 backend error'); } };
    const err = await appendMessages(failing, feedId, sub, [{ a: 1 }], { user: 'u', now: clock() }).catch((e) => e);
    expect(err).toBeInstanceOf(FeedError);
    expect(err.message).toMatch(/Could not append to feed .*503 backend error/);

    // The failed request raced another writer, who took position 0: ours goes to 1.
    let first = true;
    const racing: BlobStore = {
      ...inner,
      async write(path, bytes, opts) {
        if (first && path.endsWith('/0.json')) {
          first = false;
          await inner.write(path, JSON.stringify({ message: { other: true }, user: 'o', timestamp: 1 }));
          throw new Error('timeout');
        }
        return inner.write(path, bytes, opts);
      },
    };
    expect((await appendMessages(racing, feedId, sub, [{ a: 1 }], { user: 'u', now: clock() })).positions).toEqual([1]);
  });

  it('refuses bad names, non-object messages and oversized messages', async () => {
    const s = memoryBlobStore();
    const opts = { user: 'u', now: clock() };
    await expect(appendMessages(s, 'xyz', sub, [{}], opts)).rejects.toThrow(/Not a feed id/);
    await expect(appendMessages(s, feedId, 'main', [{}], opts)).rejects.toThrow(/Not a subfeed hash/);
    await expect(appendMessages(s, feedId, sub, [[1, 2] as unknown as Record<string, unknown>], opts)).rejects.toThrow(/not a JSON object/);
    await expect(appendMessages(s, feedId, sub, [{ big: 'x'.repeat(MAX_FEED_MESSAGE_BYTES) }], opts)).rejects.toThrow(/over the/);
    // Too deep for the recursive readers after it (JSON.stringify overflows at ~5000, stableStringify at ~2000).
    const deep = JSON.parse(`{"action":${'{"a":'.repeat(5000)}1${'}'.repeat(5000)}}`) as Record<string, unknown>;
    await expect(appendMessages(s, feedId, sub, [deep], opts)).rejects.toThrow(/Message 0 nests more than 64 levels deep/);
    expect(s.objects.size).toBe(0);
  });

  it('reports a corrupt feed: a message missing below the count, or not an envelope', async () => {
    const s = memoryBlobStore();
    await appendMessages(s, feedId, sub, [{ a: 0 }, { a: 1 }, { a: 2 }], { user: 'u', now: clock() });
    await s.delete(feedMessagePath(feedId, sub, 1));
    await expect(readFeed(s, feedId, sub)).rejects.toThrow(/message 1 is missing although count.json says 3/);
    await s.write(feedMessagePath(feedId, sub, 1), '{"hello":1}');
    await expect(readFeed(s, feedId, sub)).rejects.toThrow(/message 1 is not \{message, user, timestamp\}/);
  });

  it('creates a feed once; a feed exists once it has a count or a first message', async () => {
    const s = memoryBlobStore();
    expect(await feedExists(s, feedId, sub)).toBe(false);
    expect(await createFeed(s, feedId, sub)).toBe(true);
    expect(await createFeed(s, feedId, sub)).toBe(false);
    expect(await feedExists(s, feedId, sub)).toBe(true);
    expect(await countOf(s)).toBe(0);
    const t = memoryBlobStore();
    await t.write(feedMessagePath(feedId, sub, 0), JSON.stringify({ message: {}, user: 'u', timestamp: 0 }));
    expect(await feedExists(t, feedId, sub)).toBe(true);
  });
});

describe('concurrent appends on the memory store', () => {
  runConcurrentAppendCase({ make: async () => memoryBlobStore() });
  runConcurrentAppendCase({ make: async () => jittery(memoryBlobStore(), 42) });
});
