import type { Command } from 'commander';
import {
  addRecordingAction, addSortingAction, appendWorkspaceActions, createWorkspace, formatWorkspaceUri, loadWorkspace,
  newFeedId, parseWorkspaceUri, requireRecording, type RandomBytes,
} from '../../core/feeds';
import { attributionOf } from '../../core/curation/attribution';
import type { WorkspaceState } from '../../core/reducers/workspace';
import { ApiBusyError, ApiUnreachableError } from '../../core/client/httpPolicy';
import { asCliError, CliError } from '../cliErrors';
import { cliRunner, withJson } from './cliAction';
import {
  checkWorkspaceCredentials, cliUser, kacheryStorageDir, resolveTarget, viewUrl,
  type OpenStores, type WorkspaceCommonOptions,
} from './workspaceContext';
import { analyzerWithMetrics, attachAnalyzerMetrics } from './metricsImport';
import type { PrecalculateSummary } from './precalculate';
import { addSetUnitMetricsCommand } from './unitMetrics';
import { addRemoveCommands } from './workspaceRemove';
import { resolveDataObject, storeAndRegister, type DataKind, type DetectFormat } from './workspaceData';

/**
 * `sortingview workspace create | add-recording | add-sorting | show`: thin shells over
 * `core/feeds` (the log, the ACL) and the kachery store. Each parses its arguments, calls core, prints.
 */
export interface WorkspaceDeps {
  env: NodeJS.ProcessEnv;
  cwd: string;
  openStores: OpenStores;
  random: RandomBytes;
  now: () => number;
  detectFormat?: DetectFormat;
  stdout: (line: string) => void;
  stderr: (line: string) => void;
  /**
   * Computes the sorting page's tasks of a sorting just added (the CLI's: `sortingview precalculate
   * <workspace> --sorting S`), so its first view reads cached results; absent: add-sorting never does.
   */
  precalculateSorting?: (workspaceUri: string, sortingId: string, opts: WorkspaceCommonOptions) => Promise<PrecalculateSummary>;
}

export interface CreateOptions extends WorkspaceCommonOptions {
  label: string;
  appUrl?: string;
}

export async function workspaceCreate(opts: CreateOptions, deps: WorkspaceDeps): Promise<{ feedId: string; workspaceUri: string; viewUrl?: string }> {
  const target = resolveTarget(opts, deps.env);
  checkWorkspaceCredentials(deps.env);
  const stores = deps.openStores(target);
  const feedId = newFeedId(deps.random);
  await createWorkspace(stores, { feedId, owner: cliUser(deps.env) });
  const workspaceUri = formatWorkspaceUri({ feedId });
  deps.stdout(`Workspace URI: ${workspaceUri}`);
  const appUrl = opts.appUrl ?? deps.env.SORTINGVIEW_APP_URL;
  const view = appUrl ? viewUrl(appUrl, target.backendUri, formatWorkspaceUri({ feedId, label: opts.label })) : undefined;
  if (view) deps.stdout(`View: ${view}`);
  else deps.stderr('(Pass --app-url or set SORTINGVIEW_APP_URL to print the link that opens this workspace in the web app.)');
  return { feedId, workspaceUri, viewUrl: view };
}

export interface AddOptions extends WorkspaceCommonOptions {
  label?: string;
  description?: string;
  /** Open Ephys stream (add-recording). */
  stream?: string;
  /** Sampling rate of a firings.mda with no params.json beside it (add-sorting). */
  samplerate?: string;
}

function detectHints(opts: AddOptions): { stream?: string; samplerateHz?: number } {
  const hints: { stream?: string; samplerateHz?: number } = {};
  if (opts.stream) hints.stream = opts.stream;
  if (opts.samplerate !== undefined) {
    const hz = Number(opts.samplerate);
    if (!Number.isFinite(hz) || hz <= 0) throw new CliError(`--samplerate must be a positive number of Hz (got ${opts.samplerate})`);
    hints.samplerateHz = hz;
  }
  return hints;
}

