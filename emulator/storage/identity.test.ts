// Local principals against the emulator through the real client: credentials of type
// external_account (identity.ts), the token exchange, and IAM conditions as GCS evaluates them.
import { mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Storage } from '@google-cloud/storage';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseCondition } from './iam';
import { startStorageEmulator, type StorageEmulator } from './index';

const RELAY = 'serviceAccount:relay-a@p.iam.gserviceaccount.com';
const condition = (expression: string) => ({ expression });

describe('local principals', () => {
  let emu: StorageEmulator;
  let relay: Storage;
  let owner: Storage;
  let clock = Date.now();
  const dir = mkdtempSync(join(tmpdir(), 'sv-identity-'));

  beforeAll(async () => {
    emu = await startStorageEmulator({
      buckets: [{ name: 'pub', public: true }, { name: 'priv', public: false }],
      now: () => clock,
      iam: {
        priv: [
          { role: 'roles/storage.objectCreator', member: RELAY, condition: condition('resource.name.startsWith("projects/_/buckets/priv/objects/chunks/a/")') },
          { role: 'roles/storage.objectViewer', member: RELAY, condition: condition('resource.name.startsWith("projects/_/buckets/priv/objects/chunks/a/")') },
        ],
        pub: [
          { role: 'roles/storage.legacyObjectReader', member: 'allUsers' },
          { role: 'roles/storage.objectUser', member: RELAY, condition: condition('resource.name == "projects/_/buckets/pub/objects/sortingview-backends/a.json"') },
        ],
      },
    });
    const keyFilename = emu.writeCredentials(dir, 'relay-a', RELAY);
    relay = new Storage({ projectId: 'p', apiEndpoint: emu.publicUrl, useAuthWithCustomEndpoint: true, keyFilename });
    owner = new Storage({ projectId: 'p', apiEndpoint: emu.url });
  });
  afterAll(() => emu.stop());

  it('writes credentials the relay accepts (mode 600) in the external_account format', () => {
    const path = join(dir, 'relay-a.json');
    expect(statSync(path).mode & 0o777).toBe(0o600);
    expect(JSON.parse(readFileSync(path, 'utf8'))).toMatchObject({ type: 'external_account', token_url: `${emu.publicUrl}/v1/token` });
  });

  it('lets a principal do what its bindings grant, in the prefixes their conditions name', async () => {
    await relay.bucket('priv').file('chunks/a/1').save('x', { resumable: false, preconditionOpts: { ifGenerationMatch: 0 } });
    expect((await relay.bucket('priv').file('chunks/a/1').download())[0].toString()).toBe('x');
    await relay.bucket('pub').file('sortingview-backends/a.json').save('{}', { resumable: false });
    await relay.bucket('pub').file('sortingview-backends/a.json').save('{"v":2}', { resumable: false }); // objectUser may replace
    // createResumableUpload honours useAuthWithCustomEndpoint; the session URI then carries the write.
    const [uri] = await relay.bucket('priv').file('chunks/a/big').createResumableUpload({ preconditionOpts: { ifGenerationMatch: 0 } });
    await relay.bucket('priv').file('chunks/a/big').save(Buffer.alloc(1000, 1), { uri, resumable: true });
    expect((await owner.bucket('priv').file('chunks/a/big').getMetadata())[0].size).toBe('1000');
  });

  it("refuses everything else with GCS's 403 naming the principal", async () => {
    const refused = (p: Promise<unknown>) => expect(p).rejects.toMatchObject({ code: 403 });
    await expect(relay.bucket('priv').file('chunks/b/1').save('x', { resumable: false })).rejects.toMatchObject({
      code: 403,
      message: "relay-a@p.iam.gserviceaccount.com does not have storage.objects.create access to the Google Cloud Storage object. Permission 'storage.objects.create' denied on resource (or it may not exist).",
    });
    await owner.bucket('priv').file('chunks/b/1').save('theirs', { resumable: false });
    await refused(relay.bucket('priv').file('chunks/b/1').download());
    await refused(relay.bucket('pub').file('sortingview-backends/b.json').save('{}', { resumable: false }));
    await refused(relay.bucket('priv').file('chunks/b/1').delete());
    // A resumable session is authorized when it starts, as on GCS.
    await refused(relay.bucket('priv').file('chunks/b/2').createResumableUpload());
    // Listing is bucket-level: a prefix condition never matches it.
    await refused(relay.bucket('priv').getFiles({ prefix: 'chunks/a/' }));
  });

  it('objectCreator adds but never replaces: an overwrite needs storage.objects.delete; ifGenerationMatch=0 fails as 412', async () => {
    await relay.bucket('priv').file('chunks/a/once').save('first', { resumable: false });
    await expect(relay.bucket('priv').file('chunks/a/once').save('second', { resumable: false })).rejects.toMatchObject({
      code: 403, message: expect.stringContaining("does not have storage.objects.delete access"),
    });
    await expect(relay.bucket('priv').file('chunks/a/once').save('second', { resumable: false, preconditionOpts: { ifGenerationMatch: 0 } }))
      .rejects.toMatchObject({ code: 412 });
  });

  it('a forged subject token gets no access token; an expired access token identifies nobody', async () => {
    const form = (subject: string) => new URLSearchParams({
      grant_type: 'urn:ietf:params:oauth:grant-type:token-exchange', subject_token_type: 'urn:ietf:params:oauth:token-type:jwt',
      audience: JSON.parse(readFileSync(join(dir, 'relay-a.json'), 'utf8')).audience, subject_token: subject,
    });
    const genuine = readFileSync(join(dir, 'relay-a.token'), 'utf8');
    const [h, b] = genuine.split('.');
    const forgedBody = Buffer.from(JSON.stringify({ ...JSON.parse(Buffer.from(b!, 'base64url').toString()), sub: 'user:owner@p' })).toString('base64url');
    const forged = await fetch(`${emu.publicUrl}/v1/token`, { method: 'POST', body: form(`${h}.${forgedBody}.${genuine.split('.')[2]}`) });
    expect([forged.status, (await forged.json()).error]).toEqual([400, 'invalid_grant']);
    const ok = await fetch(`${emu.publicUrl}/v1/token`, { method: 'POST', body: form(genuine) });
    const { access_token: token } = await ok.json();
    const auth = { headers: { Authorization: `Bearer ${token}` } };
    expect((await fetch(`${emu.publicUrl}/storage/v1/b/priv/o/chunks%2Fa%2F1`, auth)).status).toBe(200);
    clock += 3601_000;
    expect((await fetch(`${emu.publicUrl}/storage/v1/b/priv/o/chunks%2Fa%2F1`, auth)).status).toBe(401);
  });
});

describe('parseCondition', () => {
  it('reads the CEL that iam/policy.mjs writes and refuses any other', () => {
    expect(parseCondition('resource.name.startsWith("projects/_/buckets/b/objects/x/") || resource.name == "projects/_/buckets/b/objects/y.json"'))
      .toEqual([{ op: 'startsWith', value: 'projects/_/buckets/b/objects/x/' }, { op: 'equals', value: 'projects/_/buckets/b/objects/y.json' }]);
    expect(() => parseCondition('resource.name.endsWith(".json")')).toThrow(/cannot evaluate the IAM condition/);
    expect(() => parseCondition('resource.name.startsWith("a") && request.time < timestamp("2030-01-01T00:00:00Z")')).toThrow(/cannot evaluate/);
  });
});
