import type { BlobStore } from '../ports/blobStore';
import { feedCountPath, feedCountSchema, feedIdSchema, feedMessagePath, jsonTooDeep, storedFeedMessageSchema, type StoredFeedMessage } from '../protocol';
import { FeedError } from './errors';

/**
 * Append-only logs in the public bucket (DESIGN.md "Bucket layout"):
 * `feeds/<feedId>/<subfeedHash>/<n>.json` = `{message, user, timestamp}`, and `count.json` = `{count}`,
 * a lower bound on the number of messages that only ever rises.
 *
 * Ordering: message `n` is written with `ifGenerationMatch: 0`, so exactly one writer owns each
 * position; a writer that loses moves on to `n + 1`. All writers therefore agree on one total order,
 * nothing is overwritten, and nothing is lost. A writer only moves on when the position is held by
 * *someone else's* bytes: after a refused or failed write it reads the position back, and if it holds
 * this writer's own bytes (the client library retried a request that had already landed, which then
 * comes back as 412), the append is done. So a retry never appends the same message twice.
 * Stored bytes include the user and the millisecond timestamp; two byte-identical appends by one user
 * in the same millisecond are indistinguishable and count as one (harmless for idempotent actions).
 */

/** Messages are immutable once written; the count changes and must never be cached. */
export const FEED_MESSAGE_CACHE_CONTROL = 'public, max-age=31536000, immutable';
export const FEED_COUNT_CACHE_CONTROL = 'no-store';
/** The largest stored message (envelope included). 2021 capped messages at 10 000 characters; ours carry whole data objects. */
export const MAX_FEED_MESSAGE_BYTES = 256 * 1024;
/** Concurrent reads when loading a feed. */
const READ_CONCURRENCY = 16;

const SUBFEED_HASH = /^[0-9a-f]{40}$/;
const utf8 = new TextEncoder();

