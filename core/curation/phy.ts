import type { CurationAction } from '../reducers/curationActions';
import type { CurationState } from '../reducers/curation';
import { apiUnitLabelSchema } from './appendRules';
import { CurationError } from './errors';
import { exportedUnitIds, mergeTargets, unitsNotInSorting } from './units';

/**
 * phy's curation files (a phy/Kilosort folder), written from and read into a sortingview curation.
 *
 * Export (`exportPhy`):
 * - `cluster_group.tsv` (`cluster_id\tgroup`), phy's manual quality: accept → good, reject and noise →
 *   noise, mua → mua, anything else → unsorted. A unit with conflicting labels gets the most cautious
 *   group: noise over mua over good.
 * - every other label (artifact, the lab's own) → `cluster_<label>.tsv` (`cluster_id\t<label>`, value
 *   `true` for the units that carry it); phy shows it as a column. Names are made file-safe, and names
 *   phy or Kilosort use themselves (group, KSLabel, Amplitude, …) get an `sv_` prefix.
 * - merges → `cluster_merge_group.tsv` (`cluster_id\tmerge_group`, the smallest unit id of its group).
 *   phy cannot load a merge from a TSV (a merge rewrites spike_clusters.npy), so the column shows
 *   which clusters to merge (select them, press G); the labels stay those of the original units.
 * Units: every unit of the sorting when its unit list is known, else the units the curation mentions.
 *
 * Import (`phyImportActions`): `cluster_group.tsv` → ADD_UNIT_LABEL actions (good → accept, mua → mua,
 * noise → noise, unsorted → none, other values kept as written), for units that have no label yet.
 */

export type PhyGroup = 'good' | 'mua' | 'noise' | 'unsorted';

export const PHY_GROUP_OF_LABEL: Readonly<Record<string, Exclude<PhyGroup, 'unsorted'>>> = Object.freeze({
  accept: 'good', reject: 'noise', noise: 'noise', mua: 'mua',
});
export const LABEL_OF_PHY_GROUP: Readonly<Record<PhyGroup, string | null>> = Object.freeze({
  good: 'accept', mua: 'mua', noise: 'noise', unsorted: null,
});
/** Most cautious first. */
const GROUP_PRECEDENCE: readonly PhyGroup[] = ['noise', 'mua', 'good'];

/** The phy group of a unit's labels (`unsorted` when none maps). */
export function phyGroupOf(labels: readonly string[]): PhyGroup {
  const groups = new Set(labels.map((l) => PHY_GROUP_OF_LABEL[l]).filter(Boolean));
  return GROUP_PRECEDENCE.find((g) => groups.has(g as Exclude<PhyGroup, 'unsorted'>)) ?? 'unsorted';
}

/** Labels that map to a group, and whether they disagree (so the export notes it). */
function conflicting(labels: readonly string[]): boolean {
  return new Set(labels.map((l) => PHY_GROUP_OF_LABEL[l]).filter(Boolean)).size > 1;
}

export interface ExportedFile {
  name: string;
  content: string;
}
export interface CurationExport {
  files: ExportedFile[];
  /** Things the user should know (conflicts resolved, units the sorting lacks, …), one line each. */
  notes: string[];
}

/** Field names phy or Kilosort write themselves; a label of that name gets an `sv_` prefix. */
const RESERVED_FIELDS = new Set(['group', 'merge_group', 'id', 'cluster_id', 'info', 'kslabel', 'contampct', 'amplitude', 'amp', 'ch', 'depth', 'fr', 'n_spikes', 'sh']);

/** A label as a phy field name and file suffix: letters, digits, `_`, `-`; unique among `taken` (case-insensitively). */
export function phyFieldName(label: string, taken: Set<string>): string {
  let base = label.replace(/[^A-Za-z0-9_-]+/g, '_').replace(/^_+|_+$/g, '') || 'label';
  if (RESERVED_FIELDS.has(base.toLowerCase())) base = `sv_${base}`;
  let name = base;
  for (let k = 2; taken.has(name.toLowerCase()); k++) name = `${base}_${k}`;
  taken.add(name.toLowerCase());
  return name;
}

const tsv = (header: [string, string], rows: [number, string][]) =>
  `${header.join('\t')}\n${rows.map(([id, v]) => `${id}\t${v}\n`).join('')}`;

