import { readdir, readFile, stat } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import type { Command } from 'commander';
import { backendLabels, cachedSortingInfoUnitIds } from '../../core/curation/sortingUnits';
import {
  combineMetricsFiles, idsNotInSorting, metricsFromPhyClusterFile, metricsFromSpikeInterfaceCsv, SI_METRIC_EXTENSIONS, type ImportedMetrics, type MetricsFile,
} from '../../core/curation/importedMetrics';
import { MAX_EXTERNAL_METRICS, unitMetricsFileSchema } from '../../core/tasks/contracts/unitMetrics';
import { CliError } from '../cliErrors';
import { siStringUnitIds } from '../formats/siSorting';
import { SI_UNIT_IDS_FILE } from '../../core/curation/siUnitIds';
import { cliRunner, withJson } from './cliAction';
import { attachUnitMetrics, MAX_METRICS_BYTES, type SetUnitMetricsOptions, type UnitMetricsTarget } from './unitMetrics';
import type { WorkspaceDeps } from './workspace';

/**
 * `sortingview metrics import <workspace> <path> --sorting-id S-…`: quality metrics computed outside
 * sortingview, as the tools write them, become units-table columns of a sorting (fetch_unit_metrics.1).
 * The conversion is pure (core/curation/importedMetrics.ts); this shell finds the files, reads them
 * (each at most 16 MiB), and attaches the result the way `workspace set-unit-metrics` does.
 *
 * `<path>`: a SpikeInterface extension's `metrics.csv`, that extension's folder, or a SortingAnalyzer
 * folder (then `extensions/quality_metrics/metrics.csv` and `extensions/template_metrics/metrics.csv`,
 * whichever are there); a phy/Kilosort `cluster_*.tsv`, or a phy folder (every `cluster_*.tsv`,
 * `cluster_info.tsv` last, so a column it repeats comes from its own file).
 *
 * `workspace add-sorting <analyzer>` attaches an analyzer's metrics the same way (`attachAnalyzerMetrics`).
 */

interface SourceFile {
  path: string;
  /** How the file is named in notes and tooltips: `quality_metrics/metrics.csv`, `cluster_snr.tsv`. */
  name: string;
  kind: 'spikeinterface' | 'phy';
}

/** At most this many files of a phy folder are read (200 metrics can be attached, and text columns come on top). */
const MAX_FILES = 2 * MAX_EXTERNAL_METRICS;
const isPhyName = (name: string) => /^cluster_.+\.(tsv|csv)$/i.test(name);

const isFile = async (p: string) => (await stat(p).catch(() => null))?.isFile() ?? false;

function fileSource(path: string): SourceFile {
  const name = basename(path);
  if (isPhyName(name) || /\.tsv$/i.test(name)) return { path, name, kind: 'phy' };
  if (/\.csv$/i.test(name)) return { path, name: name === 'metrics.csv' ? `${basename(dirname(path))}/${name}` : name, kind: 'spikeinterface' };
  throw new CliError(`${path} is neither a SpikeInterface metrics.csv nor a phy cluster_*.tsv`);
}

