import { attributionOf } from '../../core/curation/attribution';
import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Storage } from '@google-cloud/storage';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  addRecordingAction, addSortingAction, appendWorkspaceActions, createWorkspace, curationSubfeedHash, loadWorkspace, newFeedId, readFeed,
} from '../../core/feeds';
import type { BlobStore } from '../../core/ports/blobStore';
import { taskHash, taskResultPath, type StoredFeedMessage } from '../../core/protocol';
import { sortingInfoRequest } from '../../core/tasks/contracts/recording';
import { startFunction } from '../../emulator/functionsHost';
import type { LocalStack } from '../../emulator/stack';
import { gcsBlobStore } from '../../adapters/gcs/gcsBlobStore';
import { publicBlobStore } from '../../web/data/publicBlobStore';
import { emulatorUser, refusedCallers, type EmulatorUser } from './authUsers';
import { startTestStack } from './stackHarness';

/**
 * Sign-in, permissions and curation appends on the local stack: the built `api` function under
 * functions-framework, the Firebase Auth emulator's real tokens, Cloud Storage on our emulator.
 * (Signed production tokens, with Google's algorithm and keys, are tested in-process in
 * functions/api/auth.test.ts and feeds.test.ts: the stack has no Google keys to sign with.)
 */
const PROJECT = 'demo-sortingview';
let stack: LocalStack;
let pub: BlobStore;
let priv: BlobStore;
let authHost: string;
let owner: EmulatorUser;
let feedId: string;
let sortingId: string;

const api = (method: string, path: string, o: { token?: string; body?: unknown } = {}) => fetch(`${stack.apiUrl}${path}`, {
  method,
  headers: { ...(o.token ? { authorization: `Bearer ${o.token}` } : {}), ...(o.body !== undefined ? { 'content-type': 'application/json' } : {}) },
  body: o.body === undefined ? undefined : JSON.stringify(o.body),
}).then(async (r) => ({ status: r.status, body: (await r.json()) as any }));
const curationPath = () => `/v1/feeds/${feedId}/${curationSubfeedHash(sortingId)}/messages`;
const label = (unitId: number, l: string) => ({ type: 'ADD_UNIT_LABEL', unitId, label: l });

beforeAll(async () => {
  stack = await startTestStack({ pubsub: 'ours' });
  authHost = stack.env.FIREBASE_AUTH_EMULATOR_HOST;
  const storage = new Storage({ projectId: PROJECT, apiEndpoint: stack.storage.url });
  pub = gcsBlobStore(storage.bucket(stack.bucket));
  priv = gcsBlobStore(storage.bucket(stack.privateBucket));
  feedId = newFeedId((n) => randomBytes(n));
  await createWorkspace({ public: pub, private: priv }, { feedId, owner: 'owner@lab.org' });
  const random = (n: number) => randomBytes(n);
  const rec = addRecordingAction((await loadWorkspace(pub, feedId)).state, { label: 'rec', path: `sha1://${'1'.repeat(40)}/rec.json`, object: {} }, random);
  await appendWorkspaceActions(pub, feedId, [rec], { user: 'cli', now: Date.now });
  const s = addSortingAction((await loadWorkspace(pub, feedId)).state, { recordingId: rec.recording.recordingId, label: 'ks', path: `sha1://${'2'.repeat(40)}/ks.json`, object: {} }, random);
  await appendWorkspaceActions(pub, feedId, [s], { user: 'cli', now: Date.now });
  sortingId = s.sorting.sortingId;
  // The sorting_info.3 result the worker leaves behind once anyone opened the sorting: units 1-20.
  const { functionId, kwargs } = sortingInfoRequest(s.sorting.sortingPath);
  await pub.write(taskResultPath(stack.label, taskHash(functionId, kwargs)), JSON.stringify({ unit_ids: Array.from({ length: 20 }, (_, i) => i + 1), samplerate: 30000, sorting_object: {} }));
  owner = await emulatorUser(authHost, PROJECT, 'owner@lab.org');
}, 120_000);
afterAll(async () => stack?.stop());