async function addItem(kind: DataKind, workspaceUri: string, input: string, opts: AddOptions & { recordingId?: string }, deps: WorkspaceDeps) {
  const { feedId } = parseWorkspaceUri(workspaceUri);
  const target = resolveTarget(opts, deps.env);
  const hints = detectHints(opts);
  checkWorkspaceCredentials(deps.env);
  const stores = deps.openStores(target);
  const { state } = await loadWorkspace(stores.public, feedId);
  // Fail on an unknown recording before storing anything.
  if (kind === 'sorting') requireRecording(state, opts.recordingId!);

  const kacheryDir = kacheryStorageDir(opts, deps.env, deps.cwd);
  const onNote = (m: string) => deps.stderr(`Note: ${m}`);
  const resolved = await resolveDataObject(kind, input, { cwd: deps.cwd, kacheryDir, detectFormat: deps.detectFormat, hints: { ...hints, onNote } });
  const label = opts.label ?? resolved.defaultLabel;
  const uri = await storeAndRegister(resolved, { label, kacheryDir, backendLabel: target.label, privateStore: stores.private });

  const item = { label, path: uri, object: resolved.object, description: opts.description };
  const action = kind === 'recording'
    ? addRecordingAction(state, item, deps.random)
    : addSortingAction(state, { ...item, recordingId: opts.recordingId! }, deps.random);
  const hash = sha1Of(uri);
  const sameObject = kind === 'recording'
    ? state.recordings.find((r) => sha1Of(r.recordingPath) === hash)?.recordingId
    : state.sortings.find((s) => sha1Of(s.sortingPath) === hash && s.recordingId === opts.recordingId)?.sortingId;
  if (sameObject) deps.stderr(`Note: ${sameObject} in this workspace already holds the same ${kind} object; adding it again under a new id.`);

  await appendWorkspaceActions(stores.public, feedId, [action], { user: attributionOf(feedId, cliUser(deps.env)), now: deps.now });
  const id = action.type === 'ADD_RECORDING' ? action.recording.recordingId : action.sorting.sortingId;
  return { id, uri, format: resolved.format, object: resolved.object };
}

/** The --backend / --kachery-storage-dir the user gave, for a command line to retry with. */
const retryFlags = (opts: WorkspaceCommonOptions) => (opts.backend ? ` --backend ${shellArg(opts.backend)}` : '') + (opts.kacheryStorageDir ? ` --kachery-storage-dir ${shellArg(opts.kacheryStorageDir)}` : '');
/** A word as a POSIX shell reads it back: as is when plain, else in single quotes. */
const shellArg = (s: string) => (/^[\w@%+=:,./-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`);

const sha1Of = (uri: string) => /^sha1:\/\/([0-9a-f]{40})/.exec(uri)?.[1];

export async function workspaceAddRecording(workspaceUri: string, input: string, opts: AddOptions, deps: WorkspaceDeps): Promise<{ recordingId: string; recordingUri: string }> {
  const { id, uri } = await addItem('recording', workspaceUri, input, opts, deps);
  deps.stdout(`Recording ID: ${id}`);
  deps.stdout(`Recording URI: ${uri}`);
  return { recordingId: id, recordingUri: uri };
}

export interface AddSortingResult {
  sortingId: string;
  sortingUri: string;
  /**
   * A SortingAnalyzer with quality_metrics / template_metrics: the unit metrics attached from them, or
   * null when they could not be (`metricsError` says why; the sorting is added all the same). Absent otherwise.
   */
  metricsUri?: string | null;
  metrics?: string[];
  metricsError?: string;
}

export async function workspaceAddSorting(workspaceUri: string, input: string, opts: AddOptions & { recordingId: string }, deps: WorkspaceDeps): Promise<AddSortingResult> {
  const { id, uri, object } = await addItem('sorting', workspaceUri, input, opts, deps);
  deps.stdout(`Sorting ID: ${id}`);
  deps.stdout(`Sorting URI: ${uri}`);
  const result: AddSortingResult = { sortingId: id, sortingUri: uri };
  const analyzer = await analyzerWithMetrics(object);
  if (!analyzer) return result;
  try {
    const attached = await attachAnalyzerMetrics(workspaceUri, analyzer, { ...opts, sortingId: id }, deps);
    return { ...result, metricsUri: attached.metricsUri, metrics: attached.metrics };
  } catch (err) {
    const why = (err as Error).message;
    deps.stderr(`Warning: ${id} was added, but the analyzer's ${analyzer.extensions.join(' and ')} could not be shown in its units table: ${why}. `
      + `To retry: sortingview metrics import ${workspaceUri} ${shellArg(analyzer.folder)} --sorting-id ${id}${retryFlags(opts)}`);
    return { ...result, metricsUri: null, metricsError: why };
  }
}

