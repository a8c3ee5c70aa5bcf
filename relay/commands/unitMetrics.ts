import { readFile, stat } from 'node:fs/promises';
import { basename, extname, resolve } from 'node:path';
import type { Command } from 'commander';
import { withJson, type CliRun } from './cliAction';
import { appendWorkspaceActions, loadWorkspace, parseWorkspaceUri } from '../../core/feeds';
import { attributionOf } from '../../core/curation/attribution';
import { MAX_EXTERNAL_METRICS, unitMetricsFileSchema } from '../../core/tasks/contracts/unitMetrics';
import { CliError } from '../cliErrors';
import { checkWorkspaceCredentials, cliUser, kacheryStorageDir, resolveTarget, type WorkspaceCommonOptions } from './workspaceContext';
import { registerBytes } from './workspaceData';
import type { WorkspaceDeps } from './workspace';
import type { BlobStore } from '../../core/ports/blobStore';
import type { WorkspaceSorting } from '../../core/reducers/workspaceActions';

/**
 * `sortingview workspace set-unit-metrics <workspace> <metrics.json> --sorting-id S-…`: external
 * metrics as extra units-table columns (2021's `set_unit_metrics_for_sorting`). The file is checked
 * against fetch_unit_metrics.1's schema, stored in the kachery store and registered like an object
 * (the relay serves only registered data, so an unregistered metrics URI is refused), then
 * SET_UNIT_METRICS_FOR_SORTING names it in the workspace log.
 */
export const MAX_METRICS_BYTES = 16 * 1024 * 1024;

export interface SetUnitMetricsOptions extends WorkspaceCommonOptions {
  sortingId: string;
}

/** What `attachUnitMetrics` hands the code that makes the file: the sorting, and where to read what is known of it. */
export interface UnitMetricsTarget {
  sorting: WorkspaceSorting;
  stores: { public: BlobStore; private: BlobStore };
  backendLabel: string;
}

/**
 * The one way a unit metrics file reaches a sorting (set-unit-metrics, metrics import): checks that the
 * workspace has the sorting, asks `makeFile` for the bytes (a JSON list that passes
 * `unitMetricsFileSchema`) and a label, stores and registers them (the relay serves only registered
 * data), appends SET_UNIT_METRICS_FOR_SORTING and prints the URI.
 */
export async function attachUnitMetrics(
  workspaceUri: string, opts: SetUnitMetricsOptions, deps: WorkspaceDeps,
  makeFile: (target: UnitMetricsTarget) => Promise<{ bytes: Uint8Array; label: string }>,
): Promise<{ metricsUri: string }> {
  const { feedId } = parseWorkspaceUri(workspaceUri);
  const target = resolveTarget(opts, deps.env);
  checkWorkspaceCredentials(deps.env);
  const stores = deps.openStores(target);
  const { state } = await loadWorkspace(stores.public, feedId);
  const sorting = state.sortings.find((s) => s.sortingId === opts.sortingId);
  if (!sorting) {
    throw new CliError(`No sorting ${opts.sortingId} in this workspace: "sortingview workspace show ${workspaceUri}" lists its sortings`);
  }
  const { bytes, label } = await makeFile({ sorting, stores, backendLabel: target.label });
  if (bytes.length > MAX_METRICS_BYTES) throw new CliError(`The unit metrics come to ${bytes.length} bytes of JSON; at most ${MAX_METRICS_BYTES} can be attached to a sorting`);
  const metricsUri = await registerBytes(bytes, { label, kacheryDir: kacheryStorageDir(opts, deps.env, deps.cwd), backendLabel: target.label, privateStore: stores.private });
  await appendWorkspaceActions(stores.public, feedId, [{ type: 'SET_UNIT_METRICS_FOR_SORTING', unitMetricsForSorting: { sortingId: opts.sortingId, metricsUri } }], {
    user: attributionOf(feedId, cliUser(deps.env)), now: deps.now,
  });
  deps.stdout(`Unit metrics URI: ${metricsUri}`);
  return { metricsUri };
}

export async function workspaceSetUnitMetrics(workspaceUri: string, file: string, opts: SetUnitMetricsOptions, deps: WorkspaceDeps): Promise<{ metricsUri: string }> {
  return attachUnitMetrics(workspaceUri, opts, deps, async () => {
    const path = resolve(deps.cwd, file);
    const st = await stat(path).catch(() => null);
    if (!st?.isFile()) throw new CliError(`No such file: ${path}`);
    if (st.size > MAX_METRICS_BYTES) throw new CliError(`${path} is ${st.size} bytes; a unit metrics file is at most ${MAX_METRICS_BYTES}`);
    const bytes = new Uint8Array(await readFile(path));
    let value: unknown;
    try {
      value = JSON.parse(new TextDecoder().decode(bytes));
    } catch {
      throw new CliError(`${path} is not JSON; unit metrics are a JSON list of {name, label, tooltip?, data: {unitId: number}}`);
    }
    const parsed = unitMetricsFileSchema.safeParse(value);
    if (!parsed.success) {
      const where = parsed.error.issues.slice(0, 3).map((i) => `${i.path.join('.') || '(top level)'}: ${i.message}`).join('; ');
      throw new CliError(`${path} is not a unit metrics file (a JSON list of at most ${MAX_EXTERNAL_METRICS} {name, label, tooltip?, data: {unitId: number}}): ${where}`);
    }
    // The file's own bytes, so its URI is the same wherever it is registered from.
    return { bytes, label: basename(path, extname(path)) };
  });
}

export function addSetUnitMetricsCommand(ws: Command, deps: WorkspaceDeps, run: CliRun): void {
  withJson(ws.command('set-unit-metrics <workspaceUri> <metricsJson>'))
    .description('show external unit metrics (a JSON list of {name, label, tooltip?, data: {unitId: number}}) as units-table columns of a sorting')
    .requiredOption('--sorting-id <id>', 'the sorting they describe (S-…, see "workspace show")')
    .option('--backend <uri>', 'Backend URI, gs://<bucket>/sortingview-backends/<label>.json (default $SORTINGVIEW_BACKEND)')
    .option('--kachery-storage-dir <dir>', 'kachery storage, as the relay uses it (default $KACHERY_STORAGE_DIR or ~/kachery-storage)')
    .action(run((uri: string, file: string, opts: SetUnitMetricsOptions) => workspaceSetUnitMetrics(uri, file, opts, deps)));
}
