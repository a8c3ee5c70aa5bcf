import { describe, expect, it } from 'vitest';
import type { BlobStore } from '../../core/ports/blobStore';

/** The BlobStore contract, run against the in-memory store and against Cloud Storage (emulator). */
export function runBlobStoreContract(opts: { name: string; make: () => Promise<BlobStore> }): void {
  describe(`BlobStore contract: ${opts.name}`, () => {
    it('writes, reads, lists and deletes', async () => {
      const s = await opts.make();
      expect(await s.read('a/x.json')).toBeNull();
      expect(await s.write('a/x.json', '{"x":1}')).toBe(true);
      expect(await s.write('a/y.bin', new Uint8Array([1, 2, 3]))).toBe(true);
      expect(await s.write('b/z', 'z')).toBe(true);
      expect(new TextDecoder().decode((await s.read('a/x.json'))!)).toBe('{"x":1}');
      expect(Array.from((await s.read('a/y.bin'))!)).toEqual([1, 2, 3]);
      expect(await s.exists('a/y.bin')).toBe(true);
      expect(await s.list('a/')).toEqual(['a/x.json', 'a/y.bin']);
      await s.delete('a/x.json');
      await s.delete('a/never-there');
      expect(await s.exists('a/x.json')).toBe(false);
    });

    it('refuses a second create with ifGenerationMatch 0, exactly one of many racing writers wins', async () => {
      const s = await opts.make();
      expect(await s.write('log/0.json', 'first', { ifGenerationMatch: 0 })).toBe(true);
      expect(await s.write('log/0.json', 'second', { ifGenerationMatch: 0 })).toBe(false);
      expect(new TextDecoder().decode((await s.read('log/0.json'))!)).toBe('first');
      const wins = await Promise.all(Array.from({ length: 10 }, (_, i) => s.write('log/1.json', `w${i}`, { ifGenerationMatch: 0 })));
      expect(wins.filter(Boolean)).toHaveLength(1);
    });

    it('reads an object with its generation; a write conditioned on a generation succeeds only while it is live', async () => {
      const s = await opts.make();
      expect(await s.readVersioned('cas/count.json')).toBeNull();
      expect(await s.write('cas/count.json', '{"count":1}', { ifGenerationMatch: 0 })).toBe(true);
      const v1 = (await s.readVersioned('cas/count.json'))!;
      expect(new TextDecoder().decode(v1.bytes)).toBe('{"count":1}');
      expect(v1.generation).toMatch(/^[1-9][0-9]*$/);
      expect(await s.write('cas/count.json', '{"count":2}', { ifGenerationMatch: v1.generation })).toBe(true);
      const v2 = (await s.readVersioned('cas/count.json'))!;
      expect(v2.generation).not.toBe(v1.generation);
      // A writer holding the old generation loses, and the object keeps the winner's bytes.
      expect(await s.write('cas/count.json', '{"count":9}', { ifGenerationMatch: v1.generation })).toBe(false);
      expect(await s.write('cas/count.json', '{"count":9}', { ifGenerationMatch: 0 })).toBe(false);
      expect(new TextDecoder().decode((await s.read('cas/count.json'))!)).toBe('{"count":2}');
      // A generation given as a number works the same as the string form.
      expect(await s.write('cas/count.json', '{"count":3}', { ifGenerationMatch: Number(v2.generation) })).toBe(true);
      // A generation never matches an absent object.
      expect(await s.write('cas/absent.json', 'x', { ifGenerationMatch: v2.generation })).toBe(false);
      expect(await s.exists('cas/absent.json')).toBe(false);
    });

    it('lets exactly one of many racing compare-and-swap writers win per generation', async () => {
      const s = await opts.make();
      await s.write('cas/race.json', '0');
      const v = (await s.readVersioned('cas/race.json'))!;
      const wins = await Promise.all(Array.from({ length: 10 }, (_, i) => s.write('cas/race.json', `${i + 1}`, { ifGenerationMatch: v.generation })));
      expect(wins.filter(Boolean)).toHaveLength(1);
      const winner = wins.indexOf(true) + 1;
      expect(new TextDecoder().decode((await s.read('cas/race.json'))!)).toBe(String(winner));
    });

    // Above 8 MiB the Cloud Storage adapter uploads resumably, where GCS checks the precondition
    // only at the final PUT (the session opens fine): a lost race must still be `false`, not a throw.
    it('a write above the resumable threshold (8 MiB) returns true when it wins its precondition, false when it loses', async () => {
      const s = await opts.make();
      const big = (fill: number) => new Uint8Array(8 * 1024 * 1024 + 4096).fill(fill);
      expect(await s.write('big/0.bin', big(1), { ifGenerationMatch: 0 })).toBe(true);
      expect(await s.write('big/0.bin', big(2), { ifGenerationMatch: 0 })).toBe(false);
      const v1 = (await s.readVersioned('big/0.bin'))!;
      expect(v1.bytes[0]).toBe(1);
      expect(await s.write('big/0.bin', big(3), { ifGenerationMatch: v1.generation })).toBe(true);
      expect(await s.write('big/0.bin', big(4), { ifGenerationMatch: v1.generation })).toBe(false);
      expect((await s.read('big/0.bin'))![0]).toBe(3);
      const race = await Promise.all([5, 6].map((fill) => s.write('big/1.bin', big(fill), { ifGenerationMatch: 0 })));
      expect(race.filter(Boolean)).toHaveLength(1);
      expect((await s.read('big/1.bin'))![0]).toBe(race[0] ? 5 : 6);
    }, 60_000);

    it('reads back gzip-stored bytes as written', async () => {
      const s = await opts.make();
      const text = 'abc'.repeat(10_000);
      expect(await s.write('big.json', text, { gzipMinBytes: 1024 })).toBe(true);
      expect(new TextDecoder().decode((await s.read('big.json'))!)).toBe(text);
      expect(new TextDecoder().decode((await s.readVersioned('big.json'))!.bytes)).toBe(text);
    });
  });
}