/** The files `<path>` stands for. */
async function sourcesOf(path: string): Promise<SourceFile[]> {
  const st = await stat(path).catch(() => null);
  if (!st) throw new CliError(`No such file or folder: ${path}`);
  if (st.isFile()) return [fileSource(path)];
  if (!st.isDirectory()) throw new CliError(`${path} is neither a file nor a folder`);
  if (await isFile(join(path, 'metrics.csv'))) return [fileSource(join(path, 'metrics.csv'))];
  if (/\.zarr\/?$/i.test(path) || await isFile(join(path, '.zattrs'))) {
    throw new CliError(`${path} is a zarr SortingAnalyzer; metrics import reads binary_folder analyzers (or pass the metrics as a CSV: analyzer.get_extension("quality_metrics").get_data().to_csv("metrics.csv"))`);
  }
  if (await isFile(join(path, 'spikeinterface_info.json')) || (await stat(join(path, 'extensions')).catch(() => null))?.isDirectory()) {
    const found: SourceFile[] = [];
    for (const ext of SI_METRIC_EXTENSIONS) {
      const p = join(path, 'extensions', ext, 'metrics.csv');
      if (await isFile(p)) found.push({ path: p, name: `${ext}/metrics.csv`, kind: 'spikeinterface' });
    }
    if (!found.length) throw new CliError(`${path} is a SortingAnalyzer without quality or template metrics (no extensions/quality_metrics/metrics.csv or extensions/template_metrics/metrics.csv): compute them first, analyzer.compute("quality_metrics")`);
    return found;
  }
  // cluster_si_unit_ids.tsv (SpikeInterface's export_to_phy) maps clusters to SpikeInterface's ids: not a metric.
  const names = (await readdir(path)).filter((n) => isPhyName(n) && n !== SI_UNIT_IDS_FILE);
  if (!names.length) throw new CliError(`${path} holds no metrics: expected a SpikeInterface SortingAnalyzer or extension folder (metrics.csv) or a phy folder (cluster_*.tsv)`);
  if (names.length > MAX_FILES) throw new CliError(`${path} has ${names.length} cluster_* files; at most ${MAX_FILES} are read: import the ones you want one by one, or move the others away`);
  // Code point order (as `ls` in the C locale), cluster_info.tsv last: phy's summary repeats the
  // columns of cluster_Amplitude.tsv and the like, rounded (phy's write_tsv), so their own files win.
  const ordered = names.sort((a, b) => Number(a === 'cluster_info.tsv') - Number(b === 'cluster_info.tsv') || (a < b ? -1 : a > b ? 1 : 0));
  return ordered.map((n) => ({ path: join(path, n), name: n, kind: 'phy' as const }));
}

async function readSource(src: SourceFile, unitIdsByName?: ReadonlyMap<string, number>): Promise<MetricsFile> {
  const st = await stat(src.path);
  if (st.size > MAX_METRICS_BYTES) throw new CliError(`${src.path} is ${st.size} bytes; a metrics file is at most ${MAX_METRICS_BYTES}`);
  const text = new TextDecoder().decode(await readFile(src.path));
  return src.kind === 'spikeinterface' ? metricsFromSpikeInterfaceCsv(text, src.name, { unitIdsByName }) : metricsFromPhyClusterFile(text, src.name);
}

export interface MetricsImportResult {
  metricsUri: string;
  metrics: string[];
  units: number;
  files: string[];
  notes: string[];
  /** Unit ids of the files that the sorting lacks; null when the sorting's unit ids are not known here. */
  notInSorting: number[] | null;
}

/** The metrics `path` stands for, read and converted: the files and what they come to (at least one metric). */
async function readMetrics(path: string): Promise<{ sources: SourceFile[]; imported: ImportedMetrics }> {
  const sources = await sourcesOf(path);
  const byName = analyzerUnitIdsByName(path);
  const parsed = [];
  for (const src of sources) parsed.push({ fileName: src.name, parsed: await readSource(src, byName) });
  const imported = combineMetricsFiles(parsed);
  if (!imported.metrics.length) {
    throw new CliError(`${path}: no numeric columns to import${imported.notes.length ? ` (${imported.notes.join('; ')})` : ''}`);
  }
  const checked = unitMetricsFileSchema.safeParse(imported.metrics);
  if (!checked.success) throw new Error(`metrics import: the converted metrics do not pass unitMetricsFileSchema: ${checked.error.message}`);
  return { sources, imported };
}

/**
 * A SortingAnalyzer folder whose sorting has string unit ids (relay/formats/siSorting.ts
 * `siStringUnitIds`): its metrics.csv rows are named by those strings, so they are mapped to
 * sortingview's ids the same way. Undefined for any other path.
 */
