import { STANDARD_UNIT_LABELS } from '../reducers/curationActions';
import { mergedUnitId, type CurationState } from '../reducers/curation';
import { phyGroupOf, type CurationExport } from './phy';
import { CurationError } from './errors';
import type { SiUnitId } from './siUnitIds';
import { siCurationProblems, type SiCurationV2 } from './spikeInterfaceSchema';
import { unitsNotInSorting } from './units';

/**
 * A sortingview curation as SpikeInterface curation format v2 JSON (load it with
 * `spikeinterface.curation.apply_curation(sorting_or_analyzer, curation_dict)`):
 * - `label_definitions.quality` (exclusive: good, mua, noise): accept → good, reject and noise → noise,
 *   mua → mua, as in the phy export; conflicting labels resolve to the most cautious (noise, mua, good).
 * - `label_definitions.sortingview_labels` (not exclusive): each unit's labels exactly as curated,
 *   standard ones and the lab's own, so nothing is lost (SI makes a boolean property per label).
 * - `merges`: the merge groups, each with `new_unit_id` = its smallest unit id (sortingview's merged
 *   unit; SI's "take_first" with ascending groups).
 * - `removed`: units whose quality is noise (labelled reject or noise) and that are in no merge group
 *   (SI forbids removing a merged unit: the merge wins, and a note says so).
 * - `unit_ids`: exactly the sorting's units, in its order: `apply_curation` refuses any other list, so
 *   the export needs them (the shell refuses without), and labels or merges of units the sorting
 *   does not have (stale after a re-sort) are left out with a note.
 * - `siUnitIds` (a phy folder from SpikeInterface's `export_to_phy`, its `cluster_si_unit_ids.tsv`,
 *   siUnitIds.ts): every id written is the SpikeInterface unit id of its cluster (strings kept), so the
 *   file applies to the analyzer's sorting; a merge's `new_unit_id` is its smallest cluster's SI id.
 * The result is checked against SpikeInterface's rules (spikeInterfaceSchema.ts `siCurationProblems`,
 * with `unit_ids` = the sorting's units): what apply_curation would refuse is an error, never a file.
 */
export const SI_QUALITY_OPTIONS = ['good', 'mua', 'noise'] as const;
export const SI_LABELS_KEY = 'sortingview_labels';

export interface SiExportOptions {
  /** Cluster id → SpikeInterface unit id, for every unit of the sorting (siUnitIds.ts `siUnitIdsFor`). */
  siUnitIds?: ReadonlyMap<number, SiUnitId>;
}

export function exportSpikeInterface(curation: CurationState, sortingUnitIds: readonly number[], opts: SiExportOptions = {}): { json: SiCurationV2; notes: string[] } {
  const units = [...sortingUnitIds];
  const inSorting = new Set(units);
  const labelsOf = (u: number) => curation.labelsByUnit[String(u)] ?? [];
  const notes: string[] = [];
  const mergeGroups = curation.mergeGroups.map((g) => g.filter((u) => inSorting.has(u))).filter((g) => g.length > 1);
  const used = [...new Set(units.flatMap(labelsOf))];
  const custom = used.filter((l) => !(STANDARD_UNIT_LABELS as readonly string[]).includes(l)).sort();

  const manual_labels = units.filter((u) => labelsOf(u).length).map((u) => {
    const quality = phyGroupOf(labelsOf(u));
    return { unit_id: u, labels: { ...(quality === 'unsorted' ? {} : { quality: [quality] }), [SI_LABELS_KEY]: [...labelsOf(u)] } };
  });
  const merged = new Set(mergeGroups.flat());
  const noise = units.filter((u) => phyGroupOf(labelsOf(u)) === 'noise');
  const kept = noise.filter((u) => merged.has(u));
  if (kept.length) notes.push(`unit(s) ${kept.join(', ')} are labelled reject/noise but merged: SpikeInterface cannot both merge and remove a unit, so they are merged and not in "removed"`);
  const stale = unitsNotInSorting(curation, sortingUnitIds);
  if (stale.length) notes.push(`the curation names ${stale.length} unit(s) the sorting does not have (${stale.slice(0, 10).join(', ')}${stale.length > 10 ? ', …' : ''}): their labels and merges are left out, since SpikeInterface takes only the sorting's own units`);

  const map = opts.siUnitIds;
  const id = (u: number): SiUnitId => {
    if (!map) return u;
    const si = map.get(u);
    if (si === undefined) throw new CurationError(`no SpikeInterface unit id for unit ${u} of the sorting`, 'unknown-unit');
    return si;
  };
  const json: SiCurationV2 = {
    format_version: '2',
    unit_ids: units.map(id),
      label_definitions: {
        quality: { label_options: [...SI_QUALITY_OPTIONS], exclusive: true },
        [SI_LABELS_KEY]: { label_options: [...STANDARD_UNIT_LABELS, ...custom], exclusive: false },
      },
    manual_labels: manual_labels.map((m) => ({ ...m, unit_id: id(m.unit_id) })),
    merges: mergeGroups.map((g) => ({ unit_ids: g.map(id), new_unit_id: id(mergedUnitId(g)) })),
    splits: [],
    removed: noise.filter((u) => !merged.has(u)).map(id),
  };
  const problems = siCurationProblems(json, units.map(id));
  if (problems.length) {
    throw new CurationError(`The SpikeInterface export would be refused by apply_curation: ${problems.slice(0, 5).join('; ')}${problems.length > 5 ? '; …' : ''}`
      + (problems.some((p) => p.includes('is already a key')) ? ' (a label named "quality" clashes with the quality label SpikeInterface is given: rename it in sortingview)' : ''), 'bad-file');
  }
  return { json, notes };
}

/** The export as files: one JSON file. */
export function exportSpikeInterfaceFile(curation: CurationState, sortingUnitIds: readonly number[], name = 'curation.json', opts: SiExportOptions = {}): CurationExport {
  const { json, notes } = exportSpikeInterface(curation, sortingUnitIds, opts);
  return { files: [{ name, content: `${JSON.stringify(json, null, 2)}\n` }], notes };
}
