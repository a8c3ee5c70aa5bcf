import { useEffect, useState, type FormEvent } from 'react';
import type { WorkspaceAcl } from '../../core/protocol';
import { useApp } from '../app/context';
import { fetchAcl, setEditPermission } from '../curation/permissionsApi';
import { usePermissions } from '../curation/usePermissions';

/**
 * Who may edit the workspace's curation. Everyone sees what they themselves may do; the owner also
 * sees the editors and grants or takes edit rights (`PUT /v1/workspaces/<feedId>/permissions`).
 */
export function PermissionsPanel({ feedId }: { feedId: string }) {
  const { auth, backend, ownApi } = useApp();
  const permissions = usePermissions(feedId);
  const { perms, api } = permissions;
  const [acl, setAcl] = useState<WorkspaceAcl | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [email, setEmail] = useState('');
  const isOwner = !!perms?.isOwner;
  useEffect(() => {
    setAcl(null);
    if (!isOwner || !api) return;
    let cancelled = false;
    fetchAcl(api, feedId).then((a) => { if (!cancelled) setAcl(a); }, (err: Error) => { if (!cancelled) setError(err.message); });
    return () => { cancelled = true; };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [isOwner, feedId, auth.user?.email, backend?.apiUrl]);

  const change = async (user: string, edit: boolean) => {
    if (!api) return;
    setBusy(true);
    setError(null);
    try {
      setAcl(await setEditPermission(api, feedId, user, edit));
      if (edit) setEmail('');
    } catch (err) {
      setError((err as Error).message);
    } finally {
      setBusy(false);
    }
  };
  const grant = (e: FormEvent) => {
    e.preventDefault();
    if (email.trim()) void change(email.trim(), true);
  };

  let status: string;
  if (auth.unavailable) status = auth.unavailable;
  else if (backend && ownApi.reason) status = ownApi.reason;
  else if (!auth.user) status = 'Anyone with this link can view the workspace. Sign in (top right) to edit its curation, if its owner allows you.';
  else if (permissions.loading) status = 'Checking your permissions…';
  else if (permissions.error) status = `Could not check your permissions: ${permissions.error}`;
  else if (perms?.isOwner) status = `You (${perms.user}) own this workspace: you may edit its curation and choose who else may.`;
  else if (perms?.canEdit) status = `You (${perms.user}) may edit this workspace's curation.`;
  else status = `You (${auth.user.email}) may view but not edit this workspace's curation: ask its owner for edit rights.`;

  return (
    <section className="permissions-panel" id="permissions-panel">
      <h2>Permissions</h2>
      <p className="small" id="my-permissions">{status}</p>
      {isOwner ? (
        <>
          <div className="small">Owner: <strong id="acl-owner">{acl?.owner ?? perms!.user}</strong></div>
          <div className="small">Editors:</div>
          {acl ? (
            acl.editors.length ? (
              <ul id="acl-editors">
                {acl.editors.map((ed) => (
                  <li key={ed} data-editor={ed}>
                    <span>{ed}</span>
                    <button type="button" className="small-button revoke-edit" disabled={busy} onClick={() => void change(ed, false)}>Revoke edit</button>
                  </li>
                ))}
              </ul>
            ) : <p className="small muted" id="acl-editors">none yet</p>
          ) : <p className="small muted">Reading the access list…</p>}
          <form className="inline-form" onSubmit={grant}>
            <input type="email" id="grant-email" placeholder="user@lab.org (their Google account)" aria-label="Email to give edit rights" value={email}
              onChange={(e) => setEmail(e.target.value)} disabled={busy} maxLength={320} />
            <button type="submit" className="small-button" id="grant-edit" disabled={busy || !email.trim()}>Grant edit</button>
          </form>
        </>
      ) : null}
      {error ? <p className="error small" role="alert" id="permissions-error">{error}</p> : null}
    </section>
  );
}
