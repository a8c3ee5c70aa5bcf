import { describe, expect, it } from 'vitest';
import { memoryBlobStore } from '../ports/memoryBlobStore';
import { aclPath, feedCountPath } from '../protocol';
import { FeedError } from './errors';
import { readFeed } from './feedLog';
import { curationSubfeedHash, workspaceSubfeedHash } from './subfeedHash';
import { addRecordingAction, addSortingAction, appendWorkspaceActions, createWorkspace, loadWorkspace } from './workspace';

const feedId = 'e'.repeat(64);
const seq = () => { let k = 0; return (n: number) => Uint8Array.from({ length: n }, () => k++ & 0xff); };
const opts = () => { let t = 0; return { user: 'cli', now: () => ++t }; };
const text = (b: Uint8Array | undefined) => new TextDecoder().decode(b);

describe('workspaces over the BlobStore port', () => {
  it('creates an empty log and the owner ACL; creating the same id twice fails', async () => {
    const pub = memoryBlobStore();
    const priv = memoryBlobStore();
    await createWorkspace({ public: pub, private: priv }, { feedId, owner: 'lab@example.org' });
    expect(JSON.parse(text(priv.objects.get(aclPath(feedId))))).toEqual({ owner: 'lab@example.org', editors: [] });
    expect(JSON.parse(text(pub.objects.get(feedCountPath(feedId, workspaceSubfeedHash()))))).toEqual({ count: 0 });
    expect([...pub.objects.keys()]).toHaveLength(1); // nothing appended
    const loaded = await loadWorkspace(pub, feedId);
    expect(loaded).toEqual({ state: { recordings: [], sortings: [], snippetLen: [50, 80] }, length: 0, ignored: [] });
    await expect(createWorkspace({ public: pub, private: priv }, { feedId, owner: 'x' })).rejects.toMatchObject({ code: 'exists' });
  });

  it('refuses to load a workspace that does not exist', async () => {
    const err = await loadWorkspace(memoryBlobStore(), feedId).catch((e) => e);
    expect(err).toBeInstanceOf(FeedError);
    expect(err.code).toBe('unknown-feed');
    expect(err.message).toContain(`Unknown workspace workspace://${feedId}`);
  });

  it('adds a recording and a sorting of it; the log holds 2021-shaped {action} messages', async () => {
    const pub = memoryBlobStore();
    await createWorkspace({ public: pub, private: memoryBlobStore() }, { feedId, owner: 'cli' });
    const random = seq();
    const recObject = { recording_format: 'mda', data: { raw: '/d/raw.mda', geom: [[0, 0]], params: { samplerate: 30000 } } };
    const addR = addRecordingAction((await loadWorkspace(pub, feedId)).state, { label: 'rec', path: 'sha1://aa/rec.json', object: recObject }, random);
    expect(addR).toEqual({ type: 'ADD_RECORDING', recording: { recordingId: 'R-000102030405', recordingLabel: 'rec', recordingPath: 'sha1://aa/rec.json', recordingObject: recObject, description: '' } });
    await appendWorkspaceActions(pub, feedId, [addR], opts());

    const state = (await loadWorkspace(pub, feedId)).state;
    const sortObject = { sorting_format: 'mda', data: { firings: '/d/firings.mda', samplerate: 30000 } };
    const addS = addSortingAction(state, { recordingId: 'R-000102030405', label: 'ks', path: 'sha1://bb/ks.json', object: sortObject }, random);
    expect(addS.sorting).toMatchObject({ sortingId: 'S-060708090a0b', recordingId: 'R-000102030405', recordingPath: 'sha1://aa/rec.json', recordingObject: recObject });
    await appendWorkspaceActions(pub, feedId, [addS], opts());

    const raw = await readFeed(pub, feedId, workspaceSubfeedHash());
    expect(raw.map((m) => m.message)).toEqual([{ action: addR }, { action: addS }]);
    const loaded = await loadWorkspace(pub, feedId);
    expect(loaded.length).toBe(2);
    expect(loaded.state.sortings.map((s) => s.sortingId)).toEqual(['S-060708090a0b']);
    // The sorting's curation log exists, empty, so pollers read a count instead of a 404.
    expect(JSON.parse(new TextDecoder().decode((await pub.read(feedCountPath(feedId, curationSubfeedHash('S-060708090a0b'))))!))).toEqual({ count: 0 });
  });

  it('names the known recordings when a sorting is added to an unknown one', async () => {
    const pub = memoryBlobStore();
    await createWorkspace({ public: pub, private: memoryBlobStore() }, { feedId, owner: 'cli' });
    const empty = (await loadWorkspace(pub, feedId)).state;
    expect(() => addSortingAction(empty, { recordingId: 'R-x', label: 's', path: 'p', object: {} }, seq())).toThrow(/no recording R-x\. It has no recordings yet/);
    const r = addRecordingAction(empty, { label: 'rec1', path: 'p', object: {} }, seq());
    await appendWorkspaceActions(pub, feedId, [r], opts());
    const state = (await loadWorkspace(pub, feedId)).state;
    expect(() => addSortingAction(state, { recordingId: 'R-x', label: 's', path: 'p', object: {} }, seq())).toThrow(/Its recordings: R-000102030405 \(rec1\)/);
  });

  it('draws a new id when the random one is taken', () => {
    const state = { recordings: [{ recordingId: 'R-000000000000', recordingLabel: '', recordingPath: '', recordingObject: {}, description: '' }], sortings: [], snippetLen: [50, 80] as [number, number] };
    let calls = 0;
    const random = (n: number) => new Uint8Array(n).fill(calls++ === 0 ? 0 : 1);
    expect(addRecordingAction(state, { label: 'x', path: 'p', object: {} }, random).recording.recordingId).toBe('R-010101010101');
  });

  it('validates actions before appending', async () => {
    const pub = memoryBlobStore();
    await expect(appendWorkspaceActions(pub, feedId, [{ type: 'SET_SNIPPET_LEN', snippetLen: [1] } as never], opts())).rejects.toThrow(/Workspace action 0 is invalid/);
    expect(pub.objects.size).toBe(0);
  });
});
