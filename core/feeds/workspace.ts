import type { BlobStore } from '../ports/blobStore';
import { aclPath, type WorkspaceAcl } from '../protocol';
import { replayWorkspace, type IgnoredMessage, type WorkspaceState } from '../reducers/workspace';
import { workspaceActionSchema, type WorkspaceAction, type WorkspaceRecording } from '../reducers/workspaceActions';
import { FeedError } from './errors';
import { appendMessages, createFeed, feedExists, readFeed, type AppendOptions, type AppendResult } from './feedLog';
import { curationSubfeedHash, workspaceSubfeedHash } from './subfeedHash';
import { formatWorkspaceUri, newItemId, type RandomBytes } from './workspaceUri';

/**
 * Workspaces over the BlobStore port: the public bucket holds the log (`feeds/<feedId>/<sha1('main')>/…`),
 * the private bucket the ACL (`acl/<feedId>.json`). The relay CLI and the API both use these.
 *
 * A new workspace's log is created empty (`count.json` = 0) and nothing is appended: the 2021 action
 * set has no label action, and the public log holds only those actions. Its label travels in the URI
 * (`?label=`) the way 2021's `create_workspace` printed it.
 */

export async function createWorkspace(stores: { public: BlobStore; private: BlobStore }, opts: { feedId: string; owner: string }): Promise<void> {
  const acl: WorkspaceAcl = { owner: opts.owner, editors: [] };
  const wrote = await stores.private.write(aclPath(opts.feedId), JSON.stringify(acl), { ifGenerationMatch: 0, contentType: 'application/json' });
  if (!wrote) throw new FeedError(`A workspace with feed id ${opts.feedId} already exists`, 'exists');
  await createFeed(stores.public, opts.feedId, workspaceSubfeedHash());
}

export interface LoadedWorkspace {
  state: WorkspaceState;
  /** Messages in the log (applied or not). */
  length: number;
  ignored: IgnoredMessage[];
}

/** Reads and replays a workspace's log; an unknown workspace is a FeedError('unknown-feed'). */
export async function loadWorkspace(store: BlobStore, feedId: string): Promise<LoadedWorkspace> {
  const hash = workspaceSubfeedHash();
  if (!(await feedExists(store, feedId, hash))) {
    throw new FeedError(`Unknown workspace ${formatWorkspaceUri({ feedId })}: there is no workspace with that id in this bucket. Check the URI, and that --backend names the deployment it was created in.`, 'unknown-feed');
  }
  const messages = await readFeed(store, feedId, hash);
  const { state, ignored } = replayWorkspace(messages.map((m) => m.message));
  return { state, length: messages.length, ignored };
}

/** Appends actions (each validated first) as `{action}` messages of the workspace log. */
export async function appendWorkspaceActions(store: BlobStore, feedId: string, actions: WorkspaceAction[], opts: AppendOptions): Promise<AppendResult> {
  const messages = actions.map((a, i) => {
    const parsed = workspaceActionSchema.safeParse(a);
    if (!parsed.success) throw new FeedError(`Workspace action ${i} is invalid: ${parsed.error.issues.map((x) => `${x.path.join('.')}: ${x.message}`).join('; ')}`, 'bad-message');
    return { action: parsed.data };
  });
  const result = await appendMessages(store, feedId, workspaceSubfeedHash(), messages, opts);
  // Each new sorting's curation log exists (empty) from the start, so the pages that poll it read a
  // count of 0 instead of a 404 every second.
  for (const a of actions) if (a.type === 'ADD_SORTING') await createFeed(store, feedId, curationSubfeedHash(a.sorting.sortingId));
  return result;
}

/** A fresh `R-…`/`S-…` id that the workspace does not use yet. */
function freshId(prefix: 'R' | 'S', random: RandomBytes, taken: (id: string) => boolean): string {
  for (let attempt = 0; attempt < 100; attempt++) {
    const id = newItemId(prefix, random);
    if (!taken(id)) return id;
  }
  throw new Error(`Could not find an unused ${prefix}- id: is the random source constant?`);
}

export interface NewRecording {
  label: string;
  /** `sha1://<h>/<label>.json` of the object below. */
  path: string;
  object: Record<string, unknown>;
  description?: string;
}

export function addRecordingAction(state: WorkspaceState, rec: NewRecording, random: RandomBytes): Extract<WorkspaceAction, { type: 'ADD_RECORDING' }> {
  const recordingId = freshId('R', random, (id) => state.recordings.some((r) => r.recordingId === id));
  return {
    type: 'ADD_RECORDING',
    recording: { recordingId, recordingLabel: rec.label, recordingPath: rec.path, recordingObject: rec.object, description: rec.description ?? '' },
  };
}

/** The recording with this id; otherwise a FeedError('unknown-recording') that lists the ones there are. */
export function requireRecording(state: WorkspaceState, recordingId: string): WorkspaceRecording {
  const recording = state.recordings.find((r) => r.recordingId === recordingId);
  if (recording) return recording;
  const known = state.recordings.map((r) => `${r.recordingId} (${r.recordingLabel})`);
  throw new FeedError(`The workspace has no recording ${recordingId}. ${known.length ? `Its recordings: ${known.join(', ')}` : 'It has no recordings yet: add one with "sortingview workspace add-recording"'}.`, 'unknown-recording');
}

export interface NewSorting {
  recordingId: string;
  label: string;
  path: string;
  object: Record<string, unknown>;
  description?: string;
}

/** ADD_SORTING for a recording of the workspace; an unknown recording id is a FeedError('unknown-recording'). */
export function addSortingAction(state: WorkspaceState, s: NewSorting, random: RandomBytes): Extract<WorkspaceAction, { type: 'ADD_SORTING' }> {
  const recording = requireRecording(state, s.recordingId);
  const sortingId = freshId('S', random, (id) => state.sortings.some((x) => x.sortingId === id));
  return {
    type: 'ADD_SORTING',
    sorting: {
      sortingId, sortingLabel: s.label, sortingPath: s.path, sortingObject: s.object,
      recordingId: recording.recordingId, recordingPath: recording.recordingPath, recordingObject: recording.recordingObject,
      description: s.description ?? '',
    },
  };
}
