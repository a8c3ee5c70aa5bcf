import { describe, expect, it } from 'vitest';
import { memoryBlobStore } from '../ports/memoryBlobStore';
import { aclPath } from '../protocol';
import { readAcl, updateAcl } from './aclStore';
import { ownerOnlyAction, permissionChangeSchema, permissionsOf, withEditPermission } from './permissions';

const feedId = 'f'.repeat(64);
const acl = { owner: 'Owner@Lab.org', editors: ['ed@lab.org'] };

describe('permissions', () => {
  it('knows owner, editors and everyone else, case-insensitively', () => {
    expect(permissionsOf(acl, 'owner@lab.org')).toEqual({ user: 'owner@lab.org', canEdit: true, isOwner: true });
    expect(permissionsOf(acl, 'ED@lab.org')).toEqual({ user: 'ED@lab.org', canEdit: true, isOwner: false });
    expect(permissionsOf(acl, 'eve@lab.org')).toEqual({ user: 'eve@lab.org', canEdit: false, isOwner: false });
    expect(permissionsOf(null, 'eve@lab.org')).toEqual({ user: 'eve@lab.org', canEdit: false, isOwner: false });
  });

  it('adds and removes editors, returns the same ACL when nothing changes, and never demotes the owner', () => {
    const added = withEditPermission(acl, ' New@Lab.org ', true);
    expect(added).toEqual({ owner: 'Owner@Lab.org', editors: ['ed@lab.org', 'new@lab.org'] });
    expect(withEditPermission(added, 'new@lab.org', true)).toBe(added);
    expect(withEditPermission(added, 'ED@LAB.ORG', false)).toEqual({ owner: 'Owner@Lab.org', editors: ['new@lab.org'] });
    expect(withEditPermission(acl, 'nobody@lab.org', false)).toBe(acl);
    expect(withEditPermission(acl, 'owner@lab.org', true)).toBe(acl);
    expect(() => withEditPermission(acl, 'owner@lab.org', false)).toThrow(/owns this workspace/);
  });

  it('validates a permission change', () => {
    expect(permissionChangeSchema.safeParse({ user: 'a@b.org', edit: true }).success).toBe(true);
    expect(permissionChangeSchema.safeParse({ user: 'not an email', edit: true }).success).toBe(false);
    expect(permissionChangeSchema.safeParse({ user: 'a@b.org', edit: 'yes' }).success).toBe(false);
    expect(permissionChangeSchema.safeParse({ user: 'a@b.org', edit: true, admin: true }).success).toBe(false);
  });
});

describe('updateAcl (compare-and-swap on the generation)', () => {
  it('creates, changes, and leaves an unchanged ACL unwritten', async () => {
    const s = memoryBlobStore();
    expect(await readAcl(s, feedId)).toBeNull();
    await updateAcl(s, feedId, (a) => a ?? { owner: 'o@lab.org', editors: [] });
    const g1 = (await s.readVersioned(aclPath(feedId)))!.generation;
    await updateAcl(s, feedId, (a) => a!);
    expect((await s.readVersioned(aclPath(feedId)))!.generation).toBe(g1);
    await updateAcl(s, feedId, (a) => withEditPermission(a!, 'x@lab.org', true));
    expect(await readAcl(s, feedId)).toEqual({ owner: 'o@lab.org', editors: ['x@lab.org'] });
  });

  it('loses no change when many run at once', async () => {
    const inner = memoryBlobStore();
    await inner.write(aclPath(feedId), JSON.stringify({ owner: 'o@lab.org', editors: [] }));
    // Every read yields before returning, so the changes interleave and race.
    const s = { ...inner, readVersioned: async (p: string) => { await new Promise((r) => setImmediate(r)); return inner.readVersioned(p); } };
    await Promise.all(Array.from({ length: 10 }, (_, i) => updateAcl(s, feedId, (a) => withEditPermission(a!, `u${i}@lab.org`, true))));
    expect((await readAcl(inner, feedId))!.editors.sort()).toEqual(Array.from({ length: 10 }, (_, i) => `u${i}@lab.org`).sort());
  });

  it('says so when the ACL file is not {owner, editors}', async () => {
    const s = memoryBlobStore();
    await s.write(aclPath(feedId), '{"owner": 3}');
    await expect(readAcl(s, feedId)).rejects.toThrow(/is not \{owner, editors\}/);
  });
});

describe('ownerOnlyAction', () => {
  it('finds the removals, which only the owner may append', () => {
    expect(ownerOnlyAction([{ type: 'ADD_SORTING' }, { type: 'DELETE_SORTINGS' }])).toEqual({ type: 'DELETE_SORTINGS' });
    expect(ownerOnlyAction([{ type: 'DELETE_RECORDINGS' }])?.type).toBe('DELETE_RECORDINGS');
    expect(ownerOnlyAction([{ type: 'DELETE_SORTINGS_FOR_RECORDINGS' }])?.type).toBe('DELETE_SORTINGS_FOR_RECORDINGS');
  });
  it('lets editors append everything else', () => {
    expect(ownerOnlyAction([{ type: 'ADD_RECORDING' }, { type: 'ADD_SORTING' }, { type: 'SET_UNIT_METRICS_FOR_SORTING' }])).toBeUndefined();
    expect(ownerOnlyAction([])).toBeUndefined();
  });
});
