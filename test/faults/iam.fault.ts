import { Storage } from '@google-cloud/storage';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { aclPath, backendConfigPath, feedCountPath, taskResultPath, taskStatusPath } from '../../core/protocol';
import type { LocalStack } from '../../emulator/stack';
import { startTestStack } from '../integration/stackHarness';

/**
 * Issue 14 items 4, 7 and 9, issue 15 "IAM, enforced locally": each component of the local stack
 * holds its own identity (the service accounts of iam/policy.json), and the storage emulator holds
 * it to the bindings scripts/deploy and terraform grant. Each test uses a component's own
 * credentials file (what a compromised function or a leaked relay key would hold) to try what that
 * identity must not do, and expects GCS's refusal; a control shows the same identity's own job works.
 */
let stack: LocalStack;
let owner: Storage;
const as = (who: keyof LocalStack['principals']) => new Storage({
  projectId: 'demo-sortingview', apiEndpoint: stack.storage.publicUrl, useAuthWithCustomEndpoint: true, keyFilename: stack.principals[who].credentials,
  retryOptions: { autoRetry: false },
});
const email = (who: keyof LocalStack['principals']) => stack.principals[who].member.replace(/^\w+:/, '');
const denied = (who: keyof LocalStack['principals'], permission: string, resource = 'object') =>
  `${email(who)} does not have ${permission} access to the Google Cloud Storage ${resource}. Permission '${permission}' denied on resource (or it may not exist).`;
const FEED = 'f'.repeat(40);
const SUBFEED = 'a'.repeat(40);
const OTHER = 'otherlab';

beforeAll(async () => {
  stack = await startTestStack({ auth: false, pubsub: 'ours' });
  owner = new Storage({ projectId: 'demo-sortingview', apiEndpoint: stack.storage.url });
  // Another lab's objects in the same deployment, and a workspace's private ACL.
  await owner.bucket(stack.privateBucket).file(`chunks/${OTHER}/ab/cd/x`).save('their chunk', { resumable: false });
  await owner.bucket(stack.bucket).file(backendConfigPath(OTHER)).save('{"label":"otherlab"}', { resumable: false });
  await owner.bucket(stack.privateBucket).file(aclPath(FEED)).save('{"owner":"owner@lab.example.org","editors":[]}', { resumable: false });
  await owner.bucket(stack.bucket).file(feedCountPath(FEED, SUBFEED)).save('{"count":0}', { resumable: false });
}, 180_000);
afterAll(async () => stack?.stop());

