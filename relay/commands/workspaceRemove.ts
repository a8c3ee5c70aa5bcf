import type { Command } from 'commander';
import { withJson, type CliRun } from './cliAction';
import { appendWorkspaceActions, loadWorkspace, parseWorkspaceUri } from '../../core/feeds';
import { attributionOf } from '../../core/curation/attribution';
import { ownerOnlyAction, permissionsOf, readAcl } from '../../core/curation';
import type { WorkspaceAction } from '../../core/reducers/workspaceActions';
import { CliError } from '../cliErrors';
import { checkWorkspaceCredentials, cliUser, resolveTarget, type WorkspaceCommonOptions } from './workspaceContext';
import type { WorkspaceDeps } from './workspace';

/**
 * `sortingview workspace remove-recording | remove-sorting`: the owner takes a recording or sorting
 * out of a workspace (a broken one, or one added by mistake) with the 2021 DELETE_RECORDINGS /
 * DELETE_SORTINGS actions. Nothing is deleted from the buckets or the data disks: the log keeps the
 * ADD action and the curation logs stay. A sorting added again gets a new id and so a new, empty
 * curation: the messages say to export the curation first.
 */
export interface RemoveRecordingOptions extends WorkspaceCommonOptions {
  /** Also remove the recording's sortings (required when it has any, so none goes by accident). */
  withSortings?: boolean;
}

/** The workspace and an append that keeps the owner rule (core/curation/permissions.ts), as the API does. */
async function openForRemoval(workspaceUri: string, opts: WorkspaceCommonOptions, deps: WorkspaceDeps) {
  const { feedId } = parseWorkspaceUri(workspaceUri);
  const target = resolveTarget(opts, deps.env);
  checkWorkspaceCredentials(deps.env);
  const stores = deps.openStores(target);
  const user = cliUser(deps.env);
  const acl = await readAcl(stores.private, feedId);
  const { state } = await loadWorkspace(stores.public, feedId);
  const append = async (actions: WorkspaceAction[]) => {
    if (acl && ownerOnlyAction(actions) && !permissionsOf(acl, user).isOwner) {
      throw new CliError(`Only the workspace's owner (${acl.owner}) removes recordings and sortings; you are ${user} (SORTINGVIEW_USER).`);
    }
    await appendWorkspaceActions(stores.public, feedId, actions, { user: attributionOf(feedId, user), now: deps.now });
  };
  return { state, append };
}

const showHint = (workspaceUri: string) => `"sortingview workspace show ${workspaceUri}" lists them`;

export async function workspaceRemoveRecording(workspaceUri: string, recordingId: string, opts: RemoveRecordingOptions, deps: WorkspaceDeps): Promise<{ removedSortingIds: string[] }> {
  const { state, append } = await openForRemoval(workspaceUri, opts, deps);
  const recording = state.recordings.find((r) => r.recordingId === recordingId);
  if (!recording) throw new CliError(`No recording ${recordingId} in this workspace: ${showHint(workspaceUri)}`);
  const sortings = state.sortings.filter((s) => s.recordingId === recordingId).map((s) => s.sortingId);
  if (sortings.length && !opts.withSortings) {
    throw new CliError(`Recording ${recordingId} (${recording.recordingLabel}) has ${sortings.length === 1 ? 'a sorting' : `${sortings.length} sortings`}: ${sortings.join(', ')}. Remove ${sortings.length === 1 ? 'it' : 'them'} first with "sortingview workspace remove-sorting", or add --with-sortings to remove them together.`);
  }
  await append([{ type: 'DELETE_RECORDINGS', recordingIds: [recordingId] }]);
  deps.stdout(`Removed recording ${recordingId} (${recording.recordingLabel})${sortings.length ? ` and its sortings ${sortings.join(', ')}` : ''} from the workspace. The data files and curation logs are untouched.`);
  return { removedSortingIds: sortings };
}

export async function workspaceRemoveSorting(workspaceUri: string, sortingId: string, opts: WorkspaceCommonOptions, deps: WorkspaceDeps): Promise<void> {
  const { state, append } = await openForRemoval(workspaceUri, opts, deps);
  const sorting = state.sortings.find((s) => s.sortingId === sortingId);
  if (!sorting) throw new CliError(`No sorting ${sortingId} in this workspace: ${showHint(workspaceUri)}`);
  await append([{ type: 'DELETE_SORTINGS', sortingIds: [sortingId] }]);
  deps.stdout(`Removed sorting ${sortingId} (${sorting.sortingLabel}) from the workspace. Its files and curation log stay in place; added again it gets a new id and an empty curation, so export the curation first if you want it back ("sortingview curation export ${workspaceUri} --sorting-id ${sortingId} --format phy", or --format spikeinterface).`);
}

export function addRemoveCommands(ws: Command, deps: WorkspaceDeps, run: CliRun): void {
  const backend = (c: Command) => withJson(c).option('--backend <uri>', 'Backend URI, gs://<bucket>/sortingview-backends/<label>.json (default $SORTINGVIEW_BACKEND)');
  backend(ws.command('remove-recording <workspaceUri> <recordingId>'))
    .description('take a recording (R-…) out of the workspace (owner only); its data files stay where they are')
    .option('--with-sortings', 'also remove the recording\'s sortings')
    .action(run((uri: string, id: string, opts: RemoveRecordingOptions) => workspaceRemoveRecording(uri, id, opts, deps)));
  backend(ws.command('remove-sorting <workspaceUri> <sortingId>'))
    .description('take a sorting (S-…) out of the workspace (owner only); its files stay where they are')
    .action(run((uri: string, id: string, opts: WorkspaceCommonOptions) => workspaceRemoveSorting(uri, id, opts, deps)));
}
