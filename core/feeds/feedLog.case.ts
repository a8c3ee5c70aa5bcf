import { expect, it } from 'vitest';
import type { BlobStore } from '../ports/blobStore';
import { feedCountPath } from '../protocol';
import { appendMessages, readFeed } from './feedLog';

/**
 * The concurrency scenario of DESIGN.md ("concurrent writers never overwrite each other"), written once
 * and run against the in-memory store (`feedLog.test.ts`) and Cloud Storage on the emulator
 * (`test/integration/workspaceFeeds.test.ts`).
 */
export function runConcurrentAppendCase(opts: { make: () => Promise<BlobStore>; writers?: number; appends?: number; timeoutMs?: number }): void {
  const writers = opts.writers ?? 20;
  const appends = opts.appends ?? 20;
  it(`${writers} concurrent writers × ${appends} appends: every message once, one order, exact count`, async () => {
    const store = await opts.make();
    const feedId = 'c'.repeat(64);
    const sub = 'd'.repeat(40);
    let clock = 0;
    const landed = await Promise.all(Array.from({ length: writers }, async (_, w) => {
      const positions: number[] = [];
      for (let i = 0; i < appends; i++) {
        const r = await appendMessages(store, feedId, sub, [{ writer: w, i }], { user: `writer-${w}`, now: () => ++clock });
        positions.push(...r.positions);
      }
      return positions;
    }));
    const all = await readFeed(store, feedId, sub);
    expect(all).toHaveLength(writers * appends);
    const seen = new Set(all.map((m) => `${m.message.writer}/${m.message.i}`));
    expect(seen.size).toBe(writers * appends);
    // Each writer's messages appear in the order it appended them, at the positions it was told.
    for (let w = 0; w < writers; w++) {
      const mine = all.map((m, n) => ({ m, n })).filter(({ m }) => m.message.writer === w);
      expect(mine.map(({ m }) => m.message.i)).toEqual(Array.from({ length: appends }, (_, i) => i));
      expect(mine.map(({ n }) => n)).toEqual(landed[w]);
      expect(mine.every(({ m }) => m.user === `writer-${w}`)).toBe(true);
    }
    expect(JSON.parse(new TextDecoder().decode((await store.read(feedCountPath(feedId, sub)))!))).toEqual({ count: writers * appends });
  }, opts.timeoutMs ?? 120_000);
}
