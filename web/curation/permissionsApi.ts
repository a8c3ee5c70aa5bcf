import { myPermissionsSchema, type MyPermissions } from '../../core/curation/permissions';
import { workspaceAclSchema, type WorkspaceAcl } from '../../core/protocol';
import { apiFetchJson, type ApiFetchDeps } from '../auth/apiFetch';

/**
 * Workspace permissions over the API (functions/api/acl.ts): what the signed-in user may do, and, for
 * the owner, the access list and granting or taking edit rights.
 */
export async function fetchMyPermissions(deps: ApiFetchDeps, feedId: string): Promise<MyPermissions> {
  return myPermissionsSchema.parse(await apiFetchJson(deps, `/v1/workspaces/${feedId}/permissions/me`, { method: 'GET', what: 'read your permissions' }));
}

export async function fetchAcl(deps: ApiFetchDeps, feedId: string): Promise<WorkspaceAcl> {
  return workspaceAclSchema.parse(await apiFetchJson(deps, `/v1/workspaces/${feedId}/permissions`, { method: 'GET', what: 'read the workspace permissions' }));
}

export async function setEditPermission(deps: ApiFetchDeps, feedId: string, user: string, edit: boolean): Promise<WorkspaceAcl> {
  return workspaceAclSchema.parse(await apiFetchJson(deps, `/v1/workspaces/${feedId}/permissions`, { method: 'PUT', body: { user, edit }, what: 'change the workspace permissions' }));
}
