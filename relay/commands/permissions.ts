import type { Command } from 'commander';
import { cliRunner, withJson } from './cliAction';
import { normalizeUser, updateAcl, userEmailSchema, withEditPermission } from '../../core/curation';
import { feedExists, FeedError, formatWorkspaceUri, parseWorkspaceUri, workspaceSubfeedHash } from '../../core/feeds';
import type { WorkspaceAcl } from '../../core/protocol';
import { CliError } from '../cliErrors';
import type { WorkspaceDeps } from './workspace';
import { checkWorkspaceCredentials, cliUser, resolveTarget, type WorkspaceCommonOptions } from './workspaceContext';

/**
 * `sortingview workspace set-permissions <uri> --user EMAIL --edit|--no-edit`: gives or takes a
 * user's right to edit the workspace in the web app (2021 `set_user_permissions`). The CLI writes
 * `acl/<feedId>.json` in the private bucket directly with its own credentials (a compare-and-swap on
 * the object's generation, retried when someone changed it in between); owners signed in to the web
 * app do the same through `PUT /v1/workspaces/<feedId>/permissions`.
 * A workspace without an access list gets one, owned by the CLI's user.
 */

export interface SetPermissionsOptions extends WorkspaceCommonOptions {
  user: string;
  edit?: boolean;
}

export async function workspaceSetPermissions(workspaceUri: string, opts: SetPermissionsOptions, deps: WorkspaceDeps): Promise<WorkspaceAcl> {
  const { feedId } = parseWorkspaceUri(workspaceUri);
  if (opts.edit === undefined) throw new CliError('Say what the user may do: --edit (may label and merge units) or --no-edit (read only)');
  const user = userEmailSchema.safeParse(opts.user);
  if (!user.success) throw new CliError(`--user must be the email address the person signs in with (got ${JSON.stringify(opts.user)})`);
  const target = resolveTarget(opts, deps.env);
  checkWorkspaceCredentials(deps.env);
  const stores = deps.openStores(target);
  if (!(await feedExists(stores.public, feedId, workspaceSubfeedHash()))) {
    throw new FeedError(`Unknown workspace ${formatWorkspaceUri({ feedId })}: there is no workspace with that id in bucket ${target.bucket}. Check the URI and --backend.`, 'unknown-feed');
  }
  let created = false;
  const acl = await updateAcl(stores.private, feedId, (current) => {
    created = current === null;
    return withEditPermission(current ?? { owner: cliUser(deps.env), editors: [] }, user.data, opts.edit!);
  });
  if (created) deps.stderr(`Note: the workspace had no access list; created one owned by ${acl.owner}.`);
  deps.stdout(`${normalizeUser(user.data)} ${opts.edit ? 'may now edit' : 'may no longer edit'} ${formatWorkspaceUri({ feedId })}.`);
  deps.stdout(`Owner: ${acl.owner}; editors: ${acl.editors.length ? acl.editors.join(', ') : 'none'}`);
  return acl;
}

/** Adds `set-permissions` to the `workspace` command group. */
export function addPermissionsCommand(ws: Command, deps: WorkspaceDeps): Command {
  const run = cliRunner(deps);
  return withJson(ws.command('set-permissions <workspaceUri>'))
    .description('let a signed-in user edit (label, merge) the workspace in the web app, or take that right away')
    .option('--backend <uri>', 'Backend URI, gs://<bucket>/sortingview-backends/<label>.json (default $SORTINGVIEW_BACKEND)')
    .requiredOption('--user <email>', 'the email address the person signs in with (Google account)')
    .option('--edit', 'may edit')
    .option('--no-edit', 'may only view')
    .addHelpText('after', '\nAnyone holding the workspace URI can view it; only its owner and editors can change its curation.\nThe owner always may edit. Signed-in owners can do the same from the web app.')
    .action(run((uri: string, opts: SetPermissionsOptions) => workspaceSetPermissions(uri, opts, deps)));
}