function analyzerUnitIdsByName(path: string): Map<string, number> | undefined {
  let found: ReturnType<typeof siStringUnitIds>;
  try {
    found = siStringUnitIds(join(path, 'sorting'));
  } catch (err) {
    throw new CliError((err as Error).message, { cause: err });
  }
  return found ? new Map(found.theirs.map((name, i) => [name, found.ours[i]!])) : undefined;
}

const metricsFileOf = (imported: ImportedMetrics) => ({ bytes: new TextEncoder().encode(JSON.stringify(imported.metrics)), label: 'unit_metrics' });

export async function metricsImport(workspaceUri: string, input: string, opts: SetUnitMetricsOptions, deps: WorkspaceDeps): Promise<MetricsImportResult> {
  const path = resolve(deps.cwd, input);
  let summary: Omit<MetricsImportResult, 'metricsUri'> | undefined;
  const { metricsUri } = await attachUnitMetrics(workspaceUri, opts, deps, async (target) => {
    const { sources, imported } = await readMetrics(path);
    const notInSorting = await checkUnitIds(imported.unitIds, target);
    for (const n of imported.notes) deps.stderr(`Note: ${n}`);
    if (notInSorting === null) {
      deps.stderr(`Note: the unit ids of ${opts.sortingId} are not known here yet (no cached sorting_info.3: open the sorting once, or run "sortingview precalculate"), so the metrics' unit ids were not checked against it`);
    } else if (notInSorting.length) {
      deps.stderr(`Warning: ${notInSorting.length} unit id(s) of the metrics are not in ${opts.sortingId}: ${notInSorting.slice(0, 20).join(', ')}${notInSorting.length > 20 ? ', …' : ''} (the units table shows only the sorting's units)`);
    }
    summary = { metrics: imported.metrics.map((m) => m.name), units: imported.unitIds.length, files: sources.map((s) => s.path), notes: imported.notes, notInSorting };
    deps.stdout(`Imported ${imported.metrics.length} metric(s) for ${imported.unitIds.length} unit(s) from ${sources.map((s) => s.name).join(', ')}`);
    return metricsFileOf(imported);
  });
  return { metricsUri, ...summary! };
}

/**
 * The SortingAnalyzer folder (binary_folder) whose sorting `sortingObject` is, when that analyzer holds a
 * quality_metrics or template_metrics extension; else null. `workspace add-sorting <analyzer>` registers
 * the analyzer's `sorting/` NumpyFolderSorting (relay/formats/siAnalyzerDetect.ts), so that folder's parent.
 */
export async function analyzerWithMetrics(sortingObject: Record<string, unknown>): Promise<{ folder: string; extensions: string[] } | null> {
  const data = sortingObject.data as { folder?: unknown } | undefined;
  if (sortingObject.sorting_format !== 'si_numpy_folder' || typeof data?.folder !== 'string' || basename(data.folder) !== 'sorting') return null;
  const folder = dirname(data.folder);
  const info = await readFile(join(folder, 'spikeinterface_info.json'), 'utf8').then((t) => JSON.parse(t) as unknown, () => null);
  if ((info as { object?: unknown } | null)?.object !== 'SortingAnalyzer') return null;
  const extensions = [];
  for (const ext of SI_METRIC_EXTENSIONS) if ((await stat(join(folder, 'extensions', ext)).catch(() => null))?.isDirectory()) extensions.push(ext);
  return extensions.length ? { folder, extensions } : null;
}

export interface AnalyzerMetricsResult {
  metricsUri: string;
  metrics: string[];
  /** The extensions they came from (quality_metrics, template_metrics). */
  extensions: string[];
}

/**
 * `workspace add-sorting <analyzer>`: the analyzer's quality_metrics and template_metrics extensions,
 * read as `metrics import` reads them, attached to the sorting just added (`opts.sortingId`). The unit
 * ids are not checked against the sorting: SpikeInterface computed them on this very sorting. Throws
 * when they cannot be read or attached; the caller keeps the sorting and warns.
 */