describe('IAM: each identity only what iam/policy.json grants it', () => {
  it('api (internet-facing) cannot write or read chunks; it can write statuses', async () => {
    const api = as('api');
    await expect(api.bucket(stack.privateBucket).file(`chunks/${stack.label}/ab/cd/forged`).save('x', { resumable: false }))
      .rejects.toMatchObject({ code: 403, message: expect.stringContaining(denied('api', 'storage.objects.create')) });
    await expect(api.bucket(stack.privateBucket).file(`chunks/${OTHER}/ab/cd/x`).download()).rejects.toMatchObject({ code: 403, message: expect.stringContaining(denied('api', 'storage.objects.get')) });
    await expect(api.bucket(stack.bucket).file(taskResultPath(stack.label, 'b'.repeat(40))).save('{}', { resumable: false })).rejects.toMatchObject({ code: 403 });
    await api.bucket(stack.bucket).file(taskStatusPath(stack.label, 'c'.repeat(40))).save('{"status":"queued"}', { resumable: false });
  });

  it('worker cannot touch workspace logs or ACLs; it can write results', async () => {
    const worker = as('worker');
    await expect(worker.bucket(stack.bucket).file(`feeds/${FEED}/${SUBFEED}/0.json`).save('{}', { resumable: false }))
      .rejects.toMatchObject({ code: 403, message: expect.stringContaining(denied('worker', 'storage.objects.create')) });
    await expect(worker.bucket(stack.privateBucket).file(aclPath(FEED)).download()).rejects.toMatchObject({ code: 403 });
    await worker.bucket(stack.bucket).file(taskResultPath(stack.label, 'd'.repeat(40))).save('{}', { resumable: false });
  });

  it("relay of one label cannot read or pre-write another label's chunks, nor rewrite its backend config", async () => {
    const relay = as('relay');
    const theirs = relay.bucket(stack.privateBucket);
    await expect(theirs.file(`chunks/${OTHER}/ab/cd/x`).download()).rejects.toMatchObject({ code: 403, message: expect.stringContaining(denied('relay', 'storage.objects.get')) });
    await expect(theirs.file(`chunks/${OTHER}/ab/cd/pre-written`).save('poison', { resumable: false, preconditionOpts: { ifGenerationMatch: 0 } }))
      .rejects.toMatchObject({ code: 403, message: expect.stringContaining(denied('relay', 'storage.objects.create')) });
    await expect(theirs.file(`objects/${OTHER}/${'e'.repeat(40)}`).save('{}', { resumable: false })).rejects.toMatchObject({ code: 403 });
    await expect(relay.bucket(stack.bucket).file(backendConfigPath(OTHER)).save('{"apiUrl":"https://thief.example"}', { resumable: false }))
      .rejects.toMatchObject({ code: 403, message: expect.stringContaining(denied('relay', 'storage.objects.create')) });
    await expect(relay.bucket(stack.bucket).file(taskResultPath(OTHER, 'f'.repeat(40))).save('{}', { resumable: false })).rejects.toMatchObject({ code: 403 });
    await expect(relay.bucket(stack.privateBucket).getFiles({ prefix: `chunks/${stack.label}/` }))
      .rejects.toMatchObject({ code: 403, message: expect.stringContaining(denied('relay', 'storage.objects.list', 'bucket')) });
    expect((await owner.bucket(stack.bucket).file(backendConfigPath(OTHER)).download())[0].toString()).toBe('{"label":"otherlab"}');
    // Its own: chunks, and registered objects (created once, never replaced).
    await theirs.file(`chunks/${stack.label}/ab/cd/mine`).save('ok', { resumable: false, preconditionOpts: { ifGenerationMatch: 0 } });
    const registered = theirs.file(`objects/${stack.label}/${'1'.repeat(40)}`);
    await registered.save('{"v":1}', { resumable: false, preconditionOpts: { ifGenerationMatch: 0 } });
    await expect(registered.save('{"v":2}', { resumable: false })).rejects.toMatchObject({ code: 403, message: expect.stringContaining(denied('relay', 'storage.objects.delete')) });
    expect((await registered.download())[0].toString()).toBe('{"v":1}');
    await relay.bucket(stack.bucket).file(backendConfigPath(stack.label)).save('{}', { resumable: false });
  });

  it('anonymous callers may get a public object but never list feeds/ (workspace ids are capabilities)', async () => {
    const anonymous = new Storage({ projectId: 'demo-sortingview', apiEndpoint: stack.storage.publicUrl, retryOptions: { autoRetry: false } });
    await expect(anonymous.bucket(stack.bucket).getFiles({ prefix: 'feeds/' })).rejects.toMatchObject({
      code: 401,
      message: "Anonymous caller does not have storage.objects.list access to the Google Cloud Storage bucket. Permission 'storage.objects.list' denied on resource (or it may not exist).",
    });
    const listed = await fetch(`${stack.storage.publicUrl}/storage/v1/b/${stack.bucket}/o?prefix=feeds%2F`);
    expect(listed.status).toBe(401);
    expect(JSON.stringify(await listed.json())).not.toContain(FEED);
    const got = await fetch(`${stack.storage.publicUrl}/${stack.bucket}/${feedCountPath(FEED, SUBFEED)}`);
    expect([got.status, await got.text()]).toEqual([200, '{"count":0}']);
  });

  it('a Bearer token the emulator did not issue is anonymous: no private ACL, no upload, no delete', async () => {
    const junk = { Authorization: 'Bearer junk' };
    const acl = await fetch(`${stack.storage.publicUrl}/storage/v1/b/${stack.privateBucket}/o/${encodeURIComponent(aclPath(FEED))}?alt=media`, { headers: junk });
    expect(acl.status).toBe(401);
    expect(await acl.text()).not.toContain('owner@lab.example.org');
    const upload = await fetch(`${stack.storage.publicUrl}/upload/storage/v1/b/${stack.bucket}/o?uploadType=media&name=${encodeURIComponent(`feeds/${FEED}/${SUBFEED}/0.json`)}`, { method: 'POST', headers: junk, body: '{}' });
    expect(upload.status).toBe(401);
    const del = await fetch(`${stack.storage.publicUrl}/storage/v1/b/${stack.bucket}/o/${encodeURIComponent(feedCountPath(FEED, SUBFEED))}`, { method: 'DELETE', headers: junk });
    expect(del.status).toBe(401);
    expect((await owner.bucket(stack.bucket).file(feedCountPath(FEED, SUBFEED)).exists())[0]).toBe(true);
  });
});
