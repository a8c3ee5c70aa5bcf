// isPreconditionFailed on the error shapes the storage client really produces, taken from real
// requests to the storage emulator: a 412 must be recognised whichever layer reports it.
import { createRequire } from 'node:module';
import { Storage } from '@google-cloud/storage';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStorageEmulator, type StorageEmulator } from '../../emulator/storage';
import { httpStatusOf, isPreconditionFailed } from './objects';

// The gaxios the storage client itself sends resumable-upload requests with on a custom endpoint.
const storageRequire = createRequire(createRequire(import.meta.url).resolve('@google-cloud/storage'));
const gaxios = storageRequire('gaxios') as { request: (opts: { url: string }) => Promise<unknown> };

let emulator: StorageEmulator;
let storage: Storage;
let generation: number;
const objectUrl = () => `${emulator.url}/storage/v1/b/objects-test/o/x.json`;

beforeAll(async () => {
  emulator = await startStorageEmulator({ buckets: [{ name: 'objects-test', public: false }] });
  storage = new Storage({ projectId: 'sortingview-test', apiEndpoint: emulator.url });
  const file = storage.bucket('objects-test').file('x.json');
  await file.save('{}', { resumable: false });
  generation = Number((await file.getMetadata())[0].generation);
});
afterAll(async () => emulator?.stop());

async function rejection(p: Promise<unknown>): Promise<unknown> {
  return p.then(() => expect.unreachable('expected a failure'), (e: unknown) => e);
}

describe('isPreconditionFailed', () => {
  it('recognises a GaxiosError 412 (status and response.status, no code)', async () => {
    const err = await rejection(gaxios.request({ url: `${objectUrl()}?ifGenerationMatch=${generation + 1}` }));
    expect((err as { code?: unknown }).code).toBeUndefined();
    expect((err as { status?: unknown }).status).toBe(412);
    expect(isPreconditionFailed(err)).toBe(true);
  });

  it("recognises the client's ApiError 412 (code)", async () => {
    const err = await rejection(storage.bucket('objects-test').file('x.json').save('{}', { resumable: false, preconditionOpts: { ifGenerationMatch: 0 } }));
    expect((err as { code?: unknown }).code).toBe(412);
    expect(isPreconditionFailed(err)).toBe(true);
  });

  it('recognises the JSON error body a resumable final PUT rejects with (code)', async () => {
    const file = storage.bucket('objects-test').file('x.json');
    const [uri] = await file.createResumableUpload({ preconditionOpts: { ifGenerationMatch: 0 } });
    const err = await rejection(file.save('{"y":1}', { uri, resumable: true, preconditionOpts: { ifGenerationMatch: 0 } }));
    expect(err).not.toBeInstanceOf(Error);
    expect(isPreconditionFailed(err)).toBe(true);
  });

  it('is false for other statuses and for network errors', async () => {
    const missing = await rejection(gaxios.request({ url: `${emulator.url}/storage/v1/b/objects-test/o/absent` }));
    expect(httpStatusOf(missing)).toBe(404);
    expect(isPreconditionFailed(missing)).toBe(false);
    expect(isPreconditionFailed(Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' }))).toBe(false);
    expect(isPreconditionFailed(undefined)).toBe(false);
  });
});
