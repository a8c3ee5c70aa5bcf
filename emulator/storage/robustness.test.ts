// Emulator-specific behaviour beyond the contract: malformed requests, limits, admin endpoints,
// identity rules of the two ports. Plain HTTP on loopback plus the real client where it matters.
import { request } from 'node:http';
import { Storage } from '@google-cloud/storage';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startStorageEmulator, type StorageEmulator } from './index';

interface Raw {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
}

function raw(url: string, init: { method?: string; headers?: Record<string, string>; body?: string | Buffer } = {}): Promise<Raw> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method: init.method ?? 'GET', headers: init.headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, text: Buffer.concat(chunks).toString() }));
    });
    req.on('error', reject);
    req.end(init.body);
  });
}

const reason = (r: Raw): string => JSON.parse(r.text).error.errors[0].reason;

describe('storage emulator robustness', () => {
  let emu: StorageEmulator;
  let storage: Storage;
  const upload = (bucket: string, name: string) => `${emu.url}/upload/storage/v1/b/${bucket}/o?uploadType=media&name=${encodeURIComponent(name)}`;

  beforeAll(async () => {
    emu = await startStorageEmulator({
      buckets: [{ name: 'pub', public: true }, { name: 'priv', public: false }],
      maxObjectBytes: 1000,
    });
    storage = new Storage({ apiEndpoint: emu.url, projectId: 'p' });
  });
  afterAll(() => emu.stop());
  beforeEach(async () => {
    expect((await raw(`${emu.url}/_emulator/reset`, { method: 'POST' })).status).toBe(200);
  });

  it('answers malformed requests with 4xx GCS errors, never 5xx', async () => {
    await raw(upload('pub', 'o'), { method: 'POST', body: 'x' });
    const badJson = await raw(`${emu.url}/storage/v1/b/pub/o/o`, { method: 'PATCH', body: '{nope', headers: { 'Content-Type': 'application/json' } });
    expect([badJson.status, reason(badJson)]).toEqual([400, 'parseError']);
    const wrongType = await raw(`${emu.url}/storage/v1/b/pub/o/o`, { method: 'PATCH', body: '{"metadata":[1]}' });
    expect(wrongType.status).toBe(400);
    expect((await raw(`${emu.url}/storage/v1/nothing/here`, { method: 'POST' })).status).toBe(404);
    expect((await raw(`${emu.url}/storage/v1/b/pub/o/%E0%A4%A`)).status).toBe(400);
    expect((await raw(`${emu.url}/upload/storage/v1/b/pub/o?uploadType=weird&name=x`, { method: 'POST' })).status).toBe(400);
    expect((await raw(`${emu.url}/upload/storage/v1/b/pub/o?uploadType=media`, { method: 'POST', body: 'x' })).status).toBe(400);
    const noBoundary = await raw(`${emu.url}/upload/storage/v1/b/pub/o?uploadType=multipart`, { method: 'POST', body: 'x', headers: { 'Content-Type': 'text/plain' } });
    expect(noBoundary.status).toBe(400);
    const truncated = await raw(`${emu.url}/upload/storage/v1/b/pub/o?uploadType=multipart`, {
      method: 'POST',
      body: '--b\r\nContent-Type: application/json\r\n\r\n{"name":"x"}',
      headers: { 'Content-Type': 'multipart/related; boundary=b' },
    });
    expect(truncated.status).toBe(400);
    expect((await raw(`${emu.url}/upload/storage/v1/b/pub/o?uploadType=resumable&upload_id=nope`, { method: 'PUT', body: 'x' })).status).toBe(404);
    expect((await raw(`${emu.url}/storage/v1/b/pub/o?maxResults=-1`)).status).toBe(400);
    expect((await raw(`${emu.url}/storage/v1/b/pub/o/o?ifGenerationMatch=x`)).status).toBe(400);
    expect((await raw(`${emu.url}/storage/v1/b/nope/o`)).status).toBe(404);
  });

  it('rejects bad Content-Range and hash mismatches on uploads', async () => {
    const [uri] = await storage.bucket('pub').file('r').createResumableUpload();
    expect((await raw(uri, { method: 'PUT', headers: { 'Content-Range': 'bytes=0-1' }, body: 'ab' })).status).toBe(400);
    expect((await raw(uri, { method: 'PUT', headers: { 'Content-Range': 'bytes 5-6/*' }, body: 'ab' })).status).toBe(400);
    const bad = await raw(upload('pub', 'h'), { method: 'POST', body: 'data', headers: { 'x-goog-hash': 'crc32c=AAAAAA==' } });
    expect(bad.status).toBe(400);
    expect(bad.text).toMatch(/CRC32C/);
    expect((await raw(`${emu.url}/storage/v1/b/pub/o/h`)).status).toBe(404);
  });

  it('enforces the object size limit with 413 on every upload path', async () => {
    const big = Buffer.alloc(1001);
    expect((await raw(upload('pub', 'big'), { method: 'POST', body: big })).status).toBe(413);
    const [uri] = await storage.bucket('pub').file('big').createResumableUpload();
    expect((await raw(uri, { method: 'PUT', body: big })).status).toBe(413);
    await expect(storage.bucket('pub').file('big').save(big, { resumable: false })).rejects.toMatchObject({ code: 413 });
    // Chunked transfer (no Content-Length): refused while streaming, and the 413 still arrives.
    const chunked = await new Promise<number>((resolve, reject) => {
      const req = request(upload('pub', 'big'), { method: 'POST', headers: { 'Transfer-Encoding': 'chunked' } }, (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      });
      req.on('error', reject);
      req.write(Buffer.alloc(600));
      setTimeout(() => req.end(Buffer.alloc(600)), 10);
    });
    expect(chunked).toBe(413);
    // The server is still healthy afterwards.
    expect((await raw(upload('pub', 'ok'), { method: 'POST', body: 'fine' })).status).toBe(200);
  });

  it('bucket names are validated and conflicts are 409', async () => {
    await expect(storage.createBucket('Bad_Name')).rejects.toMatchObject({ code: 400 });
    await expect(storage.createBucket('pub')).rejects.toMatchObject({ code: 409 });
    await storage.bucket('priv').file('x').save('x', { resumable: false });
    await expect(storage.bucket('priv').delete()).rejects.toMatchObject({ code: 409 });
  });

  it('admin endpoints: counters JSON and reset, trusted port only', async () => {
    await storage.bucket('pub').file('c').save('c', { resumable: false });
    const counters = JSON.parse((await raw(`${emu.url}/_emulator/counters`)).text);
    expect(counters).toMatchObject({ classA: 1, classB: 0, free: 0, byOp: { 'objects.insert': 1 } });
    expect((await raw(`${emu.publicUrl}/_emulator/counters`)).status).toBe(404);
    expect((await raw(`${emu.publicUrl}/_emulator/reset`, { method: 'POST' })).status).toBe(404);
    await raw(`${emu.url}/_emulator/reset`, { method: 'POST' });
    expect(emu.counters()).toEqual({ classA: 0, classB: 0, free: 0, byOp: {} });
    expect(await storage.bucket('pub').file('c').exists()).toEqual([false]);
    expect(await storage.bucket('pub').exists()).toEqual([true]);
  });

  it('failed requests are not counted (GCS does not bill 4xx)', async () => {
    emu.resetCounters();
    await storage.bucket('pub').file('missing').getMetadata().catch(() => undefined);
    expect(emu.counters().classB).toBe(0);
  });

  it('the XML form is anonymous on both ports, so file.isPublic() tells the truth', async () => {
    await storage.bucket('pub').file('a').save('a', { resumable: false });
    await storage.bucket('priv').file('a').save('a', { resumable: false });
    expect(await storage.bucket('pub').file('a').isPublic()).toEqual([true]);
    expect(await storage.bucket('priv').file('a').isPublic()).toEqual([false]);
    const xml = await raw(`${emu.url}/priv/a`);
    expect(xml.status).toBe(403);
    expect(xml.text).toContain('<Code>AccessDenied</Code>');
  });

  it('public port: a token the emulator did not issue is anonymous: no private reads, no writes, no deletes, no listing (issue 14 item 9)', async () => {
    await storage.bucket('priv').file('acl/w.json').save('{"owner":"a@b"}', { resumable: false });
    await storage.bucket('pub').file('feeds/w/c.json').save('{}', { resumable: false });
    const junk = { Authorization: 'Bearer junk' };
    const read = await raw(`${emu.publicUrl}/storage/v1/b/priv/o/acl%2Fw.json?alt=media`, { headers: junk });
    expect([read.status, reason(read)]).toEqual([401, 'required']);
    expect(JSON.parse(read.text).error.message).toBe("Anonymous caller does not have storage.objects.get access to the Google Cloud Storage object. Permission 'storage.objects.get' denied on resource (or it may not exist).");
    const write = await raw(`${emu.publicUrl}/upload/storage/v1/b/pub/o?uploadType=media&name=feeds%2Fw%2F0.json`, { method: 'POST', body: 't', headers: junk });
    expect(write.status).toBe(401);
    expect((await raw(`${emu.publicUrl}/storage/v1/b/pub/o/feeds%2Fw%2Fc.json`, { method: 'DELETE', headers: junk })).status).toBe(401);
    const list = await raw(`${emu.publicUrl}/storage/v1/b/pub/o?prefix=feeds%2F`, { headers: junk });
    expect([list.status, JSON.parse(list.text).error.message]).toEqual([401, "Anonymous caller does not have storage.objects.list access to the Google Cloud Storage bucket. Permission 'storage.objects.list' denied on resource (or it may not exist)."]);
    expect((await raw(`${emu.publicUrl}/storage/v1/b/pub`, { headers: junk })).status).toBe(401);
    // The same token on the trusted port is no better: a caller that sends credentials is judged by them.
    expect((await raw(`${emu.url}/storage/v1/b/priv/o/acl%2Fw.json`, { headers: junk })).status).toBe(401);
    // What anonymous callers may do: get a public object.
    expect((await raw(`${emu.publicUrl}/storage/v1/b/pub/o/feeds%2Fw%2Fc.json?alt=media`, { headers: junk })).status).toBe(200);
    expect(await storage.bucket('pub').file('feeds/w/c.json').exists()).toEqual([true]);
  });

  it('XML GET: HEAD, If-None-Match, default and explicit Cache-Control, 404 as XML', async () => {
    await storage.bucket('pub').file('d/x.json').save('{"a":1}', { resumable: false, contentType: 'application/json' });
    await storage.bucket('pub').file('s.json').save('{}', { resumable: false, metadata: { cacheControl: 'no-store' } });
    const head = await raw(`${emu.publicUrl}/pub/d/x.json`, { method: 'HEAD' });
    expect([head.status, head.text, head.headers['content-length']]).toEqual([200, '', '7']);
    expect(head.headers['cache-control']).toBe('public, max-age=3600');
    const cached = await raw(`${emu.publicUrl}/pub/d/x.json`, { headers: { 'If-None-Match': String(head.headers.etag) } });
    expect(cached.status).toBe(304);
    expect((await raw(`${emu.publicUrl}/pub/s.json`)).headers['cache-control']).toBe('no-store');
    const missing = await raw(`${emu.publicUrl}/pub/nope`);
    expect(missing.status).toBe(404);
    expect(missing.text).toContain('<Code>NoSuchKey</Code>');
  });

  it('custom metadata is served as x-goog-meta-* and exposed to CORS', async () => {
    const emuCors = await startStorageEmulator({ buckets: [{ name: 'pub', public: true }], corsOrigins: ['*'] });
    try {
      const s = new Storage({ apiEndpoint: emuCors.url, projectId: 'p' });
      await s.bucket('pub').file('m').save('m', { resumable: false, metadata: { metadata: { author: 'Zoë' } } });
      const res = await raw(`${emuCors.publicUrl}/pub/m`, { headers: { Origin: 'http://any.example' } });
      expect(res.headers['access-control-allow-origin']).toBe('*');
      expect(res.headers['x-goog-meta-author']).toBe(encodeURIComponent('Zoë'));
      expect(String(res.headers['access-control-expose-headers'])).toContain('x-goog-meta-author');
    } finally {
      await emuCors.stop();
    }
  });

  it('survives a client that disconnects mid-upload', async () => {
    await new Promise<void>((resolve) => {
      const req = request(upload('pub', 'cut'), { method: 'POST', headers: { 'Content-Length': '900' } });
      req.on('error', () => resolve());
      req.write(Buffer.alloc(100));
      setTimeout(() => {
        req.destroy();
        resolve();
      }, 20);
    });
    expect((await raw(upload('pub', 'after'), { method: 'POST', body: 'ok' })).status).toBe(200);
    expect((await raw(`${emu.url}/storage/v1/b/pub/o/cut`)).status).toBe(404);
  });
});
