import type { VisibleUnitsFilter } from '../route';

/** The units the "Visible units" filter keeps (null: all), from their curation labels. Pure. */
export function visibleUnitsFor(filter: VisibleUnitsFilter, unitIds: readonly number[] | null, labelsByUnit: Record<string, string[]>): number[] | null {
  if (filter === 'all' || !unitIds) return null;
  if (filter === 'accepted') return unitIds.filter((u) => labelsByUnit[String(u)]?.includes('accept'));
  return unitIds.filter((u) => !labelsByUnit[String(u)]?.includes('reject'));
}
