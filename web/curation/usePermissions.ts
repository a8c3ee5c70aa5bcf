import { useCallback, useEffect, useMemo, useState } from 'react';
import type { MyPermissions } from '../../core/curation/permissions';
import { useApp } from '../app/context';
import type { ApiFetchDeps } from '../auth/apiFetch';
import { signedInApiDeps } from '../auth/ownApi';
import { fetchMyPermissions } from './permissionsApi';

/**
 * What the signed-in user may do in a workspace (`GET /v1/workspaces/<feedId>/permissions/me`), read
 * again when the user or backend changes, on `refresh()` (after a 403 on an append), and when the
 * window gets the focus back (the owner may have granted or revoked rights meanwhile: no reload
 * needed). The last answer stays shown while it is read again, so controls do not flicker.
 */
export interface PermissionsView {
  perms: MyPermissions | null;
  loading: boolean;
  error: string | null;
  refresh(): void;
  /** For further signed-in calls, to the deployment's own API only (null: signed out, or no own API for this backend). */
  api: ApiFetchDeps | null;
}

export function usePermissions(feedId: string | null): PermissionsView {
  const { auth, ownApi } = useApp();
  const apiUrl = ownApi.apiUrl;
  const email = auth.user?.email ?? null;
  const getIdToken = auth.getIdToken;
  const [tick, setTick] = useState(0);
  const [state, setState] = useState<{ key: string | null; perms: MyPermissions | null; error: string | null }>({ key: null, perms: null, error: null });
  const key = feedId && apiUrl && email && getIdToken ? `${feedId}|${apiUrl}|${email}` : null;
  const api: ApiFetchDeps | null = useMemo(() => signedInApiDeps(ownApi, getIdToken), [ownApi, getIdToken]);
  useEffect(() => {
    if (!key || !api || !feedId) return;
    let cancelled = false;
    fetchMyPermissions(api, feedId).then(
      (perms) => { if (!cancelled) setState({ key, perms, error: null }); },
      (err: Error) => { if (!cancelled) setState({ key, perms: null, error: err.message }); },
    );
    return () => { cancelled = true; };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [key, tick]);
  const refresh = useCallback(() => setTick((t) => t + 1), []);
  useEffect(() => {
    const onFocus = () => { if (document.visibilityState === 'visible') refresh(); };
    window.addEventListener('focus', onFocus);
    document.addEventListener('visibilitychange', onFocus);
    return () => {
      window.removeEventListener('focus', onFocus);
      document.removeEventListener('visibilitychange', onFocus);
    };
  }, [refresh]);
  const mine = state.key === key && key !== null;
  return { perms: mine ? state.perms : null, loading: !!key && !mine, error: mine ? state.error : null, refresh, api };
}

/** Why the signed-in (or not) user cannot edit this workspace's curation; null when they can. */
export function readOnlyReason(o: {
  hasBackend: boolean;
  /** Why this backend gets no signed-in calls (auth/ownApi.ts: another deployment's backend, or no own API). */
  notOwnApi: string | null;
  authUnavailable: string | null; authReady: boolean; email: string | null; permissions: PermissionsView;
}): string | null {
  if (!o.hasBackend) return 'Curation cannot be saved without a backend (its API appends to the log).';
  if (o.notOwnApi) return o.notOwnApi;
  if (o.authUnavailable) return `Curation is read-only: ${o.authUnavailable.replace(/, so curation is read-only\.?$/, '.')}`;
  if (!o.authReady) return 'Curation is read-only until sign-in is restored…';
  if (!o.email) return 'Curation is read-only: you are not signed in. Sign in (top right) to label and merge units.';
  if (o.permissions.loading) return 'Checking your permission to edit this workspace…';
  if (o.permissions.error) return `Curation is read-only: could not check your permissions (${o.permissions.error}).`;
  if (o.permissions.perms && !o.permissions.perms.canEdit) {
    return `Curation is read-only: ${o.email} has no edit permission on this workspace. Ask the workspace's owner to give you edit rights.`;
  }
  return null;
}