function checkNames(feedId: string, subfeedHash: string): void {
  if (!feedIdSchema.safeParse(feedId).success) throw new FeedError(`Not a feed id: ${JSON.stringify(feedId)} (64 lowercase hex digits)`, 'bad-uri');
  if (!SUBFEED_HASH.test(subfeedHash)) throw new FeedError(`Not a subfeed hash: ${JSON.stringify(subfeedHash)} (40 lowercase hex digits)`, 'bad-uri');
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

function parseJson(bytes: Uint8Array): unknown {
  try {
    return JSON.parse(new TextDecoder().decode(bytes));
  } catch {
    return undefined;
  }
}

/** The count in `count.json` with its generation; a missing or unreadable count reads as 0. */
async function readCount(store: BlobStore, path: string): Promise<{ count: number; generation: string | 0 }> {
  const got = await store.readVersioned(path);
  if (!got) return { count: 0, generation: 0 };
  const parsed = feedCountSchema.safeParse(parseJson(got.bytes));
  return { count: parsed.success ? parsed.data.count : 0, generation: got.generation };
}

/**
 * Raises `count.json` to at least `atLeast`, never lowering it: compare-and-swap on the generation it
 * read, re-read and retry when another writer got there first.
 */
export async function raiseFeedCount(store: BlobStore, feedId: string, subfeedHash: string, atLeast: number): Promise<void> {
  checkNames(feedId, subfeedHash);
  const path = feedCountPath(feedId, subfeedHash);
  for (;;) {
    const { count, generation } = await readCount(store, path);
    if (count >= atLeast) return;
    const ok = await store.write(path, JSON.stringify({ count: atLeast }), {
      ifGenerationMatch: generation, cacheControl: FEED_COUNT_CACHE_CONTROL, contentType: 'application/json',
    });
    if (ok) return;
  }
}

export interface AppendOptions {
  /** Who appends (an email, a service account, "cli"); stored with each message. */
  user: string;
  /** The clock, injected. */
  now: () => number;
}

/** Where each message landed, in order. Other writers' messages may sit between them. */
export interface AppendResult {
  positions: number[];
}

/**
 * Appends `messages` (each a JSON object) in order. Starts at the position `count.json` names, takes
 * the first free position for each message, then raises the count past the last one.
 */
export async function appendMessages(
  store: BlobStore, feedId: string, subfeedHash: string, messages: Record<string, unknown>[], opts: AppendOptions,
): Promise<AppendResult> {
  checkNames(feedId, subfeedHash);
  const envelopes = messages.map((message, i) => {
    if (message === null || typeof message !== 'object' || Array.isArray(message)) {
      throw new FeedError(`Message ${i} is not a JSON object: feeds hold objects such as {"action": {...}}`, 'bad-message');
    }
    // Stored messages are read back and walked by recursive code (stringify, hashing) in every reader.
    const tooDeep = jsonTooDeep(message, `Message ${i}`);
    if (tooDeep) throw new FeedError(tooDeep, 'bad-message');
    return message;
  });
  if (envelopes.length === 0) return { positions: [] };

  let n = (await readCount(store, feedCountPath(feedId, subfeedHash))).count;
  const positions: number[] = [];
  for (const message of envelopes) {
    const stored: StoredFeedMessage = { message, user: opts.user, timestamp: opts.now() };
    const bytes = utf8.encode(JSON.stringify(stored));
    if (bytes.length > MAX_FEED_MESSAGE_BYTES) {
      throw new FeedError(`A feed message of ${bytes.length} bytes is over the ${MAX_FEED_MESSAGE_BYTES}-byte limit`, 'bad-message');
    }
    n = await writeAtFirstFreePosition(store, feedId, subfeedHash, n, bytes);
    positions.push(n);
    n += 1;
  }
  await raiseFeedCount(store, feedId, subfeedHash, n);
  return { positions };
}

/** Writes `bytes` at the first position ≥ `from` that nobody else holds; returns that position. */
async function writeAtFirstFreePosition(store: BlobStore, feedId: string, subfeedHash: string, from: number, bytes: Uint8Array): Promise<number> {
  let vanished = 0;
  for (let n = from; ; n++) {
    const path = feedMessagePath(feedId, subfeedHash, n);
    let written: boolean;
    let failure: unknown = null;
    try {
      written = await store.write(path, bytes, {
        ifGenerationMatch: 0, cacheControl: FEED_MESSAGE_CACHE_CONTROL, contentType: 'application/json',
      });
    } catch (err) {
      written = false;
      failure = err;
    }
    if (written) return n;
    // Refused (or failed): who holds position n? Our own bytes mean an earlier attempt of this very
    // write landed (the client retried it, or the response was lost); anything else is another writer.
    let holder: Uint8Array | null;
    try {
      holder = await store.read(path);
    } catch (err) {
      throw new FeedError(`Could not tell whether message ${n} of feed ${feedId} was written: ${(err as Error).message}. Read the feed before appending again.`, 'ambiguous-write', { cause: failure ?? err });
    }
    if (holder && sameBytes(holder, bytes)) return n;
    if (holder) continue;
    if (failure) {
      // Nothing there: the write failed cleanly, as far as anyone can tell; report the original error.
      throw new FeedError(`Could not append to feed ${feedId}: ${(failure as Error).message}`, 'ambiguous-write', { cause: failure });
    }
    // Refused yet absent: the holder was deleted between the two requests. Try the same position again.
    if (++vanished > 5) throw new FeedError(`Message ${n} of feed ${feedId} keeps refusing writes yet reads as absent: is something deleting feed messages?`, 'corrupt-feed');
    n -= 1;
  }
}

export interface ReadFeedOptions {
  /** First position to return (default 0), for readers that already hold a prefix. */
  from?: number;
}

/**
 * Messages `from`…end, in order. Reads `count.json`, then messages below the count in parallel, then
 * probes `count`, `count + 1`, … until one is absent: the count may lag behind the messages (a writer
 * raises it last, and may die before it does). A message missing below the count, or unreadable,
 * is a corrupt feed and throws.
 */
export async function readFeed(store: BlobStore, feedId: string, subfeedHash: string, opts: ReadFeedOptions = {}): Promise<StoredFeedMessage[]> {
  checkNames(feedId, subfeedHash);
  const from = opts.from ?? 0;
  const { count } = await readCount(store, feedCountPath(feedId, subfeedHash));
  const out = await readBelow(store, feedId, subfeedHash, from, count);
  for (let n = Math.max(count, from); ; n++) {
    const bytes = await store.read(feedMessagePath(feedId, subfeedHash, n));
    if (!bytes) break;
    out.push(parseStored(bytes, feedId, n));
  }
  return out;
}

/**
 * For pollers (the browser, every second): the messages `from`…`count.json`, without probing past the
 * count, and whether `count.json` exists. Every probe past the end is a 404 that the browser logs in
 * red; a poll reads only what exists. What a writer that died before raising the count left behind
 * shows at the next append, which raises the count over it.
 */
export async function pollFeed(store: BlobStore, feedId: string, subfeedHash: string, from: number): Promise<{ messages: StoredFeedMessage[]; exists: boolean }> {
  checkNames(feedId, subfeedHash);
  const { count, generation } = await readCount(store, feedCountPath(feedId, subfeedHash));
  return { messages: await readBelow(store, feedId, subfeedHash, from, count), exists: generation !== 0 };
}

async function readBelow(store: BlobStore, feedId: string, subfeedHash: string, from: number, count: number): Promise<StoredFeedMessage[]> {
  const out: StoredFeedMessage[] = [];
  for (let start = from; start < count; start += READ_CONCURRENCY) {
    const positions = Array.from({ length: Math.min(READ_CONCURRENCY, count - start) }, (_, i) => start + i);
    const got = await Promise.all(positions.map((n) => store.read(feedMessagePath(feedId, subfeedHash, n))));
    got.forEach((bytes, i) => {
      if (!bytes) throw new FeedError(`Feed ${feedId} is corrupt: message ${positions[i]} is missing although count.json says ${count}`, 'corrupt-feed');
      out.push(parseStored(bytes, feedId, positions[i]));
    });
  }
  return out;
}

function parseStored(bytes: Uint8Array, feedId: string, n: number): StoredFeedMessage {
  const parsed = storedFeedMessageSchema.safeParse(parseJson(bytes));
  if (!parsed.success) throw new FeedError(`Feed ${feedId} is corrupt: message ${n} is not {message, user, timestamp}`, 'corrupt-feed');
  return parsed.data;
}

/** True when the subfeed has a count or a first message (a feed is created with `count.json` = 0). */
export async function feedExists(store: BlobStore, feedId: string, subfeedHash: string): Promise<boolean> {
  checkNames(feedId, subfeedHash);
  const [count, first] = await Promise.all([
    store.exists(feedCountPath(feedId, subfeedHash)),
    store.exists(feedMessagePath(feedId, subfeedHash, 0)),
  ]);
  return count || first;
}

/** Creates an empty subfeed (`count.json` = `{count: 0}`) unless it exists; returns whether it created it. */
export async function createFeed(store: BlobStore, feedId: string, subfeedHash: string): Promise<boolean> {
  checkNames(feedId, subfeedHash);
  return store.write(feedCountPath(feedId, subfeedHash), JSON.stringify({ count: 0 }), {
    ifGenerationMatch: 0, cacheControl: FEED_COUNT_CACHE_CONTROL, contentType: 'application/json',
  });
}
