import { describe, expect, it } from 'vitest';
import { loadWorkspace, readFeed, workspaceSubfeedHash } from '../../core/feeds';
import { curationHarness } from './testing';

describe('sortingview workspace remove-recording / remove-sorting', () => {
  it('the owner removes a sorting: DELETE_SORTINGS in the log, the recording stays, the message says what is kept', async () => {
    const h = await curationHarness();
    const r = await h.run('workspace', 'remove-sorting', h.uri, h.sortingId);
    expect(r.error).toBeNull();
    expect(r.out.join('\n')).toMatch(new RegExp(`Removed sorting ${h.sortingId} \\(ks\\).*curation export`));
    const { state } = await loadWorkspace(h.stores.public, h.feedId);
    expect(state.sortings).toEqual([]);
    expect(state.recordings).toHaveLength(1);
    const log = await readFeed(h.stores.public, h.feedId, workspaceSubfeedHash());
    expect(log.at(-1)!.message).toEqual({ action: { type: 'DELETE_SORTINGS', sortingIds: [h.sortingId] } });
  });

  it('a recording with sortings is removed only with --with-sortings, which the refusal names', async () => {
    const h = await curationHarness();
    const recordingId = h.sorting.recordingId;
    const refused = await h.run('workspace', 'remove-recording', h.uri, recordingId);
    expect(refused.error?.message).toMatch(new RegExp(`has a sorting: ${h.sortingId}.*remove-sorting.*--with-sortings`));
    expect((await loadWorkspace(h.stores.public, h.feedId)).state.recordings).toHaveLength(1);
    const r = await h.run('workspace', 'remove-recording', h.uri, recordingId, '--with-sortings');
    expect(r.error).toBeNull();
    expect(r.out.join('\n')).toContain(`and its sortings ${h.sortingId}`);
    const { state } = await loadWorkspace(h.stores.public, h.feedId);
    expect(state).toMatchObject({ recordings: [], sortings: [] });
  });

  it('unknown ids and users other than the owner are refused before anything is written', async () => {
    const h = await curationHarness({ owner: 'boss@lab.org' });
    const before = (await readFeed(h.stores.public, h.feedId, workspaceSubfeedHash())).length;
    const notOwner = await h.run('workspace', 'remove-sorting', h.uri, h.sortingId);
    expect(notOwner.error?.message).toBe('Only the workspace\'s owner (boss@lab.org) removes recordings and sortings; you are me@lab.org (SORTINGVIEW_USER).');
    h.deps.env.SORTINGVIEW_USER = 'boss@lab.org';
    const unknown = await h.run('workspace', 'remove-sorting', h.uri, 'S-nope');
    expect(unknown.error?.message).toMatch(/No sorting S-nope in this workspace: "sortingview workspace show workspace:\/\/d4/);
    const unknownRec = await h.run('workspace', 'remove-recording', h.uri, 'R-nope');
    expect(unknownRec.error?.message).toMatch(/No recording R-nope in this workspace/);
    expect(await readFeed(h.stores.public, h.feedId, workspaceSubfeedHash())).toHaveLength(before);
  });
});
