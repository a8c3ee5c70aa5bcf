import { z } from 'zod';
import type { WorkspaceAcl } from '../protocol';
import { CurationError } from './errors';

/**
 * Who may edit a workspace: its owner and its editors (`acl/<feedId>.json` in the private bucket,
 * `{owner, editors}`). Users are email addresses, compared case-insensitively (Google reports the
 * address as typed at sign-up; the same person must not be two users). Pure functions; the CAS loop
 * that rewrites the ACL is in aclStore.ts.
 */

export const normalizeUser = (user: string): string => user.trim().toLowerCase();

/** An email address, as in a verified Firebase ID token (or a service account's client_email). */
export const userEmailSchema = z.string().trim().min(3).max(320)
  .regex(/^[^\s@]+@[^\s@]+$/, 'a user is an email address such as alice@lab.org');

/** `PUT /v1/workspaces/<feedId>/permissions` body (2021 `SET_USER_PERMISSIONS {userId, permissions: {edit}}`). */
export const permissionChangeSchema = z.object({
  user: userEmailSchema,
  edit: z.boolean(),
}).strict();
export type PermissionChange = z.infer<typeof permissionChangeSchema>;

/** `GET /v1/workspaces/<feedId>/permissions/me` answer. */
export const myPermissionsSchema = z.object({ user: z.string(), canEdit: z.boolean(), isOwner: z.boolean() });
export type MyPermissions = z.infer<typeof myPermissionsSchema>;

export function permissionsOf(acl: WorkspaceAcl | null, user: string): MyPermissions {
  const me = normalizeUser(user);
  const isOwner = acl !== null && normalizeUser(acl.owner) === me;
  const canEdit = isOwner || (acl?.editors.some((e) => normalizeUser(e) === me) ?? false);
  return { user, canEdit, isOwner };
}

/**
 * The ACL after giving or taking edit rights; the same object when nothing changes. The owner always
 * may edit: taking that away is refused (change the owner by editing the ACL file, not here).
 */
export function withEditPermission(acl: WorkspaceAcl, user: string, edit: boolean): WorkspaceAcl {
  const who = normalizeUser(user);
  if (normalizeUser(acl.owner) === who) {
    if (edit) return acl;
    throw new CurationError(`${user} owns this workspace and always may edit it; the owner's rights cannot be taken away`, 'bad-permission-change');
  }
  const has = acl.editors.some((e) => normalizeUser(e) === who);
  if (has === edit) return acl;
  const editors = edit ? [...acl.editors, who] : acl.editors.filter((e) => normalizeUser(e) !== who);
  return { owner: acl.owner, editors };
}

/**
 * Removing recordings or sortings takes them from every collaborator: the owner's right alone, in the
 * API (editors append over HTTP) and in the CLI (which holds bucket credentials and could append anyway).
 */
const OWNER_ONLY_ACTIONS: ReadonlySet<string> = new Set(['DELETE_RECORDINGS', 'DELETE_SORTINGS', 'DELETE_SORTINGS_FOR_RECORDINGS']);

/** The first workspace action only the owner may append, if any. */
export function ownerOnlyAction<A extends { type: string }>(actions: readonly A[]): A | undefined {
  return actions.find((a) => OWNER_ONLY_ACTIONS.has(a.type));
}
