import { permissionChangeSchema, permissionsOf, readAcl, updateAcl, withEditPermission, type MyPermissions } from '../../core/curation';
import { formatWorkspaceUri } from '../../core/feeds';
import type { WorkspaceAcl } from '../../core/protocol';
import type { VerifiedUser } from './auth';
import { requireWorkspace, type FeedsDeps } from './feeds';
import { describeZodError, HttpError } from './httpError';

/**
 * Workspace permissions over the API (the 2021 SET_USER_PERMISSIONS, now owner-only and kept in the
 * private `acl/<feedId>.json`, never in the public log):
 * - `GET /v1/workspaces/<feedId>/permissions/me` → `{user, canEdit, isOwner}` (any signed-in user; the
 *   GUI's read-only mode);
 * - `GET /v1/workspaces/<feedId>/permissions` → `{owner, editors}` (owner only);
 * - `PUT /v1/workspaces/<feedId>/permissions` `{user, edit}` → `{owner, editors}` (owner only), a
 *   compare-and-swap on the ACL's generation, so concurrent changes do not overwrite each other.
 */
type AclDeps = Pick<FeedsDeps, 'workspaces' | 'privateStore'>;

export async function myPermissions(feedId: string, user: VerifiedUser, deps: AclDeps): Promise<MyPermissions> {
  await requireWorkspace(feedId, deps);
  return permissionsOf(await readAcl(deps.privateStore, feedId), user.email);
}

async function requireOwner(feedId: string, user: VerifiedUser, deps: AclDeps): Promise<WorkspaceAcl> {
  await requireWorkspace(feedId, deps);
  const acl = await readAcl(deps.privateStore, feedId);
  if (!acl || !permissionsOf(acl, user.email).isOwner) {
    throw new HttpError(403, 'forbidden', `Only the owner of ${formatWorkspaceUri({ feedId })} may see or change its permissions, and ${user.email} is not.`);
  }
  return acl;
}

export async function listPermissions(feedId: string, user: VerifiedUser, deps: AclDeps): Promise<WorkspaceAcl> {
  return requireOwner(feedId, user, deps);
}

export async function setPermission(feedId: string, user: VerifiedUser, body: unknown, deps: AclDeps): Promise<WorkspaceAcl> {
  await requireOwner(feedId, user, deps);
  const change = permissionChangeSchema.safeParse(body);
  if (!change.success) throw new HttpError(400, 'invalid_request', `Invalid permission change: ${describeZodError(change.error)}. Send {"user": "<email>", "edit": true|false}.`);
  return updateAcl(deps.privateStore, feedId, (acl) => {
    // Re-checked on every attempt: ownership could have changed since the check above.
    if (!acl || !permissionsOf(acl, user.email).isOwner) throw new HttpError(403, 'forbidden', `${user.email} is no longer the owner of ${formatWorkspaceUri({ feedId })}.`);
    return withEditPermission(acl, change.data.user, change.data.edit);
  });
}
