import { describe, expect, it } from 'vitest';
import { readOnlyReason, type PermissionsView } from './usePermissions';

const perms = (p: Partial<PermissionsView>): PermissionsView => ({ perms: null, loading: false, error: null, refresh: () => {}, api: null, ...p });
const base = { hasBackend: true, notOwnApi: null, authUnavailable: null, authReady: true, email: 'a@lab.org', permissions: perms({ perms: { user: 'a@lab.org', canEdit: true, isOwner: false } }) };

describe('readOnlyReason', () => {
  it('is null for a signed-in editor', () => {
    expect(readOnlyReason(base)).toBeNull();
  });
  it('says why the curation is read-only', () => {
    expect(readOnlyReason({ ...base, hasBackend: false })).toMatch(/without a backend/);
    expect(readOnlyReason({ ...base, notOwnApi: 'Curation is read-only here: this backend belongs to another deployment' })).toMatch(/another deployment/);
    expect(readOnlyReason({ ...base, authUnavailable: 'This deployment has no sign-in configured (…), so curation is read-only.' })).toBe('Curation is read-only: This deployment has no sign-in configured (…).');
    expect(readOnlyReason({ ...base, email: null })).toMatch(/not signed in/);
    expect(readOnlyReason({ ...base, permissions: perms({ loading: true }) })).toMatch(/Checking/);
    expect(readOnlyReason({ ...base, permissions: perms({ error: 'down' }) })).toMatch(/could not check your permissions \(down\)/);
    expect(readOnlyReason({ ...base, permissions: perms({ perms: { user: 'a@lab.org', canEdit: false, isOwner: false } }) }))
      .toMatch(/a@lab\.org has no edit permission.*Ask the workspace's owner/);
  });
});
