import { copyFileSync, existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Command } from 'commander';
import {
  attributionOf, backendLabels, cachedSortingInfoUnitIds, exportPhy, exportSpikeInterfaceFile, parsePhyClusterTsv, phyImportActions,
  type CurationExport,
} from '../../core/curation';
import { siStringUnitIds } from '../formats/siSorting';
import { parseClusterSiUnitIds, SI_UNIT_IDS_FILE, siUnitIdsFor, type SiUnitId } from '../../core/curation/siUnitIds';
import { appendMessages, curationSubfeedHash, formatWorkspaceUri, loadWorkspace, parseWorkspaceUri, readFeed } from '../../core/feeds';
import type { BlobStore } from '../../core/ports/blobStore';
import { replayCuration, type CurationState } from '../../core/reducers/curation';
import type { WorkspaceSorting } from '../../core/reducers/workspaceActions';
import { cliRunner, withJson } from './cliAction';
import { CliError } from '../cliErrors';
import type { WorkspaceDeps } from './workspace';
import { checkWorkspaceCredentials, cliUser, kacheryStorageDir, resolveTarget, type WorkspaceCommonOptions } from './workspaceContext';

/**
 * `sortingview curation export | import`: a sorting's curation log ⇄ phy and SpikeInterface files.
 * The conversions are pure (core/curation/phy.ts, spikeInterface.ts); these shells find the
 * sorting, replay its log, find its unit ids, and read or write the files.
 *
 * Unit ids (so exports list every unit, and imports skip clusters the sorting lacks): the cached
 * `sorting_info.3` result of the backend (then of any backend of the deployment); else the sorting's
 * own files, read here as the relay would (this CLI runs next to the data); else only the units the
 * curation names, with a note.
 */

export interface CurationDeps extends WorkspaceDeps {
  /** Reads a sorting object's unit ids from its files (wired to relay/formats in cli.ts). */
  localUnitIds?: (sortingObject: Record<string, unknown>, kacheryDir: string) => Promise<number[]>;
}

interface SortingOptions extends WorkspaceCommonOptions {
  sortingId: string;
}
export interface CurationExportOptions extends SortingOptions {
  format: string;
  /** Default: a folder (phy) or file (spikeinterface) of its own in the working directory. */
  out?: string;
  /** Replace files that exist, after keeping a copy of each. */
  force?: boolean;
}
export interface CurationImportOptions extends SortingOptions {
  phyFolder: string;
}

const FORMATS = ['phy', 'spikeinterface'] as const;

async function openSorting(workspaceUri: string, opts: SortingOptions, deps: CurationDeps) {
  const { feedId } = parseWorkspaceUri(workspaceUri);
  const target = resolveTarget(opts, deps.env);
  checkWorkspaceCredentials(deps.env);
  const stores = deps.openStores(target);
  const { state } = await loadWorkspace(stores.public, feedId);
  const sorting = state.sortings.find((s) => s.sortingId === opts.sortingId);
  if (!sorting) {
    const known = state.sortings.map((s) => `${s.sortingId} (${s.sortingLabel})`);
    throw new CliError(`${formatWorkspaceUri({ feedId })} has no sorting ${opts.sortingId}. ${known.length ? `Its sortings: ${known.join(', ')}` : 'It has no sortings yet.'}`);
  }
  const subfeed = curationSubfeedHash(sorting.sortingId);
  const log = await readFeed(stores.public, feedId, subfeed);
  const { state: curation, ignored } = replayCuration(log.map((m) => m.message));
  if (ignored.length) deps.stderr(`Note: ${ignored.length} of ${log.length} curation messages were not applied (positions ${ignored.map((i) => i.position).join(', ')}).`);
  return { feedId, target, stores, sorting, subfeed, curation };
}

async function unitIdsOf(sorting: WorkspaceSorting, store: BlobStore, label: string, opts: WorkspaceCommonOptions, deps: CurationDeps): Promise<number[] | null> {
  const others = (await backendLabels(store).catch(() => [])).filter((l) => l !== label);
  const cached = await cachedSortingInfoUnitIds(store, sorting.sortingPath, [label, ...others]);
  if (cached) return cached;
  if (deps.localUnitIds) {
    try {
      return await deps.localUnitIds(sorting.sortingObject, kacheryStorageDir(opts, deps.env, deps.cwd));
    } catch (err) {
      deps.stderr(`Note: could not read the unit ids from the sorting's files (${(err as Error).message}).`);
    }
  }
  return null;
}

