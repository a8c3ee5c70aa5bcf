import { STANDARD_UNIT_LABELS } from '../reducers/curationActions';
import { mergedUnitId, type CurationState } from '../reducers/curation';
import { phyGroupOf, type CurationExport } from './phy';
import type { SiCurationV2 } from './spikeInterfaceSchema';
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
 */
export const SI_QUALITY_OPTIONS = ['good', 'mua', 'noise'] as const;
export const SI_LABELS_KEY = 'sortingview_labels';

export function exportSpikeInterface(curation: CurationState, sortingUnitIds: readonly number[]): { json: SiCurationV2; notes: string[] } {
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

  return {
    json: {
      format_version: '2',
      unit_ids: units,
      label_definitions: {
        quality: { label_options: [...SI_QUALITY_OPTIONS], exclusive: true },
        [SI_LABELS_KEY]: { label_options: [...STANDARD_UNIT_LABELS, ...custom], exclusive: false },
      },
      manual_labels,
      merges: mergeGroups.map((g) => ({ unit_ids: [...g], new_unit_id: mergedUnitId(g) })),
      splits: [],
      removed: noise.filter((u) => !merged.has(u)),
    },
    notes,
  };
}

/** The export as files: one JSON file. */
export function exportSpikeInterfaceFile(curation: CurationState, sortingUnitIds: readonly number[], name = 'curation.json'): CurationExport {
  const { json, notes } = exportSpikeInterface(curation, sortingUnitIds);
  return { files: [{ name, content: `${JSON.stringify(json, null, 2)}\n` }], notes };
}