describe('sign-in and permissions on the local stack', () => {
  it('refuses every bad caller with 401 or 403 and a message saying why', async () => {
    const body = { messages: [label(1, 'accept')] };
    const cases = await refusedCallers(authHost, PROJECT, owner);
    for (const [what, token, status, message] of cases) {
      const r = await api('POST', curationPath(), { token, body });
      expect({ what, status: r.status }).toEqual({ what, status });
      expect(r.body).toEqual({ error: expect.any(String), message: expect.stringMatching(message) });
    }
    expect(await readFeed(pub, feedId, curationSubfeedHash(sortingId))).toEqual([]);
  });

  it('a production-mode API instance (no FIREBASE_AUTH_EMULATOR_HOST) refuses the emulator\'s unsigned tokens', async () => {
    const { FIREBASE_AUTH_EMULATOR_HOST: _dropped, ...prodEnv } = stack.env;
    const prod = await startFunction({
      name: 'api-production-mode', source: join(process.cwd(), 'dist/functions/api'), target: 'api', signatureType: 'http',
      env: { PATH: process.env.PATH, ...prodEnv }, logDir: mkdtempSync(join(tmpdir(), 'sortingview-api-prod-')), readyPath: '/v1/health',
    });
    try {
      const r = await fetch(`${prod.url}${curationPath()}`, { method: 'POST', headers: { authorization: `Bearer ${owner.idToken}`, 'content-type': 'application/json' }, body: JSON.stringify({ messages: [label(1, 'accept')] }) });
      expect(r.status).toBe(401);
      expect((await r.json()).message).toMatch(/Unsigned ID token .* refused/);
    } finally {
      await prod.service.stop();
    }
    // The stack's own instance (emulator mode) accepts the very same token.
    expect((await api('GET', `/v1/workspaces/${feedId}/permissions/me`, { token: owner.idToken })).body).toEqual({ user: 'owner@lab.org', canEdit: true, isOwner: true });
  });

  it('the owner grants edit rights; the editor appends; bad actions are refused with 400', async () => {
    const ed = await emulatorUser(authHost, PROJECT, 'editor@lab.org');
    expect((await api('GET', `/v1/workspaces/${feedId}/permissions/me`, { token: ed.idToken })).body).toEqual({ user: 'editor@lab.org', canEdit: false, isOwner: false });
    expect((await api('PUT', `/v1/workspaces/${feedId}/permissions`, { token: ed.idToken, body: { user: 'editor@lab.org', edit: true } })).status).toBe(403);
    expect(await api('PUT', `/v1/workspaces/${feedId}/permissions`, { token: owner.idToken, body: { user: 'editor@lab.org', edit: true } }))
      .toEqual({ status: 200, body: { owner: 'owner@lab.org', editors: ['editor@lab.org'] } });
    expect((await api('GET', `/v1/workspaces/${feedId}/permissions/me`, { token: ed.idToken })).body).toEqual({ user: 'editor@lab.org', canEdit: true, isOwner: false });
    expect(await api('POST', curationPath(), { token: ed.idToken, body: { messages: [label(3, 'accept'), { type: 'MERGE_UNITS', unitIds: [4, 5] }] } })).toEqual({ status: 200, body: { positions: [0, 1] } });
    expect(await api('POST', curationPath(), { token: ed.idToken, body: { messages: [label(21, 'accept')] } }))
      .toMatchObject({ status: 400, body: { error: 'invalid_action', message: expect.stringMatching(/unit 21 is not in sorting/) } });
    expect(await api('POST', curationPath(), { token: ed.idToken, body: { messages: [label(1, 'y'.repeat(65))] } })).toMatchObject({ status: 400 });
    expect(await api('POST', `/v1/feeds/${'9'.repeat(64)}/${curationSubfeedHash(sortingId)}/messages`, { token: ed.idToken, body: { messages: [label(1, 'a')] } }))
      .toMatchObject({ status: 404, body: { error: 'unknown_workspace' } });
    const log = await readFeed(pub, feedId, curationSubfeedHash(sortingId));
    // Attributed without the address (core/curation/attribution.ts): the public log must not publish e-mails.
    const editor = attributionOf(feedId, 'editor@lab.org');
    expect(log.map((m) => [m.message, m.user])).toEqual([[label(3, 'accept'), editor], [{ type: 'MERGE_UNITS', unitIds: [4, 5] }, editor]]);
    expect(JSON.stringify(log)).not.toContain('@lab.org');
    // CORS: the web app's origin may send Authorization and PUT.
    const pre = await fetch(`${stack.apiUrl}${curationPath()}`, { method: 'OPTIONS', headers: { origin: stack.env.SORTINGVIEW_APP_ORIGINS, 'access-control-request-method': 'PUT', 'access-control-request-headers': 'authorization,content-type' } });
    expect(pre.status).toBe(204);
    expect(pre.headers.get('access-control-allow-methods')).toMatch(/PUT/);
    expect(pre.headers.get('access-control-allow-headers')).toMatch(/Authorization/);
  });
});

