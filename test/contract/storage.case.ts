// The Cloud Storage contract: what the project relies on from GCS, checked with the real
// @google-cloud/storage client (and plain HTTP where a browser or a raw request is the user).
// Run it against any implementation: `emulator/storage` (storage.test.ts) or real GCS (empty
// STORAGE_EMULATOR_HOST, Application Default Credentials, two buckets you own).
// Every object lives under a per-run prefix so runs never collide.
import { createHash, randomBytes } from 'node:crypto';
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { gunzipSync, gzipSync } from 'node:zlib';
import { CRC32C, Storage, type Bucket, type GetFilesOptions, type GetFilesResponse } from '@google-cloud/storage';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

export interface StorageContractTarget {
  /** STORAGE_EMULATOR_HOST for the client; '' means real GCS. */
  env: { STORAGE_EMULATOR_HOST: string };
  /** Where anonymous callers (browsers) go; default https://storage.googleapis.com. */
  publicUrl?: string;
  /** Readable by allUsers; the CORS policy applies to it. */
  publicBucket: string;
  /** Never readable anonymously. */
  privateBucket: string;
  /** An Origin the public endpoint's CORS policy allows; CORS cases skip without it. */
  allowedOrigin?: string;
  /** Operation counters by price class (emulators only); counter cases skip without them. */
  counters?: () => { classA: number; classB: number; free: number; byOp: Record<string, number> };
  stop: () => Promise<void>;
}

export interface StorageContractOptions {
  name: string;
  make: () => Promise<StorageContractTarget>;
}

interface RawResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
}

