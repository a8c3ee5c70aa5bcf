import { workspaceSubfeedHash } from '../../core/feeds';
import type { WorkspaceRecording, WorkspaceSorting } from '../../core/reducers/workspaceActions';
import { apiFetchJson, type ApiFetchDeps } from '../auth/apiFetch';

/**
 * The owner removes a recording (with its sortings) or a sorting from the workspace: the 2021
 * DELETE_RECORDINGS / DELETE_SORTINGS action appended to the workspace log through the API, which
 * lets only the owner do it (functions/api/feeds.ts). Files and curation logs stay where they are.
 */
export type Removal = { kind: 'recording'; recording: WorkspaceRecording; sortings: WorkspaceSorting[] } | { kind: 'sorting'; sorting: WorkspaceSorting };

export async function removeFromWorkspace(deps: ApiFetchDeps, feedId: string, r: Removal): Promise<void> {
  const action = r.kind === 'recording'
    ? { type: 'DELETE_RECORDINGS', recordingIds: [r.recording.recordingId] }
    : { type: 'DELETE_SORTINGS', sortingIds: [r.sorting.sortingId] };
  await apiFetchJson(deps, `/v1/feeds/${feedId}/${workspaceSubfeedHash()}/messages`, { method: 'POST', body: { messages: [{ action }] }, what: `remove the ${r.kind}` });
}

/** What the confirmation says will happen, in the user's terms. Pure. */
export function describeRemoval(r: Removal): { title: string; lines: string[] } {
  const keep = 'The data files stay on the lab\'s disks and the curation logs in the bucket.';
  const fresh = 'A sorting added again gets a new id and starts with an empty curation: export the curation first (sortingview curation export) if you need it.';
  if (r.kind === 'sorting') {
    return { title: `Remove sorting "${r.sorting.sortingLabel}" (${r.sorting.sortingId})?`, lines: ['Every collaborator stops seeing it in this workspace.', keep, fresh] };
  }
  const n = r.sortings.length;
  return {
    title: `Remove recording "${r.recording.recordingLabel}" (${r.recording.recordingId})?`,
    lines: [
      n ? `Its ${n === 1 ? 'sorting' : `${n} sortings`} ${r.sortings.map((s) => `"${s.sortingLabel}" (${s.sortingId})`).join(', ')} ${n === 1 ? 'goes' : 'go'} with it.` : 'It has no sortings.',
      keep, ...(n ? [fresh] : []),
    ],
  };
}
