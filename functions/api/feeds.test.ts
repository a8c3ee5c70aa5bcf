import { beforeEach, describe, expect, it } from 'vitest';
import { attributionOf } from '../../core/curation/attribution';
import { addRecordingAction, addSortingAction, appendWorkspaceActions, createWorkspace, curationSubfeedHash, loadWorkspace, readFeed, workspaceSubfeedHash } from '../../core/feeds';
import { memoryBlobStore } from '../../core/ports/memoryBlobStore';
import { aclPath, backendConfigPath, taskHash, taskResultPath } from '../../core/protocol';
import { RateLimiter } from '../../core/rateLimit';
import { sortingInfoRequest } from '../../core/tasks/contracts/recording';
import { firebaseClaims, testSigner, unsignedToken } from './testing/auth';
import { inProcessApi } from './testing/feeds';

const PROJECT = 'lab-project';
const signer = testSigner();
const token = (email: string, extra = {}) => signer.sign(firebaseClaims(PROJECT, email, Date.now(), extra));
const OWNER = 'owner@lab.org';
const feedId = 'a1'.repeat(32);
const MAIN = workspaceSubfeedHash();

let api: ReturnType<typeof inProcessApi>;
let sortingId: string;
let curationPath: string;

async function setUp(opts: { unitIds?: number[] | null } = {}) {
  const pub = memoryBlobStore();
  const priv = memoryBlobStore();
  await createWorkspace({ public: pub, private: priv }, { feedId, owner: OWNER });
  let k = 0;
  const random = (n: number) => Uint8Array.from({ length: n }, () => k++);
  const r = addRecordingAction((await loadWorkspace(pub, feedId)).state, { label: 'rec', path: `sha1://${'1'.repeat(40)}/rec.json`, object: {} }, random);
  await appendWorkspaceActions(pub, feedId, [r], { user: 'cli', now: () => 1 });
  const s = addSortingAction((await loadWorkspace(pub, feedId)).state, { recordingId: r.recording.recordingId, label: 'ks', path: `sha1://${'2'.repeat(40)}/ks.json`, object: {} }, random);
  await appendWorkspaceActions(pub, feedId, [s], { user: 'cli', now: () => 2 });
  sortingId = s.sorting.sortingId;
  if (opts.unitIds !== null) {
    // The cached sorting_info.3 result the GUI's first visit leaves behind.
    const { functionId, kwargs } = sortingInfoRequest(s.sorting.sortingPath);
    await pub.write(backendConfigPath('lab'), '{}');
    await pub.write(taskResultPath('lab', taskHash(functionId, kwargs)), JSON.stringify({ unit_ids: opts.unitIds ?? [1, 2, 3, 4], samplerate: 30000, sorting_object: {} }));
  }
  curationPath = `/v1/feeds/${feedId}/${curationSubfeedHash(sortingId)}/messages`;
  api = inProcessApi({ certs: signer.certs, projectId: PROJECT, publicStore: pub, privateStore: priv });
}

const label = (unitId: number | number[], l = 'accept') => ({ type: 'ADD_UNIT_LABEL', unitId, label: l });
const curation = async () => (await readFeed(api.publicStore, feedId, curationSubfeedHash(sortingId))).map((m) => ({ ...m.message, user: m.user }) as { label?: string; user: string });

beforeEach(() => setUp());

