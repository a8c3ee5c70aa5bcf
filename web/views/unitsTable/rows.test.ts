import { describe, expect, it } from 'vitest';
import type { UnitsSummary } from '../common/loaders';
import { buildRows, columnsFor, sortRows } from './rows';

const summary: UnitsSummary = {
  unit_ids: [1, 2, 3], num_frames: 60000, sampling_frequency: 30000, isi_threshold_msec: 2.5, snippet_len: [50, 80], spikes_per_unit: 500,
  units: {
    1: { count: 10, rate: '5.00', firing_rate_hz: 5, isi_violation_rate: 0, peak_channel: 3, snr: 8.5 },
    2: { count: 30, rate: '15.00', firing_rate_hz: 15, isi_violation_rate: 0.1, peak_channel: 1, snr: null },
    3: { count: 20, rate: '10.00', firing_rate_hz: 10, isi_violation_rate: 0.02, peak_channel: 2, snr: 4 },
  },
};

describe('units table rows', () => {
  it('builds rows with labels and metrics; a merge group sums counts and rates', () => {
    const rows = buildRows([1, 2], summary, [{ name: 'q', label: 'Quality', data: { 1: 0.5 } }], { 1: ['accept'], 3: ['mua'] }, (u) => (u === 2 ? [2, 3] : undefined));
    expect(rows[0]).toEqual({ unitId: 1, labels: ['accept'], values: { count: 10, firing_rate_hz: 5, isi_violation_rate: 0, peak_channel: 3, snr: 8.5, 'ext:q': 0.5 } });
    // A merge group: summed counts and rates; no member's ISI violations, peak channel, SNR or external value.
    expect(rows[1]).toEqual({ unitId: 2, group: [2, 3], labels: ['mua'], values: { count: 50, firing_rate_hz: 25 } });
    expect(columnsFor([{ name: 'q', label: 'Quality', data: {} }]).map((c) => c.label)).toContain('Quality');
  });

  it('a merge group\'s own row (merge_group_summary.1) replaces the sums once it has come; external metrics stay out', () => {
    const own = { count: 50, rate: '25.00', firing_rate_hz: 25, isi_violation_rate: 0.3, peak_channel: 2, snr: 6.5, spikes_per_unit: 100 };
    const asked: number[][] = [];
    const rows = buildRows([1, 2], summary, [{ name: 'q', label: 'Quality', data: { 2: 0.5 } }], {}, (u) => (u === 2 ? [3, 2] : undefined), (g) => { asked.push(g); return own; });
    expect(asked).toEqual([[3, 2]]);
    expect(rows[1]).toEqual({ unitId: 2, group: [3, 2], labels: [], values: { count: 50, firing_rate_hz: 25, isi_violation_rate: 0.3, peak_channel: 2, snr: 6.5 } });
    // Sorting by SNR uses the group's own value (6.5), not a member's (null for 2, 4 for 3).
    expect(sortRows(rows, 'snr', 1).map((r) => r.unitId)).toEqual([2, 1]);
    // Its own row comes even before the table's summary.
    expect(buildRows([2], null, null, {}, () => [2, 3], () => own)[0].values.snr).toBe(6.5);
  });

  it('sorts by any column, stable, missing values last', () => {
    const rows = buildRows([1, 2, 3], summary, null, { 2: ['reject'] }, () => undefined);
    expect(sortRows(rows, 'count', -1).map((r) => r.unitId)).toEqual([2, 3, 1]);
    expect(sortRows(rows, 'snr', 1).map((r) => r.unitId)).toEqual([3, 1, 2]);
    expect(sortRows(rows, 'snr', -1).map((r) => r.unitId)).toEqual([1, 3, 2]);
    expect(sortRows(rows, 'labels', 1).map((r) => r.unitId)).toEqual([2, 1, 3]);
    expect(sortRows(rows, 'unitId', -1).map((r) => r.unitId)).toEqual([3, 2, 1]);
  });

  it('shows rows before the metrics arrive', () => {
    expect(buildRows([5], null, null, {}, () => undefined)).toEqual([{ unitId: 5, labels: [], values: {} }]);
  });
});
