import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { decodeChunk } from '../../core/protocol/chunkEncoding';
import { localOpenFile } from '../formats/testing';
import { createFormatChunkServer } from './formatChunks';
import { createReaderCache } from './readerCache';
import { serveChunk } from './serveChunk';

const tick = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A reader that fails the way a closed file handle does. */
function fakeReader(key: string, log: string[]) {
  let closed = false;
  return {
    key,
    async read(ms: number) {
      await tick(ms);
      if (closed) throw Object.assign(new Error('file closed'), { code: 'EBADF' });
      return key;
    },
    async close() {
      closed = true;
      log.push(`closed ${key}`);
    },
  };
}

describe('reader cache', () => {
  it('never closes a reader in use: many concurrent reads while the cache evicts', async () => {
    const log: string[] = [];
    const cache = createReaderCache(async (key) => fakeReader(key, log), 2);
    const keys = Array.from({ length: 300 }, (_, i) => `rec${(i * 7) % 9}`);
    const results = await Promise.allSettled(keys.map(async (key, i) => {
      await tick(i % 5);
      const lease = await cache.acquire(key);
      try {
        return await lease.value.read(1 + (i % 7));
      } finally {
        lease.release();
      }
    }));
    expect(results.filter((r) => r.status === 'rejected').map((r) => String((r as PromiseRejectedResult).reason))).toEqual([]);
    await cache.close();
    // Every reader opened is closed exactly once (none leaked, none closed twice), and at most 2 stay cached between uses.
    const { opened, closed } = cache.stats();
    expect(closed).toBe(opened);
    expect(opened).toBeGreaterThan(9); // it did evict
  });

  it('closes an evicted reader once its last lease is released; failed opens are not cached', async () => {
    const log: string[] = [];
    let fail = true;
    const cache = createReaderCache(async (key) => {
      if (key === 'flaky' && fail) throw new Error('not there yet');
      return fakeReader(key, log);
    }, 1);
    const a = await cache.acquire('a');
    const b = await cache.acquire('b'); // evicts a, which is in use
    await tick(1);
    expect(log).toEqual([]);
    expect(await a.value.read(0)).toBe('a');
    a.release();
    a.release(); // idempotent
    await tick(1);
    expect(log).toEqual(['closed a']);
    b.release();
    await expect(cache.acquire('flaky')).rejects.toThrow('not there yet');
    fail = false;
    const f = await cache.acquire('flaky');
    expect(await f.value.read(0)).toBe('flaky');
    f.release();
    cache.invalidate('flaky'); // a reader that failed under a read is reopened next time
    await tick(1);
    expect(log).toContain('closed flaky');
    expect(cache.stats().cached).toBe(0);
  });

  it('relay: 240 concurrent chunk requests over 12 recordings on real file handles (8 kept open) all succeed', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sv-reader-cache-'));
    const files: Record<string, string> = {};
    for (let r = 0; r < 12; r++) {
      const raw = Int16Array.from({ length: 2000 * 4 }, (_, i) => (i + r) % 1000);
      writeFileSync(join(dir, `raw${r}.dat`), new Uint8Array(raw.buffer));
      const obj = { recording_format: 'bin1', data: { raw: join(dir, `raw${r}.dat`), raw_num_channels: 4, num_frames: 2000, samplerate: 30000, channel_ids: [0, 1, 2, 3], channel_map: { 0: 0, 1: 1, 2: 2, 3: 3 }, channel_positions: { 0: [0, 0], 1: [0, 1], 2: [0, 2], 3: [0, 3] } } };
      writeFileSync((files[r] = join(dir, `rec${r}.json`)), JSON.stringify(obj));
    }
    const openFile = localOpenFile();
    const formats = createFormatChunkServer(openFile);
    const specs = Array.from({ length: 240 }, (_, i) => ({
      type: 'traces' as const, recording: files[(i * 5) % 12], startFrame: (i * 37) % 1500, endFrame: (i * 37) % 1500 + 400, channelIds: [0, 1, 2, 3],
    }));
    const out = await Promise.all(specs.map((spec) => serveChunk(spec, { openFile, formats: formats.serve })));
    const errors = out.flatMap((o) => (o.isError ? [(decodeChunk(o.bytes).header as { message: string }).message] : []));
    expect(errors).toEqual([]);
    await formats.close();
    expect(formats.stats().closed).toBe(formats.stats().opened);
  });
});