/**
 * A phy folder written by SpikeInterface's `export_to_phy` holds `cluster_si_unit_ids.tsv`: its cluster
 * ids → the analyzer's unit ids, for every unit of the sorting (else an error saying why they cannot be
 * told). Null for other sortings, or a phy folder without that file.
 */
function phySiUnitIds(sorting: WorkspaceSorting, unitIds: readonly number[]): SiIdMap | null {
  const obj = sorting.sortingObject as { sorting_format?: unknown; data?: { folder?: unknown } };
  if (obj.sorting_format !== 'phy' || typeof obj.data?.folder !== 'string') return null;
  const file = join(obj.data.folder, SI_UNIT_IDS_FILE);
  if (!existsSync(file)) return null;
  const st = statSync(file);
  if (st.size > MAX_SI_UNIT_IDS_BYTES) throw new CliError(`${file} is ${st.size} bytes; a ${SI_UNIT_IDS_FILE} is at most ${MAX_SI_UNIT_IDS_BYTES}`);
  return { kind: 'phy', file, map: siUnitIdsFor(parseClusterSiUnitIds(readFileSync(file, 'utf8'), file), unitIds, file) };
}

interface SiIdMap { kind: 'phy' | 'si'; file: string; map: Map<number, SiUnitId> }

/**
 * A SpikeInterface NumpyFolderSorting (an analyzer's `sorting/` too) whose unit ids are strings: sortingview
 * uses "0", "12" as 0, 12 and numbers other strings by position (relay/formats/siSorting.ts `siUnitIds`),
 * but apply_curation compares SpikeInterface's own ids, so the export names those, read from
 * `numpysorting_info.json`. Null when the ids are ints (the same in both) or the file is not here.
 */
function siFolderUnitIds(sorting: WorkspaceSorting): SiIdMap | null {
  const obj = sorting.sortingObject as { sorting_format?: unknown; data?: { folder?: unknown } };
  if (obj.sorting_format !== 'si_numpy_folder' || typeof obj.data?.folder !== 'string') return null;
  let found: ReturnType<typeof siStringUnitIds>;
  try {
    found = siStringUnitIds(obj.data.folder, MAX_SI_UNIT_IDS_BYTES);
  } catch (err) {
    throw new CliError((err as Error).message, { cause: err });
  }
  return found ? { kind: 'si', file: found.file, map: new Map(found.ours.map((u, i) => [u, found.theirs[i]!])) } : null;
}
const MAX_SI_UNIT_IDS_BYTES = 16 * 1024 * 1024;

/** Where an export goes without --out: its own folder / file, never a sorter's output folder. */
export const defaultExportPath = (format: 'phy' | 'spikeinterface', sortingId: string) =>
  format === 'phy' ? `sortingview-curation-${sortingId}` : `sortingview-curation-${sortingId}.json`;

/** `cluster_group.tsv.before-sortingview-20261203T081500Z`: beside the file, never overwriting an earlier copy. */
function backupName(path: string, nowMs: number): string {
  const stamp = new Date(nowMs).toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z');
  let name = `${path}.before-sortingview-${stamp}`;
  for (let i = 2; existsSync(name); i++) name = `${path}.before-sortingview-${stamp}-${i}`;
  return name;
}

