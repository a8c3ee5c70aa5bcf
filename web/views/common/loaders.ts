import { useMemo } from 'react';
import { unitSelectionForTask } from '../../../core/reducers/selection';
import { unitMetricsTask, unitsSummaryTask } from '../../../core/tasks/viewKwargs';
import type { TaskRecord } from '../../data/taskClient';
import { useTask } from '../../data/useTask';
import { useSelection, useSortingData } from '../../sorting/sortingContext';

/** sortingview.units_summary.1 */
export interface UnitSummaryRow {
  count: number;
  rate: string;
  firing_rate_hz: number;
  isi_violation_rate: number | null;
  peak_channel: number | null;
  snr: number | null;
}
export interface UnitsSummary {
  unit_ids: number[];
  units: Record<string, UnitSummaryRow>;
  num_frames: number;
  sampling_frequency: number;
  isi_threshold_msec: number;
  snippet_len: [number, number];
  spikes_per_unit: number;
}
/** fetch_unit_metrics.1 */
export type ExternalMetrics = { name: string; label: string; tooltip?: string; data: Record<string, number | null> }[];

export function useUnitsSummary(): { rec: TaskRecord | undefined; summary: UnitsSummary | null; spec: ReturnType<typeof unitsSummaryTask> } {
  const { ref } = useSortingData();
  const spec = useMemo(() => unitsSummaryTask(ref), [ref]);
  const rec = useTask(spec);
  return { rec, spec, summary: rec?.status === 'finished' ? (rec.result as UnitsSummary) : null };
}

export function useExternalMetrics(): { rec: TaskRecord | undefined; metrics: ExternalMetrics | null } {
  const { sorting } = useSortingData();
  const rec = useTask(sorting.unitMetricsUri ? unitMetricsTask(sorting.unitMetricsUri) : null);
  return { rec, metrics: rec?.status === 'finished' ? (rec.result as ExternalMetrics) : null };
}

/** What tasks are asked about for a unit: its id, or with merges applied its merge group. */
export function useUnitSelectionForTask(): (unitId: number) => number | number[] {
  const { selection } = useSelection();
  const { applyMerges, mergeGroups } = selection;
  return useMemo(() => (u: number) => unitSelectionForTask({ applyMerges, mergeGroups }, u), [applyMerges, mergeGroups]);
}

/** The merge group a displayed unit stands for (merges applied), else undefined. */
export function useGroupOf(): (unitId: number) => number[] | undefined {
  const { selection } = useSelection();
  const { applyMerges, mergeGroups } = selection;
  return useMemo(() => (u: number) => (applyMerges ? mergeGroups.find((g) => g[0] === u) : undefined), [applyMerges, mergeGroups]);
}

/** µV per raw unit of the recording, when it has a gain. */
export function useGainUvPerBit(): number | null {
  const { recordingInfo } = useSortingData();
  return (recordingInfo as { gain_uv_per_bit?: number | null } | null)?.gain_uv_per_bit ?? null;
}
