import { mergedUnitId, type CurationState } from '../reducers/curation';

/**
 * The units an export lists: the sorting's units when known, plus every unit the curation mentions
 * (a label or a merge), ascending. Without the sorting's unit list only curated units appear.
 */
export function exportedUnitIds(curation: CurationState, sortingUnitIds: readonly number[] | null): number[] {
  const ids = new Set<number>(sortingUnitIds ?? []);
  for (const key of Object.keys(curation.labelsByUnit)) ids.add(Number(key));
  for (const group of curation.mergeGroups) for (const u of group) ids.add(u);
  return [...ids].sort((a, b) => a - b);
}

/** Unit → the id of its merged unit (the smallest id of its group, as 2021's curated sorting shows it). */
export function mergeTargets(curation: CurationState): Map<number, number> {
  const out = new Map<number, number>();
  for (const group of curation.mergeGroups) {
    const target = mergedUnitId(group);
    for (const u of group) out.set(u, target);
  }
  return out;
}

/** Units the curation mentions that the sorting does not have (stale labels after a re-sort). */
export function unitsNotInSorting(curation: CurationState, sortingUnitIds: readonly number[] | null): number[] {
  if (!sortingUnitIds) return [];
  const known = new Set(sortingUnitIds);
  return exportedUnitIds(curation, null).filter((u) => !known.has(u));
}