export async function attachAnalyzerMetrics(
  workspaceUri: string, analyzer: { folder: string; extensions: string[] }, opts: SetUnitMetricsOptions, deps: WorkspaceDeps,
): Promise<AnalyzerMetricsResult> {
  let summary: Omit<AnalyzerMetricsResult, 'metricsUri'> | undefined;
  const { metricsUri } = await attachUnitMetrics(workspaceUri, opts, deps, async () => {
    for (const ext of analyzer.extensions) {
      if (!(await isFile(join(analyzer.folder, 'extensions', ext, 'metrics.csv')))) {
        throw new CliError(`${join(analyzer.folder, 'extensions', ext)} has no metrics.csv (an extension not fully computed or saved: analyzer.compute("${ext}") again)`);
      }
    }
    const { sources, imported } = await readMetrics(analyzer.folder);
    for (const n of imported.notes) deps.stderr(`Note: ${n}`);
    const extensions = sources.map((s) => s.name.split('/')[0]);
    summary = { metrics: imported.metrics.map((m) => m.name), extensions };
    return metricsFileOf(imported);
  });
  const { metrics, extensions } = summary!;
  const names = metrics.length > 12 ? `${metrics.slice(0, 12).join(', ')}, …` : metrics.join(', ');
  deps.stdout(`Units table: ${metrics.length} metric column(s) from the analyzer's ${extensions.join(' and ')} extension${extensions.length > 1 ? 's' : ''} (${names})`);
  return { metricsUri, ...summary! };
}

/** Ids the sorting lacks, when the sorting's unit ids are at hand cheaply (the cached sorting_info.3 result); else null. */
async function checkUnitIds(unitIds: readonly number[], target: UnitMetricsTarget): Promise<number[] | null> {
  const others = (await backendLabels(target.stores.public).catch(() => [])).filter((l) => l !== target.backendLabel);
  const known = await cachedSortingInfoUnitIds(target.stores.public, target.sorting.sortingPath, [target.backendLabel, ...others]);
  return known ? idsNotInSorting(unitIds, known) : null;
}

/** Adds the `metrics` command group (created with `.command()` so it inherits exitOverride). */
export function addMetricsCommands(program: Command, deps: WorkspaceDeps): Command {
  const metrics = program.command('metrics').description('attach quality metrics computed elsewhere (SpikeInterface, phy/Kilosort) to a sorting');
  const run = cliRunner(deps);
  withJson(metrics.command('import <workspaceUri> <path>'))
    .description('show SpikeInterface quality/template metrics or phy cluster_*.tsv columns as units-table columns of a sorting')
    .requiredOption('--sorting-id <id>', 'the sorting they describe (S-…, see "workspace show")')
    .option('--backend <uri>', 'Backend URI, gs://<bucket>/sortingview-backends/<label>.json (default $SORTINGVIEW_BACKEND)')
    .option('--kachery-storage-dir <dir>', 'kachery storage, as the relay uses it (default $KACHERY_STORAGE_DIR or ~/kachery-storage)')
    .addHelpText('after', `
<path> is one of:
  a SpikeInterface SortingAnalyzer folder (binary_folder): its quality_metrics and template_metrics
    extensions (extensions/<name>/metrics.csv), or one extension folder, or its metrics.csv;
  a phy/Kilosort folder: every cluster_*.tsv (cluster_info.tsv too), or one cluster_*.tsv file.
Numeric columns become metrics (NaN, empty and inf are shown empty); text columns (KSLabel, group)
are skipped, and the command says so. Unit ids must be integers.`)
    .action(run((uri: string, input: string, opts: SetUnitMetricsOptions) => metricsImport(uri, input, opts, deps)));
  return metrics;
}