export async function workspaceShow(workspaceUri: string, opts: WorkspaceCommonOptions, deps: WorkspaceDeps): Promise<WorkspaceState> {
  const { feedId } = parseWorkspaceUri(workspaceUri);
  const stores = deps.openStores(resolveTarget(opts, deps.env));
  const { state, length, ignored } = await loadWorkspace(stores.public, feedId);
  if (ignored.length) deps.stderr(`Note: ${ignored.length} of ${length} log messages were not applied (positions ${ignored.map((i) => i.position).join(', ')}).`);
  for (const line of formatWorkspace(formatWorkspaceUri({ feedId }), state)) deps.stdout(line);
  return state;
}

/** A plain-text table of the workspace (no colours: it is read in logs and CI output too). */
export function formatWorkspace(workspaceUri: string, state: WorkspaceState): string[] {
  const lines = [`Workspace ${workspaceUri}`];
  const [before, after] = state.snippetLen;
  lines.push(`Snippet length: ${before} frames before, ${after} after`, '');
  const formatOf = (o: Record<string, unknown>, key: string) => (typeof o[key] === 'string' ? (o[key] as string) : '?');
  lines.push(...table(`Recordings (${state.recordings.length})`, ['ID', 'LABEL', 'FORMAT'],
    state.recordings.map((r) => [r.recordingId, r.recordingLabel, formatOf(r.recordingObject, 'recording_format')])), '');
  lines.push(...table(`Sortings (${state.sortings.length})`, ['ID', 'LABEL', 'RECORDING', 'FORMAT'],
    state.sortings.map((s) => [s.sortingId, s.sortingLabel, s.recordingId, formatOf(s.sortingObject, 'sorting_format')])));
  return lines;
}

function table(title: string, header: string[], rows: string[][]): string[] {
  if (!rows.length) return [`${title}: none`];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells: string[]) => `  ${cells.map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i]))).join('  ')}`;
  return [title, line(header), ...rows.map(line)];
}

const helpData = (kind: DataKind) => `
The data stay where they are: only the small ${kind} object JSON is stored (in the kachery
storage directory) and hashed. Its data files are referenced by absolute path, so adding
a 100 GB recording takes a moment instead of the minutes hashing it would. The price: the relay
must be started with a --data-dir that contains those paths, and moving the files breaks the
object. A sha1:// URI names an object JSON already in the kachery store.`;

/** A failure the user can act on (no relay, no API, a busy API, no bucket access); null for a bug, which is not hidden. */
function actionable(err: unknown, env: NodeJS.ProcessEnv): Error | null {
  if (err instanceof ApiUnreachableError || err instanceof ApiBusyError) return err;
  const cli = asCliError(err, env);
  return cli instanceof CliError ? cli : null;
}

/**
 * add-sorting's precalculation: never a reason to fail the command (the sorting is added); a backend
 * that is not running or tasks that fail are said, with the command that retries.
 */
async function precalculateAdded(workspaceUri: string, sortingId: string, opts: WorkspaceCommonOptions, deps: WorkspaceDeps): Promise<PrecalculateSummary | null> {
  if (!deps.precalculateSorting) return null;
  const retry = `sortingview precalculate ${workspaceUri} --sorting ${sortingId}`;
  let s: PrecalculateSummary;
  try {
    s = await deps.precalculateSorting(workspaceUri, sortingId, opts);
  } catch (err) {
    const known = actionable(err, deps.env);
    if (!known) throw err;
    deps.stderr(`Note: its sorting page was not precalculated: ${known.message}. To do it later: ${retry}`);
    return null;
  }
  deps.stderr(`Precalculated its sorting page: ${s.tasks} tasks, ${s.computed} computed, ${s.cached} already cached${s.failed.length ? `, ${s.failed.length} failed` : ''}.`);
  if (s.failed.length) deps.stderr(`Warning: ${s.failed[0]!.functionId} failed (${s.failed[0]!.message})${s.failed.length > 1 ? ` and ${s.failed.length - 1} more` : ''}; the sorting is added. To retry: ${retry}`);
  return s;
}

