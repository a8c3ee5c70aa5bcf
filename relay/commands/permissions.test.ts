import { describe, expect, it } from 'vitest';
import { readAcl } from '../../core/curation';
import { aclPath } from '../../core/protocol';
import { curationHarness } from './testing';

describe('sortingview workspace set-permissions (memory buckets)', () => {
  it('gives and takes edit rights in the private ACL', async () => {
    const h = await curationHarness();
    const r = await h.run('workspace', 'set-permissions', h.uri, '--user', 'Alice@Lab.org', '--edit');
    expect(r.error).toBeNull();
    expect(r.out).toEqual([`alice@lab.org may now edit ${h.uri}.`, 'Owner: me@lab.org; editors: alice@lab.org']);
    expect(await readAcl(h.stores.private, h.feedId)).toEqual({ owner: 'me@lab.org', editors: ['alice@lab.org'] });
    const r2 = await h.run('workspace', 'set-permissions', h.uri, '--user', 'alice@lab.org', '--no-edit');
    expect(r2.out[0]).toBe(`alice@lab.org may no longer edit ${h.uri}.`);
    expect(await readAcl(h.stores.private, h.feedId)).toEqual({ owner: 'me@lab.org', editors: [] });
  });

  it('loses no change when several run at once (compare-and-swap on the generation)', async () => {
    const h = await curationHarness();
    const users = Array.from({ length: 8 }, (_, i) => `u${i}@lab.org`);
    const results = await Promise.all(users.map((u) => h.run('workspace', 'set-permissions', h.uri, '--user', u, '--edit')));
    expect(results.map((r) => r.error)).toEqual(users.map(() => null));
    expect((await readAcl(h.stores.private, h.feedId))!.editors.sort()).toEqual(users);
  });

  it('creates a missing ACL owned by the CLI user, and says so', async () => {
    const h = await curationHarness();
    await h.stores.private.delete(aclPath(h.feedId));
    const r = await h.run('workspace', 'set-permissions', h.uri, '--user', 'bob@lab.org', '--edit');
    expect(r.error).toBeNull();
    expect(r.err).toEqual(['Note: the workspace had no access list; created one owned by me@lab.org.']);
    expect(await readAcl(h.stores.private, h.feedId)).toEqual({ owner: 'me@lab.org', editors: ['bob@lab.org'] });
  });

  it.each([
    [['--user', 'a@lab.org'], /--edit \(may label and merge units\) or --no-edit/],
    [['--user', 'alice', '--edit'], /--user must be the email address/],
    [['--user', 'me@lab.org', '--no-edit'], /owns this workspace and always may edit it/],
  ])('refuses %j', async (args, message) => {
    const h = await curationHarness();
    const r = await h.run('workspace', 'set-permissions', h.uri, ...args);
    expect(r.error?.message).toMatch(message);
    expect(r.error?.name).toBe('CliError');
  });

  it('refuses an unknown workspace and a malformed URI', async () => {
    const h = await curationHarness();
    const r = await h.run('workspace', 'set-permissions', `workspace://${'e'.repeat(64)}`, '--user', 'a@lab.org', '--edit');
    expect(r.error?.message).toMatch(/Unknown workspace workspace:\/\/e{64}/);
    const bad = await h.run('workspace', 'set-permissions', 'workspace://abc', '--user', 'a@lab.org', '--edit');
    expect(bad.error?.message).toMatch(/must be 64 hex digits/);
  });
});
