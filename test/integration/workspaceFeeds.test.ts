import { Storage } from '@google-cloud/storage';
import { afterAll, describe, expect, it } from 'vitest';
import { appendMessages, readFeed } from '../../core/feeds';
import { runConcurrentAppendCase } from '../../core/feeds/feedLog.case';
import { feedCountPath, feedMessagePath } from '../../core/protocol';
import { startStorageEmulator, type StorageEmulator } from '../../emulator/storage';
import { gcsBlobStore } from '../../adapters/gcs/gcsBlobStore';

/**
 * Feeds on Cloud Storage through the real client library against our emulator: the
 * `ifGenerationMatch` guarantees the append protocol relies on, end to end over HTTP.
 */
let emulator: StorageEmulator | undefined;
let n = 0;
const storage = async () => {
  emulator ??= await startStorageEmulator({ buckets: [] });
  return new Storage({ projectId: 'sortingview-test', apiEndpoint: emulator.url });
};
const makeStore = async () => {
  const [bucket] = await (await storage()).createBucket(`feeds-${process.pid}-${++n}`);
  return { bucket, store: gcsBlobStore(bucket) };
};
afterAll(async () => emulator?.stop());

describe('feeds on Cloud Storage (emulator)', () => {
  runConcurrentAppendCase({ make: async () => (await makeStore()).store });

  it('stores messages immutable-cacheable and the count uncacheable', async () => {
    const { bucket, store } = await makeStore();
    const feedId = '1'.repeat(64);
    const sub = '2'.repeat(40);
    await appendMessages(store, feedId, sub, [{ action: { type: 'X' } }], { user: 'u', now: () => 5 });
    const [msg] = await bucket.file(feedMessagePath(feedId, sub, 0)).getMetadata();
    const [count] = await bucket.file(feedCountPath(feedId, sub)).getMetadata();
    expect(msg.cacheControl).toMatch(/immutable/);
    expect(msg.contentType).toBe('application/json');
    expect(count.cacheControl).toBe('no-store');
    expect(await readFeed(store, feedId, sub)).toEqual([{ message: { action: { type: 'X' } }, user: 'u', timestamp: 5 }]);
  });
});