/** Adds the `workspace` command group to the CLI (created with `.command()` so it inherits exitOverride). */
export function addWorkspaceCommands(program: Command, deps: WorkspaceDeps): Command {
  const ws = program.command('workspace').description('create workspaces and add recordings and sortings to them');
  const common = (c: Command) => withJson(c)
    .option('--backend <uri>', 'Backend URI, gs://<bucket>/sortingview-backends/<label>.json (default $SORTINGVIEW_BACKEND)');
  const run = cliRunner(deps);

  common(ws.command('create'))
    .description('create an empty workspace (you become its owner) and print its URI and link')
    .requiredOption('--label <name>', 'a name for the workspace, shown in the web app')
    .option('--app-url <url>', 'the web app, for the printed link (default $SORTINGVIEW_APP_URL)')
    .action(run((opts: CreateOptions) => workspaceCreate(opts, deps)));

  common(ws.command('add-recording <workspaceUri> <pathOrUri>'))
    .description('add a recording (a file or folder in a supported format, an object .json, or a sha1:// object URI)')
    .option('--label <name>', 'recording label (default: the file name)')
    .option('--description <text>', 'free text shown with the recording')
    .option('--stream <name>', 'Open Ephys: the stream to use when the recording has several')
    .option('--kachery-storage-dir <dir>', 'kachery storage, as the relay uses it (default $KACHERY_STORAGE_DIR or ~/kachery-storage)')
    .addHelpText('after', helpData('recording'))
    .action(run((uri: string, input: string, opts: AddOptions) => workspaceAddRecording(uri, input, opts, deps)));

  common(ws.command('add-sorting <workspaceUri> <pathOrUri>'))
    .description('add a sorting of one of the workspace\'s recordings')
    .requiredOption('--recording-id <id>', 'the recording it sorts (R-…, see "workspace show")')
    .option('--label <name>', 'sorting label (default: the file name)')
    .option('--description <text>', 'free text shown with the sorting')
    .option('--samplerate <hz>', 'sampling rate of a firings.mda that has no params.json beside it')
    .option('--kachery-storage-dir <dir>', 'kachery storage, as the relay uses it (default $KACHERY_STORAGE_DIR or ~/kachery-storage)')
    .option('--no-precalculate', 'do not compute its sorting page now (the first visit computes it, or "sortingview precalculate")')
    .addHelpText('after', `${helpData('sorting')}
A SpikeInterface SortingAnalyzer folder (binary_folder) is added as its sorting/, and its
quality_metrics and template_metrics extensions, when it has them, become units-table columns at
once (as "sortingview metrics import" would attach them; --json: metricsUri).

Once added, the tasks its sorting page opens with are computed (as "sortingview precalculate"
does: the units table, every unit's waveform and autocorrelogram, similarity, raster), so the
first view reads them from the bucket. It needs the relay running and takes longer than one first
view (about 2 minutes for 1000 units on 384 channels on two cores). --json: precalculated (null
when it was skipped).`)
    .action(run(async (uri: string, input: string, opts: AddOptions & { recordingId: string; precalculate?: boolean }) => {
      const added = await workspaceAddSorting(uri, input, opts, deps);
      const precalculated = opts.precalculate === false ? null : await precalculateAdded(uri, added.sortingId, opts, deps);
      return { ...added, precalculated };
    }));

  addSetUnitMetricsCommand(ws, deps, run);
  addRemoveCommands(ws, deps, run);

  common(ws.command('show <workspaceUri>'))
    .description('list the workspace\'s recordings and sortings (--json: the reduced workspace state)')
    .action(run((uri: string, opts: WorkspaceCommonOptions) => workspaceShow(uri, opts, deps)));

  return ws;
}