/** HTTP without fetch's automatic Accept-Encoding and gunzip, to see exactly what is served. */
function raw(url: string, init: { method?: string; headers?: Record<string, string>; body?: Buffer | string } = {}): Promise<RawResponse> {
  const send = url.startsWith('https:') ? httpsRequest : httpRequest;
  return new Promise((resolve, reject) => {
    const req = send(url, { method: init.method ?? 'GET', headers: init.headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(init.body);
  });
}

function statusOf(err: unknown): number | undefined {
  const e = err as { code?: unknown; status?: unknown; response?: { status?: unknown } } | undefined;
  for (const v of [e?.code, e?.status, e?.response?.status]) {
    const n = Number(v);
    if (Number.isInteger(n) && n >= 100 && n < 600) return n;
  }
  return undefined;
}

async function expectStatus(promise: Promise<unknown>, status: number): Promise<void> {
  const err = await promise.then(
    () => undefined,
    (e: unknown) => e ?? new Error('rejected without a reason'),
  );
  expect(err, `expected an HTTP ${status} failure`).toBeDefined();
  expect(statusOf(err), String((err as Error).message)).toBe(status);
}

const md5 = (b: Buffer): string => createHash('md5').update(b).digest('base64');
const crc = (b: Buffer): string => {
  const c = new CRC32C();
  c.update(b);
  return c.toString();
};

export function runStorageContract(opts: StorageContractOptions): void {
  describe(`storage contract: ${opts.name}`, () => {
    const run = `sv-contract-${Date.now().toString(36)}-${randomBytes(3).toString('hex')}`;
    let t: StorageContractTarget;
    let storage: Storage;
    let pub: Bucket;
    let priv: Bucket;
    let apiBase: string;
    let publicUrl: string;
    let previousHost: string | undefined;
    const n = (name: string): string => `${run}/${name}`;

    /** Bearer token for raw requests to real GCS; emulators need none on the trusted port. */
    async function auth(): Promise<Record<string, string>> {
      if (t.env.STORAGE_EMULATOR_HOST) return {};
      return { Authorization: `Bearer ${await storage.authClient.getAccessToken()}` };
    }
    const objectUrl = (bucket: string, name: string, query = ''): string =>
      `${apiBase}/storage/v1/b/${bucket}/o/${encodeURIComponent(name)}${query}`;

    beforeAll(async () => {
      t = await opts.make();
      previousHost = process.env.STORAGE_EMULATOR_HOST;
      // The client reads STORAGE_EMULATOR_HOST in its constructor (and then ignores apiEndpoint
      // for the JSON API base URL), so set it for the construction and pass apiEndpoint too.
      if (t.env.STORAGE_EMULATOR_HOST) process.env.STORAGE_EMULATOR_HOST = t.env.STORAGE_EMULATOR_HOST;
      else delete process.env.STORAGE_EMULATOR_HOST;
      const host = t.env.STORAGE_EMULATOR_HOST;
      storage = new Storage({ projectId: 'sortingview-test', ...(host ? { apiEndpoint: host } : {}) });
      apiBase = host || 'https://storage.googleapis.com';
      publicUrl = t.publicUrl ?? 'https://storage.googleapis.com';
      pub = storage.bucket(t.publicBucket);
      priv = storage.bucket(t.privateBucket);
    });

    afterAll(async () => {
      for (const bucket of [pub, priv]) {
        const [files] = await bucket.getFiles({ prefix: `${run}/` }).catch(() => [[]] as const);
        await Promise.all(files.map((f) => f.delete().catch(() => undefined)));
      }
      if (previousHost === undefined) delete process.env.STORAGE_EMULATOR_HOST;
      else process.env.STORAGE_EMULATOR_HOST = previousHost;
      await t?.stop();
    });

    describe('buckets', () => {
      it('gets metadata of existing buckets and 404s unknown ones', async () => {
        const [meta] = await pub.getMetadata();
        expect(meta).toMatchObject({ kind: 'storage#bucket', name: t.publicBucket });
        expect(await priv.exists()).toEqual([true]);
        const missing = storage.bucket(`${run}-missing`.toLowerCase().replace(/[^a-z0-9-]/g, '-'));
        expect(await missing.exists()).toEqual([false]);
        await expectStatus(missing.getMetadata(), 404);
      });

      it('creates, lists and deletes a bucket', async () => {
        const name = `${run}-tmp`.toLowerCase();
        const [bucket] = await storage.createBucket(name);
        expect(bucket.name).toBe(name);
        const [buckets] = await storage.getBuckets();
        expect(buckets.map((b) => b.name)).toContain(name);
        await bucket.delete();
        expect(await bucket.exists()).toEqual([false]);
      });
    });

    describe('uploads and object metadata', () => {
      it('multipart upload (resumable:false) stores every metadata field', async () => {
        const data = Buffer.from('hello multipart');
        const file = pub.file(n('meta/multipart.txt'));
        await file.save(data, {
          resumable: false,
          metadata: {
            contentType: 'text/plain',
            cacheControl: 'no-store',
            contentDisposition: 'inline',
            contentLanguage: 'en',
            metadata: { owner: 'lab', n: '1' },
          },
        });
        const [m] = await file.getMetadata();
        expect(m).toMatchObject({
          kind: 'storage#object',
          name: n('meta/multipart.txt'),
          bucket: t.publicBucket,
          contentType: 'text/plain',
          cacheControl: 'no-store',
          contentDisposition: 'inline',
          contentLanguage: 'en',
          metadata: { owner: 'lab', n: '1' },
          metageneration: '1',
          size: String(data.length),
          md5Hash: md5(data),
          crc32c: crc(data),
        });
        expect(m.generation).toMatch(/^\d+$/);
        for (const key of ['id', 'selfLink', 'mediaLink', 'etag', 'timeCreated', 'updated'] as const) expect(m[key]).toBeTruthy();
        expect(Number.isNaN(Date.parse(String(m.timeCreated)))).toBe(false);
      });

      it('uploadType=media over raw HTTP', async () => {
        const name = n('meta/media.bin');
        const data = randomBytes(1000);
        const res = await raw(`${apiBase}/upload/storage/v1/b/${t.publicBucket}/o?uploadType=media&name=${encodeURIComponent(name)}`, {
          method: 'POST',
          headers: { ...(await auth()), 'Content-Type': 'application/x-test' },
          body: data,
        });
        expect(res.status).toBe(200);
        expect(JSON.parse(res.body.toString())).toMatchObject({ name, size: '1000', contentType: 'application/x-test', md5Hash: md5(data) });
      });

      it('resumable save and a multi-chunk createWriteStream round-trip byte-exact', async () => {
        const small = pub.file(n('resumable/small.json'));
        await small.save(JSON.stringify({ a: 1 }), { contentType: 'application/json' });
        expect((await small.download())[0].toString()).toBe('{"a":1}');

        const big = randomBytes(5 * 1024 * 1024 + 12345);
        const file = priv.file(n('resumable/big.bin'));
        const parts = Array.from({ length: 9 }, (_, i) => big.subarray(i * 600_000, (i + 1) * 600_000));
        await pipeline(Readable.from(parts), file.createWriteStream({ resumable: true, chunkSize: 1024 * 1024 }));
        const [meta] = await file.getMetadata();
        expect(meta).toMatchObject({ size: String(big.length), md5Hash: md5(big), crc32c: crc(big) });
        const [back] = await file.download();
        expect(back.equals(big)).toBe(true);
        const [backMd5] = await file.download({ validation: 'md5' });
        expect(backMd5.equals(big)).toBe(true);
      });

      it('resumable session protocol: 308 + Range, status query, finalize, finalized session', async () => {
        const file = pub.file(n('resumable/session.bin'));
        const [uri] = await file.createResumableUpload({ metadata: { contentType: 'application/octet-stream' } });
        const data = randomBytes(256 * 1024 + 1000);
        const first = await raw(uri, { method: 'PUT', headers: { 'Content-Range': `bytes 0-${256 * 1024 - 1}/*` }, body: data.subarray(0, 256 * 1024) });
        expect(first.status).toBe(308);
        expect(first.headers.range).toBe(`bytes=0-${256 * 1024 - 1}`);
        const status = await raw(uri, { method: 'PUT', headers: { 'Content-Range': 'bytes */*', 'Content-Length': '0' } });
        expect(status.status).toBe(308);
        expect(status.headers.range).toBe(`bytes=0-${256 * 1024 - 1}`);
        const last = await raw(uri, {
          method: 'PUT',
          headers: { 'Content-Range': `bytes ${256 * 1024}-${data.length - 1}/${data.length}` },
          body: data.subarray(256 * 1024),
        });
        expect([200, 201]).toContain(last.status);
        expect(JSON.parse(last.body.toString())).toMatchObject({ size: String(data.length), md5Hash: md5(data) });
        const again = await raw(uri, { method: 'PUT', headers: { 'Content-Range': `bytes */${data.length}`, 'Content-Length': '0' } });
        expect([200, 201]).toContain(again.status);
        expect((await file.download())[0].equals(data)).toBe(true);
      });

      it('setMetadata patches fields, removes keys set to null and bumps metageneration', async () => {
        const file = pub.file(n('meta/patch.txt'));
        await file.save('x', { resumable: false, metadata: { contentType: 'text/plain', metadata: { keep: 'k', drop: 'd' } } });
        const [before] = await file.getMetadata();
        const [after] = await file.setMetadata({ cacheControl: 'public, max-age=60', metadata: { drop: null, added: 'a' } });
        expect(after).toMatchObject({ cacheControl: 'public, max-age=60', metadata: { keep: 'k', added: 'a' }, metageneration: '2', generation: before.generation });
        expect(after.metadata).not.toHaveProperty('drop');
        expect(after.etag).not.toBe(before.etag);
      });
    });

    describe('downloads', () => {
      const text = 'The quick brown fox jumps over the lazy dog. '.repeat(50);

      it('serves GCS headers and validates in the client', async () => {
        const file = pub.file(n('dl/plain.txt'));
        await file.save(text, { resumable: false, contentType: 'text/plain' });
        const res = await raw(objectUrl(t.publicBucket, file.name, '?alt=media'), { headers: await auth() });
        expect(res.status).toBe(200);
        expect(res.body.toString()).toBe(text);
        expect(res.headers['x-goog-hash']).toContain(`crc32c=${crc(Buffer.from(text))}`);
        expect(res.headers['x-goog-hash']).toContain(`md5=${md5(Buffer.from(text))}`);
        expect(res.headers['x-goog-generation']).toMatch(/^\d+$/);
        expect(res.headers['x-goog-metageneration']).toBe('1');
        expect(res.headers['x-goog-stored-content-length']).toBe(String(text.length));
        expect(res.headers['x-goog-stored-content-encoding']).toBe('identity');
        expect((await file.download())[0].toString()).toBe(text);
      });

      it('range reads: a-b, a-, suffix, and 416 past the end', async () => {
        const file = pub.file(n('dl/range.txt'));
        await file.save(text, { resumable: false });
        expect((await file.download({ start: 4, end: 8 }))[0].toString()).toBe(text.slice(4, 9));
        expect((await file.download({ start: text.length - 5 }))[0].toString()).toBe(text.slice(-5));
        const url = objectUrl(t.publicBucket, file.name, '?alt=media');
        const suffix = await raw(url, { headers: { ...(await auth()), Range: 'bytes=-7' } });
        expect(suffix.status).toBe(206);
        expect(suffix.body.toString()).toBe(text.slice(-7));
        expect(suffix.headers['content-range']).toBe(`bytes ${text.length - 7}-${text.length - 1}/${text.length}`);
        const past = await raw(url, { headers: { ...(await auth()), Range: `bytes=${text.length + 10}-` } });
        expect(past.status).toBe(416);
      });

      it('gzip objects: client gets text, raw bytes on request, transcoding without Accept-Encoding', async () => {
        const file = pub.file(n('dl/text.gz.json'));
        await file.save(text, { gzip: true, resumable: false, contentType: 'application/json' });
        const [meta] = await file.getMetadata();
        expect(meta.contentEncoding).toBe('gzip');
        expect((await file.download())[0].toString()).toBe(text);
        const [stored] = await file.download({ decompress: false });
        expect(gunzipSync(stored).toString()).toBe(text);

        const url = objectUrl(t.publicBucket, file.name, '?alt=media');
        const gz = await raw(url, { headers: { ...(await auth()), 'Accept-Encoding': 'gzip' } });
        expect(gz.headers['content-encoding']).toBe('gzip');
        expect(gunzipSync(gz.body).toString()).toBe(text);
        const plain = await raw(url, { headers: await auth() });
        expect(plain.status).toBe(200);
        expect(plain.headers['content-encoding']).toBeUndefined();
        expect(plain.body.toString()).toBe(text);
        const browser = await raw(`${publicUrl}/${t.publicBucket}/${file.name}`, { headers: { 'Accept-Encoding': 'gzip, deflate' } });
        expect(browser.headers['content-encoding']).toBe('gzip');
        expect(gunzipSync(browser.body).toString()).toBe(text);
      });

      it('gzip bytes uploaded as-is with contentEncoding download decompressed', async () => {
        const file = pub.file(n('dl/pre.gz'));
        await file.save(gzipSync(Buffer.from(text)), { resumable: false, metadata: { contentType: 'text/plain', contentEncoding: 'gzip' } });
        expect((await file.download())[0].toString()).toBe(text);
      });
    });

    describe('listing', () => {
      const names = ['p/a.txt', 'p/b/c.txt', 'p/b/d.txt', 'p/e/f.txt', 'p/g.txt', 'q.txt'];
      beforeAll(async () => {
        await Promise.all(names.map((x) => pub.file(n(`list/${x}`)).save(x, { resumable: false })));
      });

      it('prefix + delimiter gives items and prefixes', async () => {
        const [files, , resp] = await pub.getFiles({ prefix: n('list/p/'), delimiter: '/', autoPaginate: false });
        expect(files.map((f) => f.name)).toEqual([n('list/p/a.txt'), n('list/p/g.txt')]);
        expect((resp as { prefixes?: string[] }).prefixes).toEqual([n('list/p/b/'), n('list/p/e/')]);
      });

      it('pages in lexicographic order with maxResults/pageToken, and autoPaginate gets all', async () => {
        const seen: string[] = [];
        let query: GetFilesOptions | null = { prefix: n('list/'), maxResults: 2, autoPaginate: false };
        while (query) {
          const [files, next]: GetFilesResponse = await pub.getFiles(query);
          expect(files.length).toBeLessThanOrEqual(2);
          seen.push(...files.map((f) => f.name));
          query = next as GetFilesOptions | null;
        }
        const expected = names.map((x) => n(`list/${x}`)).sort();
        expect(seen).toEqual(expected);
        // With autoPaginate the client treats maxResults as a total cap, so page without it.
        const [all] = await pub.getFiles({ prefix: n('list/') });
        expect(all.map((f) => f.name)).toEqual(expected);
      });

      it('startOffset (inclusive) and endOffset (exclusive)', async () => {
        const [files] = await pub.getFiles({ prefix: n('list/'), startOffset: n('list/p/b/'), endOffset: n('list/p/e/') });
        expect(files.map((f) => f.name)).toEqual([n('list/p/b/c.txt'), n('list/p/b/d.txt')]);
      });
    });

    describe('matchGlob, metadata limits, copy with new metadata', () => {
      it('list honours matchGlob: *, **, ?, [set], {a,b}, alone and with a delimiter', async () => {
        const base = n('glob/');
        const names = ['a.txt', 'b.json', 'd/a.txt', 'd/e/c.txt', 'd/e/d.bin', 'log-1', 'log-2', 'log-x'];
        await Promise.all(names.map((x) => pub.file(`${base}${x}`).save(x, { resumable: false })));
        const list = async (matchGlob: string, delimiter?: string, prefix = '') => {
          const [files, , resp] = await pub.getFiles({ prefix: base + prefix, matchGlob: `${base}${matchGlob}`, delimiter, autoPaginate: false });
          return { items: files.map((f) => f.name.slice(base.length)), prefixes: ((resp as { prefixes?: string[] }).prefixes ?? []).map((p) => p.slice(base.length)) };
        };
        expect((await list('*.txt')).items).toEqual(['a.txt']);
        expect((await list('**.txt')).items).toEqual(['a.txt', 'd/a.txt', 'd/e/c.txt']);
        expect((await list('d/**')).items).toEqual(['d/a.txt', 'd/e/c.txt', 'd/e/d.bin']);
        expect((await list('log-?')).items).toEqual(['log-1', 'log-2', 'log-x']);
        expect((await list('log-[0-9]')).items).toEqual(['log-1', 'log-2']);
        expect((await list('log-[!0-9]')).items).toEqual(['log-x']);
        expect((await list('{a.txt,b.json}')).items).toEqual(['a.txt', 'b.json']);
        expect(await list('d/**', '/', 'd/')).toEqual({ items: ['d/a.txt'], prefixes: ['d/e/'] });
      });

      it('refuses a matchGlob that does not parse with 400', async () => {
        const res = await raw(`${apiBase}/storage/v1/b/${t.publicBucket}/o?matchGlob=${encodeURIComponent('log-[0-9')}`, { headers: await auth() });
        expect(res.status).toBe(400);
      });

      it('custom metadata over 8 KiB is a 400 "Metadata part is too large", at multipart upload, resumable session start and patch', async () => {
        const big = { metadata: { note: 'x'.repeat(9000) } };
        const file = pub.file(n('limits/meta.txt'));
        const multipart = await file.save('x', { resumable: false, metadata: big }).then(() => undefined, (e: unknown) => e);
        expect(statusOf(multipart)).toBe(400);
        expect(String((multipart as Error).message)).toMatch(/Metadata part is too large/);
        const session = await file.createResumableUpload({ metadata: big }).then(() => undefined, (e: unknown) => e);
        expect(statusOf(session)).toBe(400);
        // Google's own system test: a 2.1 MB custom value, through both upload forms.
        const huge = { metadata: { custom: 'a'.repeat(2.1e6) } };
        expect(statusOf(await file.save('x', { resumable: false, metadata: huge }).then(() => undefined, (e: unknown) => e))).toBe(400);
        expect(statusOf(await file.createResumableUpload({ metadata: huge }).then(() => undefined, (e: unknown) => e))).toBe(400);
        const raw400 = await raw(`${apiBase}/upload/storage/v1/b/${t.publicBucket}/o?uploadType=resumable&name=${encodeURIComponent(file.name)}`, {
          method: 'POST', headers: { ...(await auth()), 'Content-Type': 'application/json' }, body: JSON.stringify(huge),
        });
        expect(raw400.status).toBe(400);
        expect(raw400.body.toString()).toMatch(/Metadata part is too large/);
        expect(await file.exists()).toEqual([false]);
        await file.save('x', { resumable: false, metadata: { metadata: { small: 'y' } } });
        expect(statusOf(await file.setMetadata(big).then(() => undefined, (e: unknown) => e))).toBe(400);
        expect((await file.getMetadata())[0].metadata).toEqual({ small: 'y' });
      });

      it('copy and rewrite with new custom metadata merge it into the source\'s (null removes a key); other fields are kept', async () => {
        const src = pub.file(n('copymeta/src.txt'));
        await src.save('m', { resumable: false, metadata: { contentType: 'text/plain', cacheControl: 'no-store', metadata: { a: '1', keep: 'k', drop: 'd' } } });
        const [rewritten] = await src.copy(n('copymeta/rewrite.txt'), { metadata: { a: '2', b: '3', drop: null } } as never);
        const copyTo = await raw(`${apiBase}/storage/v1/b/${t.publicBucket}/o/${encodeURIComponent(src.name)}/copyTo/b/${t.publicBucket}/o/${encodeURIComponent(n('copymeta/copy.txt'))}`, {
          method: 'POST', headers: { ...(await auth()), 'Content-Type': 'application/json' }, body: JSON.stringify({ metadata: { a: '2', b: '3', drop: null } }),
        });
        expect(copyTo.status).toBe(200);
        for (const dst of [rewritten, pub.file(n('copymeta/copy.txt'))]) {
          const [m] = await dst.getMetadata();
          expect(m.metadata).toEqual({ a: '2', keep: 'k', b: '3' });
          expect(m).toMatchObject({ contentType: 'text/plain', cacheControl: 'no-store' });
        }
      });
    });

    describe('delete, exists, copy', () => {
      it('deletes, then exists is false and a second delete 404s', async () => {
        const file = pub.file(n('del/x.txt'));
        await file.save('x', { resumable: false });
        expect(await file.exists()).toEqual([true]);
        await file.delete();
        expect(await file.exists()).toEqual([false]);
        await expectStatus(file.delete(), 404);
        await expectStatus(file.getMetadata(), 404);
      });

      it('copies within and across buckets with content and metadata', async () => {
        const src = pub.file(n('copy/src.txt'));
        await src.save('copy me', { resumable: false, metadata: { contentType: 'text/plain', metadata: { k: 'v' } } });
        const [same] = await src.copy(n('copy/dst.txt'));
        const [other] = await src.copy(priv.file(n('copy/dst.txt')));
        for (const dst of [same, other]) {
          expect((await dst.download())[0].toString()).toBe('copy me');
          expect((await dst.getMetadata())[0]).toMatchObject({ contentType: 'text/plain', metadata: { k: 'v' } });
        }
        await expectStatus(src.copy(n('copy/dst.txt'), { preconditionOpts: { ifGenerationMatch: 0 } }), 412);
      });
    });

    describe('preconditions', () => {
      it('ifGenerationMatch on writes (multipart and resumable)', async () => {
        const file = pub.file(n('pre/gen.txt'));
        await file.save('v1', { resumable: false, preconditionOpts: { ifGenerationMatch: 0 } });
        const [m1] = await file.getMetadata();
        await expectStatus(file.save('v2', { resumable: false, preconditionOpts: { ifGenerationMatch: 0 } }), 412);
        await expectStatus(file.save('v2', { resumable: true, preconditionOpts: { ifGenerationMatch: 0 } }), 412);
        await expectStatus(file.save('v2', { resumable: false, preconditionOpts: { ifGenerationMatch: Number(m1.generation) + 1 } }), 412);
        await file.save('v2', { resumable: true, preconditionOpts: { ifGenerationMatch: Number(m1.generation) } });
        const [m2] = await file.getMetadata();
        expect(BigInt(m2.generation!)).toBeGreaterThan(BigInt(m1.generation!));
        expect((await file.download())[0].toString()).toBe('v2');
      });

      // Google's conformance scenario 2: createResumableUpload({ifGenerationMatch: 0}) on an
      // existing object succeeds; the precondition is checked when the upload finalizes.
      it('resumable preconditions hold at the final PUT: the session opens, the final PUT answers 412 (or 200 when it holds)', async () => {
        const file = pub.file(n('pre/finalize.bin'));
        await file.save('v1', { resumable: false });
        const [m1] = await file.getMetadata();
        const [losing] = await file.createResumableUpload({ preconditionOpts: { ifGenerationMatch: 0 } });
        const lost = await raw(losing, { method: 'PUT', headers: { 'Content-Range': 'bytes 0-1/2' }, body: Buffer.from('v2') });
        expect(lost.status).toBe(412);
        expect(JSON.parse(lost.body.toString()).error).toMatchObject({ code: 412, errors: [expect.objectContaining({ reason: 'conditionNotMet' })] });
        // What the client rejects with there (what adapters/gcs/objects.ts must recognise), for
        // a payload above the 8 MiB above which the product writes resumably.
        const [again] = await file.createResumableUpload({ preconditionOpts: { ifGenerationMatch: 0 } });
        const big = randomBytes(8 * 1024 * 1024 + 1);
        const err = await file.save(big, { uri: again, resumable: true, preconditionOpts: { ifGenerationMatch: 0 } }).then(() => undefined, (e: unknown) => e);
        expect((err as { code?: unknown })?.code).toBe(412);
        expect((await file.download())[0].toString()).toBe('v1');
        const [winning] = await file.createResumableUpload({ preconditionOpts: { ifGenerationMatch: Number(m1.generation) } });
        const won = await raw(winning, { method: 'PUT', headers: { 'Content-Range': 'bytes 0-1/2' }, body: Buffer.from('v3') });
        expect([200, 201]).toContain(won.status);
        expect((await file.download())[0].toString()).toBe('v3');
      });

      it('read, patch and delete preconditions; NotMatch failures answer 304', async () => {
        const file = pub.file(n('pre/read.txt'));
        await file.save('r', { resumable: false });
        const [m] = await file.getMetadata();
        const gen = Number(m.generation);
        await expectStatus(file.getMetadata({ ifGenerationMatch: gen + 1 }), 412);
        await expectStatus(file.getMetadata({ ifMetagenerationMatch: 7 }), 412);
        await expectStatus(file.getMetadata({ ifGenerationNotMatch: gen }), 304);
        await expectStatus(file.getMetadata({ ifMetagenerationNotMatch: 1 }), 304);
        expect((await file.getMetadata({ ifGenerationMatch: gen, ifMetagenerationMatch: 1 }))[0].name).toBe(file.name);
        const media = await raw(objectUrl(t.publicBucket, file.name, `?alt=media&ifGenerationMatch=${gen + 1}`), { headers: await auth() });
        expect(media.status).toBe(412);
        expect(JSON.parse(media.body.toString()).error).toMatchObject({ code: 412, errors: [expect.objectContaining({ reason: 'conditionNotMet' })] });
        await expectStatus(file.setMetadata({ cacheControl: 'no-store' }, { ifMetagenerationMatch: 5 }), 412);
        await file.setMetadata({ cacheControl: 'no-store' }, { ifMetagenerationMatch: 1 });
        await expectStatus(file.delete({ ifGenerationMatch: gen + 1 }), 412);
        await expectStatus(file.delete({ ifMetagenerationMatch: 1 }), 412);
        await file.delete({ ifGenerationMatch: gen, ifMetagenerationMatch: 2 });
      });

      it('the generation parameter reads only that generation', async () => {
        const file = pub.file(n('pre/generation.txt'));
        await file.save('one', { resumable: false });
        const [m1] = await file.getMetadata();
        await file.save('two', { resumable: false });
        const [m2] = await file.getMetadata();
        const current = pub.file(file.name, { generation: Number(m2.generation) });
        expect((await current.download())[0].toString()).toBe('two');
        await expectStatus(pub.file(file.name, { generation: Number(m1.generation) }).download(), 404);
      });

      it.each([false, true])('20 concurrent ifGenerationMatch:0 writers (resumable=%s): exactly one wins', async (resumable) => {
        const file = pub.file(n(`pre/race-${resumable}.json`));
        const results = await Promise.allSettled(
          Array.from({ length: 20 }, (_, i) =>
            pub.file(file.name).save(JSON.stringify({ writer: i }), { resumable, preconditionOpts: { ifGenerationMatch: 0 } }),
          ),
        );
        const wins = results.filter((r) => r.status === 'fulfilled');
        const losses = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
        expect(wins).toHaveLength(1);
        expect(losses.map((r) => statusOf(r.reason))).toEqual(Array(19).fill(412));
        const winner = results.findIndex((r) => r.status === 'fulfilled');
        expect(JSON.parse((await file.download())[0].toString())).toEqual({ writer: winner });
      });

      it('20 resumable sessions opened first, finalized at once: exactly one wins', async () => {
        const file = pub.file(n('pre/race-sessions.json'));
        const uris = await Promise.all(
          Array.from({ length: 20 }, () => file.createResumableUpload({ preconditionOpts: { ifGenerationMatch: 0 } }).then(([uri]) => uri)),
        );
        const statuses = await Promise.all(
          uris.map((uri, i) => raw(uri, { method: 'PUT', headers: { 'Content-Range': 'bytes 0-0/1' }, body: Buffer.from(String(i % 10)) }).then((r) => r.status)),
        );
        expect(statuses.filter((s) => s === 200 || s === 201)).toHaveLength(1);
        expect(statuses.filter((s) => s === 412)).toHaveLength(19);
      });
    });

    describe('anonymous access (public endpoint)', () => {
      // The public bucket grants allUsers roles/storage.legacyObjectReader (iam/policy.json): get, never list.
      it('reads objects of the public bucket, and may not list it', async () => {
        const file = pub.file(n('anon/hello.txt'));
        await file.save('hi there', { resumable: false, contentType: 'text/plain' });
        const res = await fetch(`${publicUrl}/${t.publicBucket}/${file.name}`);
        expect(res.status).toBe(200);
        expect(await res.text()).toBe('hi there');
        expect(res.headers.get('content-type')).toBe('text/plain');
        const json = await fetch(`${publicUrl}/storage/v1/b/${t.publicBucket}/o/${encodeURIComponent(file.name)}?alt=media`);
        expect(await json.text()).toBe('hi there');
        const list = await fetch(`${publicUrl}/storage/v1/b/${t.publicBucket}/o?prefix=${encodeURIComponent(n('anon/'))}`);
        expect(list.status).toBe(401);
        const refused = (await list.json()) as { error: { message: string } };
        expect(refused.error.message).toBe("Anonymous caller does not have storage.objects.list access to the Google Cloud Storage bucket. Permission 'storage.objects.list' denied on resource (or it may not exist).");
      });

      it('is refused on the private bucket and for every write', async () => {
        const file = priv.file(n('anon/secret.txt'));
        await file.save('secret', { resumable: false });
        const xml = await fetch(`${publicUrl}/${t.privateBucket}/${file.name}`);
        expect(xml.status).toBe(403);
        expect(await xml.text()).not.toContain('secret\n');
        const json = await fetch(`${publicUrl}/storage/v1/b/${t.privateBucket}/o/${encodeURIComponent(file.name)}?alt=media`);
        expect([401, 403]).toContain(json.status);
        const body = (await json.json()) as { error: { code: number; message: string; errors: unknown[] } };
        expect(body.error.code).toBe(json.status);
        expect(body.error.message).toMatch(/Anonymous caller/);
        for (const bucket of [t.publicBucket, t.privateBucket]) {
          const write = await fetch(`${publicUrl}/upload/storage/v1/b/${bucket}/o?uploadType=media&name=${encodeURIComponent(n('anon/w.txt'))}`, { method: 'POST', body: 'x' });
          expect([401, 403]).toContain(write.status);
        }
        const del = await fetch(`${publicUrl}/storage/v1/b/${t.publicBucket}/o/${encodeURIComponent(n('anon/hello.txt'))}`, { method: 'DELETE' });
        expect([401, 403]).toContain(del.status);
      });

      it('CORS: preflight and response headers for an allowed origin, none for others', async (ctx) => {
        if (!t.allowedOrigin) ctx.skip();
        const origin = t.allowedOrigin!;
        const file = pub.file(n('anon/cors.json'));
        await file.save('{}', { resumable: false, contentType: 'application/json' });
        const url = `${publicUrl}/${t.publicBucket}/${file.name}`;
        const pre = await fetch(url, { method: 'OPTIONS', headers: { Origin: origin, 'Access-Control-Request-Method': 'GET', 'Access-Control-Request-Headers': 'range' } });
        expect(pre.headers.get('access-control-allow-origin')).toMatch(new RegExp(`^(\\*|${origin.replace(/[.]/g, '\\.')})$`));
        const res = await fetch(url, { headers: { Origin: origin } });
        expect(res.headers.get('access-control-allow-origin')).toBeTruthy();
        const exposed = (res.headers.get('access-control-expose-headers') ?? '').toLowerCase();
        for (const h of ['etag', 'x-goog-generation', 'content-encoding']) expect(exposed).toContain(h);
        const evil = await fetch(url, { headers: { Origin: 'https://evil.example' } });
        expect(evil.headers.get('access-control-allow-origin')).toBeNull();
        const evilPre = await fetch(url, { method: 'OPTIONS', headers: { Origin: 'https://evil.example', 'Access-Control-Request-Method': 'GET' } });
        expect(evilPre.headers.get('access-control-allow-origin')).toBeNull();
      });
    });

    describe('errors and cost accounting', () => {
      it('errors are GCS-shaped JSON', async () => {
        const res = await raw(objectUrl(t.publicBucket, n('errors/missing.txt')), { headers: await auth() });
        expect(res.status).toBe(404);
        const body = JSON.parse(res.body.toString());
        expect(body.error).toMatchObject({ code: 404, errors: [expect.objectContaining({ reason: 'notFound' })] });
        expect(typeof body.error.message).toBe('string');
      });

      it('counters move by price class', async (ctx) => {
        if (!t.counters) ctx.skip();
        const file = pub.file(n('counters/c.txt'));
        const before = t.counters!();
        await file.save('c', { resumable: false });
        await file.getMetadata();
        await file.download();
        await pub.getFiles({ prefix: n('counters/') });
        await file.delete();
        const after = t.counters!();
        expect(after.classA - before.classA).toBe(2); // insert + list
        expect(after.classB - before.classB).toBe(2); // get metadata + get media
        expect(after.free - before.free).toBe(1); // delete
      });
    });
  });
}
