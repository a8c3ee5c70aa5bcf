import { appendRequestSchema, attributionOf, checkCurationAppend, checkWorkspaceAppend, ownerOnlyAction, permissionsOf, readAcl, type MyPermissions } from '../../core/curation';
import { appendMessages, formatWorkspaceUri, workspaceSubfeedHash } from '../../core/feeds';
import type { BlobStore } from '../../core/ports/blobStore';
import type { VerifiedUser, VerifyUser } from './auth';
import type { SortingUnitIds } from './feedsUnitIds';
import type { WorkspaceCache } from './feedsWorkspaces';
import { describeZodError, HttpError } from './httpError';

/**
 * `POST /v1/feeds/<feedId>/<subfeedHash>/messages` `{messages: […]}`: a signed-in editor appends to a
 * workspace's log (`main`, messages `{action}`) or to the curation log of one of its sortings
 * (`{name: 'sortingCuration', sortingId}`, bare actions). The caller is verified at the edge (app.ts);
 * here: the workspace exists (404), the caller is its owner or an editor (403), the body and every
 * action are valid (400), the subfeed belongs to the workspace (404); then appendMessages writes each
 * message at the next free position (`ifGenerationMatch: 0`, 412 → next), recording `{user, timestamp}`.
 */

export interface FeedsDeps {
  publicStore: BlobStore;
  privateStore: BlobStore;
  verifyUser: VerifyUser;
  workspaces: WorkspaceCache;
  sortingUnitIds: SortingUnitIds;
  now(): number;
}

export interface AppendResponse {
  /** Where each message landed, in order (other writers' messages may sit between them). */
  positions: number[];
}

export const FEED_ID = /^[0-9a-f]{64}$/;
export const SUBFEED_HASH = /^[0-9a-f]{40}$/;

/** The workspace must exist (404) and the caller must be allowed to edit it (403). Returns the caller's rights. */
export async function requireEditor(feedId: string, user: VerifiedUser, deps: Pick<FeedsDeps, 'workspaces' | 'privateStore'>): Promise<MyPermissions & { owner: string }> {
  await requireWorkspace(feedId, deps);
  const acl = await readAcl(deps.privateStore, feedId);
  if (!acl) throw new HttpError(403, 'forbidden', `${formatWorkspaceUri({ feedId })} has no access list, so nobody may edit it through the web app. Its owner can create one with "sortingview workspace set-permissions".`);
  const rights = permissionsOf(acl, user.email);
  if (!rights.canEdit) {
    throw new HttpError(403, 'forbidden', `${user.email} may not edit ${formatWorkspaceUri({ feedId })}: ask the workspace's owner to give you edit rights (sortingview workspace set-permissions … --user ${user.email} --edit).`);
  }
  return { ...rights, owner: acl.owner };
}

export async function requireWorkspace(feedId: string, deps: Pick<FeedsDeps, 'workspaces'>): Promise<void> {
  if (!(await deps.workspaces.exists(feedId))) {
    throw new HttpError(404, 'unknown_workspace', `Unknown workspace ${formatWorkspaceUri({ feedId })}: there is no workspace with that id in this deployment.`);
  }
}

export async function appendToFeed(
  input: { feedId: string; subfeedHash: string; user: VerifiedUser; readBody: () => unknown },
  deps: FeedsDeps,
): Promise<AppendResponse> {
  const { feedId, subfeedHash, user } = input;
  const rights = await requireEditor(feedId, user, deps);

  const body = appendRequestSchema.safeParse(input.readBody());
  if (!body.success) throw new HttpError(400, 'invalid_request', `Invalid append request: ${describeZodError(body.error)}. Send {"messages": [ … ]}.`);

  let messages: Record<string, unknown>[];
  if (subfeedHash === workspaceSubfeedHash()) {
    const checked = checkWorkspaceAppend(body.data.messages);
    if (!checked.ok) throw new HttpError(400, 'invalid_action', checked.message);
    const removal = ownerOnlyAction(checked.messages.map((m) => m.action));
    if (removal && !rights.isOwner) {
      throw new HttpError(403, 'forbidden', `Only the workspace's owner (${rights.owner}) may remove recordings or sortings (${removal.type}); ${user.email} may edit curation only.`);
    }
    messages = checked.messages;
  } else {
    const sorting = await deps.workspaces.sortingOfSubfeed(feedId, subfeedHash);
    if (!sorting) {
      throw new HttpError(404, 'unknown_subfeed', `Subfeed ${subfeedHash} is neither the log (main) of ${formatWorkspaceUri({ feedId })} nor the curation of one of its sortings: curation subfeeds are sha1 of {"name":"sortingCuration","sortingId":"S-…"}.`);
    }
    const checked = checkCurationAppend(body.data.messages, await deps.sortingUnitIds(sorting.sortingPath), sorting.sortingId);
    if (!checked.ok) throw new HttpError(400, 'invalid_action', checked.message);
    messages = checked.messages;
  }
  const { positions } = await appendMessages(deps.publicStore, feedId, subfeedHash, messages, { user: attributionOf(feedId, user.email), now: deps.now });
  return { positions };
}