export function exportPhy(curation: CurationState, sortingUnitIds: readonly number[] | null): CurationExport {
  const units = exportedUnitIds(curation, sortingUnitIds);
  const labelsOf = (u: number) => curation.labelsByUnit[String(u)] ?? [];
  const notes: string[] = [];

  const groupRows = units.map((u): [number, string] => [u, phyGroupOf(labelsOf(u))]);
  const files: ExportedFile[] = [{ name: 'cluster_group.tsv', content: tsv(['cluster_id', 'group'], groupRows) }];
  const conflicts = units.filter((u) => conflicting(labelsOf(u)));
  if (conflicts.length) notes.push(`${conflicts.length} unit(s) carry labels that disagree (${conflicts.slice(0, 10).join(', ')}${conflicts.length > 10 ? ', …' : ''}): exported with the most cautious group (noise, then mua, then good)`);

  const custom = [...new Set(units.flatMap(labelsOf))].filter((l) => !(l in PHY_GROUP_OF_LABEL)).sort();
  const taken = new Set<string>();
  for (const label of custom) {
    const field = phyFieldName(label, taken);
    const rows = units.filter((u) => labelsOf(u).includes(label)).map((u): [number, string] => [u, 'true']);
    files.push({ name: `cluster_${field}.tsv`, content: tsv(['cluster_id', field], rows) });
    if (field !== label) notes.push(`label ${JSON.stringify(label)} is written as phy field ${field} (cluster_${field}.tsv)`);
  }

  const targets = mergeTargets(curation);
  if (targets.size) {
    const rows = [...targets].sort(([a], [b]) => a - b);
    files.push({ name: 'cluster_merge_group.tsv', content: tsv(['cluster_id', 'merge_group'], rows.map(([u, t]): [number, string] => [u, String(t)])) });
    notes.push(`${curation.mergeGroups.length} merge group(s) are in cluster_merge_group.tsv: phy cannot load merges from a file; merge those clusters in phy (select them, press G)`);
  }
  const stale = unitsNotInSorting(curation, sortingUnitIds);
  if (stale.length) notes.push(`the curation names ${stale.length} unit(s) the sorting does not have (${stale.slice(0, 10).join(', ')}${stale.length > 10 ? ', …' : ''}); they are exported too`);
  if (!sortingUnitIds) notes.push('the sorting\'s unit list is not known: only units with labels or merges are listed');
  return { files, notes };
}

/**
 * A phy cluster TSV (`cluster_group.tsv`, `cluster_KSLabel.tsv`, …) → cluster id → value, read the way
 * phy reads it: tab-separated, a header row, the `cluster_id` column (else the first) and the
 * `column` column (else the other one). Blank lines are skipped; CRLF is fine.
 */
export function parsePhyClusterTsv(text: string, fileName: string, column?: string): Map<number, string> {
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/).map((l, i) => ({ l, n: i + 1 })).filter(({ l }) => l.trim() !== '');
  if (!lines.length) throw new CurationError(`${fileName} is empty: expected a header such as "cluster_id\tgroup"`, 'bad-file');
  const header = lines[0].l.split('\t').map((s) => s.trim());
  if (header.length < 2) throw new CurationError(`${fileName}: the header ${JSON.stringify(lines[0].l)} has no tab-separated columns (expected "cluster_id\tgroup")`, 'bad-file');
  const idCol = header.includes('cluster_id') ? header.indexOf('cluster_id') : 0;
  const valueCol = column && header.includes(column) ? header.indexOf(column) : header.findIndex((_, i) => i !== idCol);
  const out = new Map<number, string>();
  for (const { l, n } of lines.slice(1)) {
    const cells = l.split('\t');
    const id = Number(cells[idCol]?.trim());
    if (cells[idCol]?.trim() === '' || !Number.isSafeInteger(id)) {
      throw new CurationError(`${fileName} line ${n}: ${JSON.stringify(cells[idCol] ?? '')} is not an integer cluster id`, 'bad-file');
    }
    out.set(id, (cells[valueCol] ?? '').trim());
  }
  return out;
}

export interface PhyImport {
  actions: Extract<CurationAction, { type: 'ADD_UNIT_LABEL' }>[];
  /** Units that get a label. */
  labelled: number;
  /** Units skipped because the curation already labels them. */
  alreadyLabelled: number[];
  /** Clusters the sorting does not have. */
  unknownUnits: number[];
  /** Values that are not usable labels (too long, control characters). */
  badValues: string[];
}

/**
 * ADD_UNIT_LABEL actions (one per label, units ascending) that bring phy's groups into a curation as
 * initial labels. A unit the curation labels already is left alone, so importing twice adds nothing.
 */
export function phyImportActions(groups: ReadonlyMap<number, string>, current: CurationState, sortingUnitIds: readonly number[] | null): PhyImport {
  const known = sortingUnitIds ? new Set(sortingUnitIds) : null;
  const byLabel = new Map<string, number[]>();
  const result: PhyImport = { actions: [], labelled: 0, alreadyLabelled: [], unknownUnits: [], badValues: [] };
  for (const [unit, value] of [...groups].sort(([a], [b]) => a - b)) {
    const v = value.trim();
    const label = v.toLowerCase() in LABEL_OF_PHY_GROUP ? LABEL_OF_PHY_GROUP[v.toLowerCase() as PhyGroup] : v;
    if (!label) continue;
    if (!apiUnitLabelSchema.safeParse(label).success) {
      if (!result.badValues.includes(label)) result.badValues.push(label);
      continue;
    }
    if (known && !known.has(unit)) {
      result.unknownUnits.push(unit);
      continue;
    }
    if ((current.labelsByUnit[String(unit)] ?? []).length) {
      result.alreadyLabelled.push(unit);
      continue;
    }
    byLabel.set(label, [...(byLabel.get(label) ?? []), unit]);
    result.labelled += 1;
  }
  for (const [label, unitId] of [...byLabel].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    result.actions.push({ type: 'ADD_UNIT_LABEL', unitId, label });
  }
  return result;
}