describe('POST /v1/feeds/<feedId>/<subfeedHash>/messages', () => {
  it('lets the owner append curation actions, storing who and when', async () => {
    const r = await api.call('POST', curationPath, { token: token(OWNER), body: { messages: [label(1), { type: 'MERGE_UNITS', unitIds: [2, 3] }] } });
    expect(r).toMatchObject({ status: 200, body: { positions: [0, 1] } });
    const stored = await readFeed(api.publicStore, feedId, curationSubfeedHash(sortingId));
    expect(stored.map((m) => m.message)).toEqual([label(1), { type: 'MERGE_UNITS', unitIds: [2, 3] }]);
    expect(stored.every((m) => m.user === attributionOf(feedId, OWNER) && !m.user.includes('@') && Math.abs(m.timestamp - Date.now()) < 10_000)).toBe(true);
  });

  it('lets an editor append workspace actions to main as {action}', async () => {
    await api.privateStore.write(aclPath(feedId), JSON.stringify({ owner: OWNER, editors: ['ed@lab.org'] }));
    const r = await api.call('POST', `/v1/feeds/${feedId}/${MAIN}/messages`, { token: token('ed@lab.org'), body: { messages: [{ action: { type: 'SET_SNIPPET_LEN', snippetLen: [30, 60] } }] } });
    expect(r).toMatchObject({ status: 200, body: { positions: [2] } });
    expect((await loadWorkspace(api.publicStore, feedId)).state.snippetLen).toEqual([30, 60]);
  });

  it('lets only the owner remove recordings and sortings; an editor gets 403 and nothing is written', async () => {
    await api.privateStore.write(aclPath(feedId), JSON.stringify({ owner: OWNER, editors: ['ed@lab.org'] }));
    const main = `/v1/feeds/${feedId}/${MAIN}/messages`;
    const remove = { messages: [{ action: { type: 'DELETE_SORTINGS', sortingIds: [sortingId] } }] };
    const byEditor = await api.call('POST', main, { token: token('ed@lab.org'), body: remove });
    expect(byEditor).toMatchObject({ status: 403, body: { error: 'forbidden' } });
    expect((byEditor.body as { message: string }).message).toMatch(/Only the workspace's owner \(owner@lab.org\) may remove/);
    expect((await loadWorkspace(api.publicStore, feedId)).state.sortings).toHaveLength(1);
    const byOwner = await api.call('POST', main, { token: token(OWNER), body: remove });
    expect(byOwner).toMatchObject({ status: 200, body: { positions: [2] } });
    expect((await loadWorkspace(api.publicStore, feedId)).state.sortings).toEqual([]);
  });

  it('refuses without a token (401), with a bad token (401), and a signed-in stranger (403)', async () => {
    const body = { messages: [label(1)] };
    expect(await api.call('POST', curationPath, { body })).toMatchObject({ status: 401, body: { error: 'unauthenticated', message: expect.stringMatching(/Sign in first/) } });
    expect(await api.call('POST', curationPath, { body, token: token(OWNER, { aud: 'someone-else' }) })).toMatchObject({ status: 401, body: { error: 'invalid_token', message: expect.stringMatching(/audience/) } });
    expect(await api.call('POST', curationPath, { body, token: token('eve@lab.org') }))
      .toMatchObject({ status: 403, body: { error: 'forbidden', message: expect.stringMatching(/eve@lab.org may not edit workspace:\/\/.*--user eve@lab.org --edit/) } });
    expect(await curation()).toEqual([]);
  });

  it('refuses the emulator\'s unsigned tokens in production mode, and accepts them in emulator mode', async () => {
    const unsigned = unsignedToken(firebaseClaims(PROJECT, OWNER, Date.now()));
    expect(await api.call('POST', curationPath, { token: unsigned, body: { messages: [label(1)] } })).toMatchObject({ status: 401, body: { message: expect.stringMatching(/Unsigned ID token/) } });
    const emu = inProcessApi({ acceptEmulatorTokens: true, projectId: PROJECT, publicStore: api.publicStore, privateStore: api.privateStore });
    expect(await emu.call('POST', curationPath, { token: unsigned, body: { messages: [label(1)] } })).toMatchObject({ status: 200 });
  });

  it('answers 404 for an unknown workspace and a subfeed that is not the workspace\'s', async () => {
    const other = 'b2'.repeat(32);
    expect(await api.call('POST', `/v1/feeds/${other}/${MAIN}/messages`, { token: token(OWNER), body: { messages: [label(1)] } }))
      .toMatchObject({ status: 404, body: { error: 'unknown_workspace', message: expect.stringMatching(`workspace://${other}`) } });
    expect(await api.call('POST', `/v1/feeds/${feedId}/${curationSubfeedHash('S-000000000000')}/messages`, { token: token(OWNER), body: { messages: [label(1)] } }))
      .toMatchObject({ status: 404, body: { error: 'unknown_subfeed' } });
  });

  it.each([
    [{ messages: [label(1, 'x'.repeat(65))] }, 'invalid_action', /at most 64 characters/],
    [{ messages: [label(1, '')] }, 'invalid_action', /a label is not empty/],
    [{ messages: [label(99)] }, 'invalid_action', /unit 99 is not in sorting S-.* \(it has units 1, 2, 3, 4\)/],
    [{ messages: [{ type: 'MERGE_UNITS', unitIds: [1, 77] }] }, 'invalid_action', /unit 77 is not in sorting/],
    [{ messages: [{ type: 'EXPLODE' }] }, 'invalid_action', /messages\.0\.type/],
    [{ messages: [{ action: label(1) }] }, 'invalid_action', /bare actions/],
    [{ messages: [] }, 'invalid_request', /at least one message/],
    [{ messages: Array(101).fill(label(1)) }, 'invalid_request', /at most 100 messages/],
    [{ message: [label(1)] }, 'invalid_request', /messages/],
  ])('refuses %j with 400', async (body, error, message) => {
    expect(await api.call('POST', curationPath, { token: token(OWNER), body })).toMatchObject({ status: 400, body: { error, message: expect.stringMatching(message) } });
    expect(await curation()).toEqual([]);
  });

  it('accepts any unit id while no sorting_info.3 result is cached', async () => {
    await setUp({ unitIds: null });
    expect(await api.call('POST', curationPath, { token: token(OWNER), body: { messages: [label(99)] } })).toMatchObject({ status: 200 });
  });

  it('refuses malformed JSON, oversized bodies, bad ids and wrong methods, as {error, message}', async () => {
    expect(await api.call('POST', curationPath, { token: token(OWNER), rawBody: '{"messages": [' })).toMatchObject({ status: 400, body: { error: 'malformed_json' } });
    expect(await api.call('POST', curationPath, { token: token(OWNER), rawBody: JSON.stringify({ messages: [label(1, 'x'.repeat(1024 * 1024))] }) })).toMatchObject({ status: 413, body: { error: 'payload_too_large' } });
    expect(await api.call('POST', `/v1/feeds/xyz/${MAIN}/messages`, { token: token(OWNER), body: { messages: [] } })).toMatchObject({ status: 400, body: { error: 'bad_feed_id' } });
    expect(await api.call('POST', `/v1/feeds/${feedId}/main/messages`, { token: token(OWNER), body: { messages: [] } })).toMatchObject({ status: 400, body: { error: 'bad_subfeed_hash' } });
    expect(await api.call('GET', curationPath, { token: token(OWNER) })).toMatchObject({ status: 405, body: { error: 'method_not_allowed' } });
  });

  it('refuses deeply nested objects with 400 before anything walks them; nothing is stored (issue 14, item 8)', async () => {
    // Built as text: JSON.stringify itself overflows on what an attacker can send.
    const deepText = (n: number) => {
      const leaf = `{"recording_format":"mda","data":{"raw":"sha1://${'a'.repeat(40)}","geom":[[0,0]],"params":{"samplerate":30000}}}`;
      return '{"recording_format":"subrecording","data":{"start_frame":0,"end_frame":10,"channel_ids":[0],"recording":'.repeat(n) + leaf + '}}'.repeat(n);
    };
    const before = (await readFeed(api.publicStore, feedId, MAIN)).length;
    for (const n of [40, 2000, 5000]) {
      const text = `{"messages":[{"action":{"type":"ADD_RECORDING","recording":{"recordingId":"R-deep${n}","recordingLabel":"deep","recordingPath":"sha1://${'b'.repeat(40)}/deep.json","recordingObject":${deepText(n)}}}}]}`;
      const r = await api.call('POST', `/v1/feeds/${feedId}/${MAIN}/messages`, { token: token(OWNER), rawBody: text, body: JSON.parse(text) });
      expect(r, `depth ${n}`).toMatchObject({ status: 400, body: { error: 'too_deep', message: expect.stringMatching(/^The request body nests more than 64 levels deep/) } });
    }
    expect((await readFeed(api.publicStore, feedId, MAIN)).length).toBe(before);
  });

  it('rate-limits per signed-in user, from whatever address (429, Retry-After)', async () => {
    const limited = inProcessApi({ certs: signer.certs, projectId: PROJECT, publicStore: api.publicStore, privateStore: api.privateStore, rateLimiter: new RateLimiter(1, 2) });
    const t = token(OWNER);
    // Each request from another address (the entry Google's front end appends), so only the user key can refuse.
    const from = (i: number) => ({ 'x-forwarded-for': `198.51.100.${i}` });
    for (let i = 0; i < 2; i++) expect((await limited.call('POST', curationPath, { token: t, body: { messages: [label(1)] }, headers: from(i) })).status).toBe(200);
    const r = await limited.call('POST', curationPath, { token: t, body: { messages: [label(1)] }, headers: from(9) });
    expect(r).toMatchObject({ status: 429, headers: { 'retry-after': '1' }, body: { error: 'rate_limited', message: expect.stringContaining(OWNER) } });
  });

  it('rate-limits per address whatever X-Forwarded-For the caller writes (issue 14, item 5)', async () => {
    const limited = inProcessApi({ certs: signer.certs, projectId: PROJECT, publicStore: api.publicStore, privateStore: api.privateStore, rateLimiter: new RateLimiter(1, 2) });
    // A new user and a new spoofed leftmost entry each time; the front end's entry (last) stays the caller's.
    const spoofed = (i: number) => ({ 'x-forwarded-for': `10.0.0.${i}, 203.0.113.7` });
    const users = ['a@lab.org', 'b@lab.org', 'c@lab.org'];
    for (let i = 0; i < 2; i++) expect((await limited.call('POST', curationPath, { token: token(users[i]), body: { messages: [label(1)] }, headers: spoofed(i) })).status).not.toBe(429);
    const r = await limited.call('POST', curationPath, { token: token(users[2]), body: { messages: [label(1)] }, headers: spoofed(2) });
    expect(r).toMatchObject({ status: 429, body: { error: 'rate_limited', message: expect.stringMatching(/from your address/) } });
  });

  it('answers CORS preflights for the app origin with PUT and Authorization allowed', async () => {
    const r = await api.call('OPTIONS', curationPath, { origin: 'https://app.example.org' });
    expect(r.status).toBe(204);
    expect(r.headers['access-control-allow-origin']).toBe('https://app.example.org');
    expect(r.headers['access-control-allow-methods']).toMatch(/PUT/);
    expect(r.headers['access-control-allow-headers']).toMatch(/Authorization/);
    expect((await api.call('OPTIONS', curationPath, { origin: 'https://evil.example' })).headers['access-control-allow-origin']).toBeUndefined();
  });

  it('keeps 100 concurrent appends from 10 users: every message once, in one order', async () => {
    const users = Array.from({ length: 10 }, (_, i) => `u${i}@lab.org`);
    await api.privateStore.write(aclPath(feedId), JSON.stringify({ owner: OWNER, editors: users }));
    await Promise.all(users.map(async (u, w) => {
      for (let i = 0; i < 10; i++) expect((await api.call('POST', curationPath, { token: token(u), body: { messages: [label(1 + (i % 4), `w${w}-${i}`)] } })).status).toBe(200);
    }));
    const all = await curation();
    expect(new Set(all.map((m) => `${m.user}/${m.label}`)).size).toBe(100);
    for (const [w, u] of users.entries()) expect(all.filter((m) => m.user === attributionOf(feedId, u)).map((m) => m.label)).toEqual(Array.from({ length: 10 }, (_, i) => `w${w}-${i}`));
  });
});

describe('workspace permissions', () => {
  const perms = `/v1/workspaces/${feedId}/permissions`;

  it('tells each user what they may do (GUI read-only mode)', async () => {
    await api.privateStore.write(aclPath(feedId), JSON.stringify({ owner: OWNER, editors: ['ed@lab.org'] }));
    expect(await api.call('GET', `${perms}/me`, { token: token(OWNER) })).toMatchObject({ status: 200, body: { user: OWNER, canEdit: true, isOwner: true } });
    expect(await api.call('GET', `${perms}/me`, { token: token('ed@lab.org') })).toMatchObject({ status: 200, body: { user: 'ed@lab.org', canEdit: true, isOwner: false } });
    expect(await api.call('GET', `${perms}/me`, { token: token('eve@lab.org') })).toMatchObject({ status: 200, body: { user: 'eve@lab.org', canEdit: false, isOwner: false } });
    expect(await api.call('GET', `${perms}/me`)).toMatchObject({ status: 401 });
    expect(await api.call('GET', `/v1/workspaces/${'c3'.repeat(32)}/permissions/me`, { token: token(OWNER) })).toMatchObject({ status: 404, body: { error: 'unknown_workspace' } });
  });

  it('lets only the owner grant and revoke edit rights; the grant takes effect at once', async () => {
    expect(await api.call('PUT', perms, { token: token('eve@lab.org'), body: { user: 'eve@lab.org', edit: true } }))
      .toMatchObject({ status: 403, body: { error: 'forbidden', message: expect.stringMatching(/Only the owner/) } });
    expect(await api.call('GET', perms, { token: token('eve@lab.org') })).toMatchObject({ status: 403 });
    expect(await api.call('PUT', perms, { token: token(OWNER), body: { user: 'Eve@Lab.org', edit: true } })).toMatchObject({ status: 200, body: { owner: OWNER, editors: ['eve@lab.org'] } });
    expect(await api.call('GET', perms, { token: token(OWNER) })).toMatchObject({ status: 200, body: { owner: OWNER, editors: ['eve@lab.org'] } });
    expect(await api.call('POST', curationPath, { token: token('eve@lab.org'), body: { messages: [label(2)] } })).toMatchObject({ status: 200 });
    expect(await api.call('PUT', perms, { token: token(OWNER), body: { user: 'eve@lab.org', edit: false } })).toMatchObject({ status: 200, body: { editors: [] } });
    expect(await api.call('POST', curationPath, { token: token('eve@lab.org'), body: { messages: [label(2)] } })).toMatchObject({ status: 403 });
  });

  it('refuses bad changes with 400', async () => {
    expect(await api.call('PUT', perms, { token: token(OWNER), body: { user: OWNER, edit: false } })).toMatchObject({ status: 400, body: { message: expect.stringMatching(/owns this workspace/) } });
    expect(await api.call('PUT', perms, { token: token(OWNER), body: { user: 'eve', edit: true } })).toMatchObject({ status: 400, body: { message: expect.stringMatching(/email address/) } });
    expect(await api.call('PUT', perms, { token: token(OWNER), body: { user: 'eve@lab.org' } })).toMatchObject({ status: 400, body: { message: expect.stringMatching(/edit/) } });
    expect(await api.call('DELETE', perms, { token: token(OWNER) })).toMatchObject({ status: 405 });
  });
});