export async function curationExport(workspaceUri: string, opts: CurationExportOptions, deps: CurationDeps): Promise<{ files: string[]; kept: string[]; curation: CurationState }> {
  const format = opts.format?.toLowerCase();
  if (format !== 'phy' && format !== 'spikeinterface') throw new CliError(`--format must be one of ${FORMATS.join(', ')} (got ${JSON.stringify(opts.format)})`);
  const outArg = opts.out ?? defaultExportPath(format, opts.sortingId);
  const out = resolve(deps.cwd, outArg);
  const { sorting, stores, target, curation } = await openSorting(workspaceUri, opts, deps);
  const unitIds = await unitIdsOf(sorting, stores.public, target.label, opts, deps);

  let exported: CurationExport;
  let paths: string[];
  if (format === 'phy') {
    if (existsSync(out) && !statSync(out).isDirectory()) throw new CliError(`--out ${outArg} is a file; for phy give a folder (by default sortingview writes to ${defaultExportPath('phy', opts.sortingId)}/)`);
    exported = exportPhy(curation, unitIds);
    paths = exported.files.map((f) => join(out, f.name));
  } else {
    if (existsSync(out) && statSync(out).isDirectory()) throw new CliError(`--out ${outArg} is a folder; give a file name such as ${join(outArg, 'curation.json')}`);
    if (!unitIds) {
      throw new CliError(`The sorting's unit list is not known here, and SpikeInterface's apply_curation takes only a curation that lists exactly the sorting's units. `
        + 'Run this where the sorting\'s files are (next to the relay, with the same --kachery-storage-dir), or open the sorting once in the web app (its units table caches the list), then export again.');
    }
    const siUnitIds = phySiUnitIds(sorting, unitIds) ?? siFolderUnitIds(sorting);
    if (siUnitIds?.kind === 'phy') deps.stderr(`Note: ${siUnitIds.file} (SpikeInterface's export_to_phy) maps the phy clusters to SpikeInterface unit ids: the export names those, for apply_curation on the analyzer's sorting (export_to_phy leaves out empty units: if it has any, apply it to sorting.remove_empty_units())`);
    if (siUnitIds?.kind === 'si') deps.stderr(`Note: the export names the units by SpikeInterface's own (string) unit ids, from ${siUnitIds.file}`);
    exported = exportSpikeInterfaceFile(curation, unitIds, 'curation.json', { siUnitIds: siUnitIds?.map });
    paths = [out];
  }
  // Never lose a file: phy's own cluster_group.tsv (a person's work in phy) or an earlier export.
  const existing = paths.filter((p) => existsSync(p));
  if (existing.length && !opts.force) {
    const names = existing.map((p) => (format === 'phy' ? p.slice(out.length + 1) : p));
    throw new CliError(`${format === 'phy' ? `--out ${outArg} already has ${names.join(', ')}` : `${outArg} exists already`}: sortingview does not overwrite `
      + `${existing.length > 1 ? 'them' : 'it'}. Write somewhere new (leave out --out for ${defaultExportPath(format, opts.sortingId)}${format === 'phy' ? '/' : ''}, or pass another --out), `
      + 'or pass --force to replace, keeping a copy of each as <name>.before-sortingview-<time>.');
  }
  if (format === 'phy') mkdirSync(out, { recursive: true });
  const kept = existing.map((p) => {
    const copy = backupName(p, deps.now());
    copyFileSync(p, copy);
    return copy;
  });
  exported.files.forEach((f, i) => writeFileSync(paths[i], f.content));
  for (const n of exported.notes) deps.stderr(`Note: ${n}`);
  existing.forEach((p, i) => deps.stderr(`Kept the previous ${p} as ${kept[i]}`));
  if (format === 'phy' && existsSync(join(out, 'params.py'))) deps.stderr(`Note: ${outArg} is a phy folder: phy reads these files the next time it opens it.`);
  for (const p of paths) deps.stdout(`Wrote ${p}`);
  if (curation.isClosed) deps.stderr('Note: this curation is closed (finished).');
  return { files: paths, kept, curation };
}

