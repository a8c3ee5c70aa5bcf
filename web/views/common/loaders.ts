import { useMemo } from 'react';
import { unitSelectionForTask } from '../../../core/reducers/selection';
import { unitMetricsRequest, type UnitMetric } from '../../../core/tasks/contracts/unitMetrics';
import { mergeGroupSummaryRequest, unitsSummaryRequest, type MergeGroupSummary, type UnitsSummary } from '../../../core/tasks/contracts/unitsTable';
import { finishedResult, type TaskRecord } from '../../data/taskClient';
import { useTask, useTasks } from '../../data/useTask';
import { useSelection, useSortingData } from '../../sorting/sortingContext';

export type { UnitsSummary, UnitSummaryRow } from '../../../core/tasks/contracts/unitsTable';
/** fetch_unit_metrics.1 */
export type ExternalMetrics = UnitMetric[];

export function useUnitsSummary(): { rec: TaskRecord<UnitsSummary> | undefined; summary: UnitsSummary | null; spec: ReturnType<typeof unitsSummaryRequest> } {
  const { ref } = useSortingData();
  const spec = useMemo(() => unitsSummaryRequest(ref), [ref]);
  const rec = useTask(spec);
  return { rec, spec, summary: finishedResult(rec) };
}

export function useExternalMetrics(): { rec: TaskRecord<ExternalMetrics> | undefined; metrics: ExternalMetrics | null } {
  const { sorting } = useSortingData();
  const rec = useTask(sorting.unitMetricsUri ? unitMetricsRequest(sorting.unitMetricsUri) : null);
  return { rec, metrics: finishedResult(rec) };
}

/**
 * The units-table rows of the displayed merge groups (merges applied), one task per group so a new
 * merge computes one row. `groupSummary(group)` is null until the group's row has come.
 */
export function useMergeGroupSummaries(displayed: readonly number[], groupOf: (u: number) => number[] | undefined):
  { groupSummary: (group: number[]) => MergeGroupSummary | null; recs: TaskRecord<MergeGroupSummary>[] } {
  const { ref } = useSortingData();
  const specs = useMemo(() => displayed.flatMap((u) => { const g = groupOf(u); return g ? [mergeGroupSummaryRequest(ref, g)] : []; }), [displayed, groupOf, ref]);
  const recs = useTasks(specs);
  // useTasks answers a new array on each render; the rows change only when a group's status does.
  const statusKey = recs.map((r) => r?.status ?? '-').join();
  return useMemo(() => {
    const byKey = new Map(specs.map((s, i) => [(s.kwargs.unit_ids as number[]).join(','), finishedResult(recs[i])]));
    const groupSummary = (g: number[]) => byKey.get([...g].sort((a, b) => a - b).join(',')) ?? null;
    return { groupSummary, recs: recs.filter((r): r is TaskRecord<MergeGroupSummary> => r !== undefined) };
    // eslint-disable-next-line react-hooks/exhaustive-deps -- recs is read when statusKey changes (above)
  }, [specs, statusKey]);
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
