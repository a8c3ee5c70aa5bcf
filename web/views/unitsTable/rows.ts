import type { MergeGroupSummary } from '../../../core/tasks/contracts/unitsTable';
import type { ExternalMetrics, UnitsSummary } from '../common/loaders';

/**
 * The units table's rows and columns, pure: one row per displayed unit, sortable by any column.
 * A merge group is one row, shown as its smallest unit: its own metrics once its
 * merge_group_summary.1 has come (computed on the merged spikes); until then summed event counts and
 * rates (exact for a merge) and the rest pending, never a member's value. External metrics are the
 * lab's, per original unit: a group has none.
 */
export interface UnitRow {
  unitId: number;
  group?: number[];
  labels: string[];
  values: Record<string, number | null>;
}

export interface Column {
  key: string;
  label: string;
  tooltip?: string;
  format(v: number | null): string;
}

const fixed = (d: number) => (v: number | null) => (v === null || !Number.isFinite(v) ? '' : v.toFixed(d));
const sig4 = (v: number | null) => (v === null || !Number.isFinite(v) ? '' : String(Number(v.toPrecision(4))));

export function columnsFor(external: ExternalMetrics | null, isiThresholdMsec = 2.5): Column[] {
  return [
    { key: 'count', label: 'Num. events', format: fixed(0) },
    { key: 'firing_rate_hz', label: 'Firing rate (Hz)', format: fixed(2) },
    { key: 'isi_violation_rate', label: 'ISI viol.', tooltip: `ISI violation rate (refractory period ${isiThresholdMsec} ms, Hill et al.)`, format: sig4 },
    { key: 'peak_channel', label: 'Peak chan.', format: fixed(0) },
    { key: 'snr', label: 'SNR', tooltip: 'Peak-to-peak of the mean waveform on the peak channel over the noise (median absolute deviation / 0.6745)', format: fixed(2) },
    ...(external ?? []).map((m) => ({ key: `ext:${m.name}`, label: m.label || m.name, tooltip: m.tooltip, format: sig4 })),
  ];
}

const WAVEFORM_COLUMNS = ['count', 'firing_rate_hz', 'isi_violation_rate', 'peak_channel', 'snr'] as const;

export function buildRows(
  displayed: readonly number[], summary: UnitsSummary | null, external: ExternalMetrics | null,
  labelsByUnit: Record<string, string[]>, groupOf: (u: number) => number[] | undefined,
  groupSummary: (group: number[]) => MergeGroupSummary | null = () => null,
): UnitRow[] {
  return displayed.map((unitId) => {
    const group = groupOf(unitId);
    const members = group ?? [unitId];
    const values: Record<string, number | null> = {};
    const own = group ? groupSummary(group) : summary?.units[String(unitId)];
    if (own) {
      for (const key of WAVEFORM_COLUMNS) values[key] = own[key];
    } else if (group && summary?.units[String(unitId)]) {
      values.count = members.reduce((n, u) => n + (summary.units[String(u)]?.count ?? 0), 0);
      values.firing_rate_hz = members.reduce((n, u) => n + (summary.units[String(u)]?.firing_rate_hz ?? 0), 0);
    }
    if (!group) for (const m of external ?? []) values[`ext:${m.name}`] = m.data[String(unitId)] ?? null;
    const labels = [...new Set(members.flatMap((u) => labelsByUnit[String(u)] ?? []))].sort();
    return group ? { unitId, group, labels, values } : { unitId, labels, values };
  });
}

export type SortKey = 'unitId' | 'labels' | string;

/** Stable sort; missing values last in either direction. */
export function sortRows(rows: readonly UnitRow[], key: SortKey, dir: 1 | -1): UnitRow[] {
  const value = (r: UnitRow): number | string | null => (key === 'unitId' ? r.unitId : key === 'labels' ? r.labels.join(',') || null : r.values[key] ?? null);
  return rows.map((r, i) => ({ r, i, v: value(r) })).sort((a, b) => {
    if (a.v === null || b.v === null) return a.v === b.v ? a.i - b.i : a.v === null ? 1 : -1;
    const c = typeof a.v === 'number' && typeof b.v === 'number' ? a.v - b.v : String(a.v).localeCompare(String(b.v));
    return c !== 0 ? c * dir : a.i - b.i;
  }).map((x) => x.r);
}