describe('concurrent curation through the API', () => {
  it('20 writers × 50 appends at once: 1000 messages, none lost or duplicated, one order for every reader', async () => {
    const WRITERS = 20;
    const APPENDS = 50;
    const writers = await Promise.all(Array.from({ length: WRITERS }, (_, w) => emulatorUser(authHost, PROJECT, `writer${w}@lab.org`)));
    // Twenty owner calls at once: compare-and-swap on the ACL keeps every grant.
    const grants = await Promise.all(writers.map((u) => api('PUT', `/v1/workspaces/${feedId}/permissions`, { token: owner.idToken, body: { user: u.email, edit: true } })));
    expect(grants.map((g) => g.status)).toEqual(writers.map(() => 200));
    expect((await api('GET', `/v1/workspaces/${feedId}/permissions`, { token: owner.idToken })).body.editors).toEqual(expect.arrayContaining(writers.map((u) => u.email)));

    const subfeed = curationSubfeedHash(sortingId);
    // Baseline: one writer alone, one message per request.
    const tb = Date.now();
    for (let i = 0; i < 20; i++) expect((await api('POST', `/v1/feeds/${feedId}/${subfeed}/messages`, { token: owner.idToken, body: { messages: [label(1, `solo-${i}`)] } })).status).toBe(200);
    const soloMsPerAppend = (Date.now() - tb) / 20;
    const before = (await readFeed(pub, feedId, subfeed)).length;
    // Readers follow the log while it grows, each the way the GUI does (from where it left off),
    // one over the public HTTP port as a browser reads it.
    const browser = publicBlobStore(stack.storage.publicUrl, stack.bucket, (input) => fetch(input as string));
    const readerStores = [pub, gcsBlobStore(new Storage({ projectId: PROJECT, apiEndpoint: stack.storage.url }).bucket(stack.bucket)), browser];
    let writing = true;
    const seen: StoredFeedMessage[][] = readerStores.map(() => []);
    const readers = readerStores.map(async (store, i) => {
      while (writing) {
        seen[i].push(...await readFeed(store, feedId, subfeed, { from: seen[i].length }));
        await new Promise((r) => setTimeout(r, 25));
      }
    });

    const t0 = Date.now();
    const landed = await Promise.all(writers.map(async (u, w) => {
      const positions: number[] = [];
      for (let i = 0; i < APPENDS; i++) {
        const r = await api('POST', `/v1/feeds/${feedId}/${subfeed}/messages`, { token: u.idToken, body: { messages: [label(1 + ((w + i) % 20), `w${w}-${i}`)] } });
        expect(r.status).toBe(200);
        positions.push(...r.body.positions);
      }
      return positions;
    }));
    const elapsedMs = Date.now() - t0;
    writing = false;
    await Promise.all(readers);
    for (const [i, store] of readerStores.entries()) seen[i].push(...await readFeed(store, feedId, subfeed, { from: seen[i].length }));

    const all = (await readFeed(pub, feedId, subfeed)).slice(before);
    expect(all).toHaveLength(WRITERS * APPENDS);
    expect(new Set(all.map((m) => m.message.label)).size).toBe(WRITERS * APPENDS);
    for (const [w, u] of writers.entries()) {
      const mine = all.map((m, n) => ({ m, n: n + before })).filter(({ m }) => m.user === attributionOf(feedId, u.email));
      expect(mine.map(({ m }) => m.message.label)).toEqual(Array.from({ length: APPENDS }, (_, i) => `w${w}-${i}`));
      expect(mine.map(({ n }) => n)).toEqual(landed[w]);
    }
    const final = await readFeed(pub, feedId, subfeed);
    for (const s of seen) expect(s).toEqual(final);
    console.log(`concurrent curation: ${WRITERS} writers × ${APPENDS} appends through the API = ${all.length} messages in ${elapsedMs} ms (${Math.round(all.length / (elapsedMs / 1000))} appends/s; one writer alone: ${soloMsPerAppend.toFixed(1)} ms per append)`);
  }, 300_000);
});