export async function curationImport(workspaceUri: string, opts: CurationImportOptions, deps: CurationDeps): Promise<{ positions: number[] }> {
  const folder = resolve(deps.cwd, opts.phyFolder);
  let file = join(folder, 'cluster_group.tsv');
  let column = 'group';
  if (!existsSync(file)) {
    const ks = join(folder, 'cluster_KSLabel.tsv');
    if (!existsSync(ks)) throw new CliError(`${folder} has no cluster_group.tsv (phy's labels) or cluster_KSLabel.tsv (Kilosort's): is it a phy/Kilosort output folder?`);
    deps.stderr('Note: no cluster_group.tsv (the folder was never curated in phy); importing Kilosort\'s cluster_KSLabel.tsv instead.');
    file = ks;
    column = 'KSLabel';
  }
  const groups = parsePhyClusterTsv(readFileSync(file, 'utf8'), file, column);
  const { feedId, sorting, stores, target, subfeed, curation } = await openSorting(workspaceUri, opts, deps);
  if (curation.isClosed) throw new CliError(`The curation of ${sorting.sortingId} is closed: reopen it in the web app before importing labels`);
  const unitIds = await unitIdsOf(sorting, stores.public, target.label, opts, deps);
  const plan = phyImportActions(groups, curation, unitIds);
  if (plan.unknownUnits.length) deps.stderr(`Note: skipped ${plan.unknownUnits.length} cluster(s) the sorting does not have (${plan.unknownUnits.slice(0, 10).join(', ')}${plan.unknownUnits.length > 10 ? ', …' : ''}).`);
  if (plan.alreadyLabelled.length) deps.stderr(`Note: left ${plan.alreadyLabelled.length} unit(s) alone that the curation labels already.`);
  if (plan.badValues.length) deps.stderr(`Note: skipped values that are not usable labels: ${plan.badValues.map((v) => JSON.stringify(v)).join(', ')}.`);
  if (!plan.actions.length) {
    deps.stdout(`Nothing to import: no unlabelled unit of ${sorting.sortingId} has a phy label.`);
    return { positions: [] };
  }
  const { positions } = await appendMessages(stores.public, feedId, subfeed, plan.actions, { user: attributionOf(feedId, cliUser(deps.env)), now: deps.now });
  const counts = plan.actions.map((a) => `${a.label} ×${Array.isArray(a.unitId) ? a.unitId.length : 1}`);
  deps.stdout(`Imported ${plan.labelled} label(s) into the curation of ${sorting.sortingId}: ${counts.join(', ')}.`);
  return { positions };
}

/** Adds the `curation` command group to the CLI. */
export function addCurationCommands(program: Command, deps: CurationDeps): Command {
  const cur = program.command('curation').description('export a sorting\'s curation to phy or SpikeInterface, import phy labels');
  const common = (c: Command) => withJson(c)
    .option('--backend <uri>', 'Backend URI, gs://<bucket>/sortingview-backends/<label>.json (default $SORTINGVIEW_BACKEND)')
    .requiredOption('--sorting-id <id>', 'the sorting (S-…, see "workspace show")')
    .option('--kachery-storage-dir <dir>', 'kachery storage, to read the sorting\'s unit ids when no cached result has them (default $KACHERY_STORAGE_DIR or ~/kachery-storage)');
  const run = cliRunner(deps);

  common(cur.command('export <workspaceUri>'))
    .description('write the curation as phy files (cluster_group.tsv, …) or SpikeInterface curation JSON (format v2)')
    .requiredOption('--format <format>', 'phy or spikeinterface')
    .option('--out <path>', 'phy: a folder; spikeinterface: a .json file (default: sortingview-curation-<sorting id>[.json] here, a place of its own)')
    .option('--force', 'replace files that exist (e.g. phy\'s cluster_group.tsv), keeping a copy of each as <name>.before-sortingview-<time>')
    .addHelpText('after', `
Nothing is overwritten without --force, and with it each replaced file is kept beside the new one.
phy: cluster_group.tsv (accept → good, reject/noise → noise, mua → mua, others unsorted), one
cluster_<label>.tsv per other label, and cluster_merge_group.tsv naming each merge group (phy
cannot load merges from a file: merge those clusters in phy).
spikeinterface: format_version "2" JSON for spikeinterface.curation.apply_curation: quality
(good/mua/noise), every label as curated (sortingview_labels), merges, and reject/noise units
as removed.`)
    .action(run((uri: string, opts: CurationExportOptions) => curationExport(uri, opts, deps)));

  common(cur.command('import <workspaceUri>'))
    .description('append phy\'s labels (cluster_group.tsv) as initial labels of units that have none yet')
    .requiredOption('--phy-folder <dir>', 'the phy/Kilosort output folder')
    .action(run((uri: string, opts: CurationImportOptions) => curationImport(uri, opts, deps)));

  return cur;
}
