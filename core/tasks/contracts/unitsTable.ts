import { z } from 'zod';
import { snippetTaskCost, sortingsCost } from '../cost';
import { requestOf, type TaskContract } from '../contract';
import { MAX_MERGE_GROUP_SIZE } from '../views/limits';
import { byUnitId, recordingAndSorting, unitIdSchema, unitsTableKwargsSchema, type SortingRef, type UnitsTableKwargs } from './kwargs';

/**
 * The units table (2021 `Units.tsx` metric plugins): each task takes `{recording_uri, sorting_uri,
 * snippet_len?, configuration?}` and answers `{[unitId]: value}` for every unit of the sorting.
 * `sortingview.units_summary.1` answers every column in one call, from one gather (the GUI asks only
 * for it; the single-metric tasks are 2021's, kept for its clients).
 */
const unitsTableContract = <R>(functionId: string, result: z.ZodType<R>, relayCost = snippetTaskCost): TaskContract<UnitsTableKwargs, R> =>
  ({ functionId, kind: 'pure', relayCost, kwargs: unitsTableKwargsSchema, result });

/** get_firing_data.1 → `{uid: {count, rate}}`, `rate` a 2-decimal string as in 2021. */
export const firingDataContract = unitsTableContract('get_firing_data.1', byUnitId(z.object({ count: z.number(), rate: z.string() })), sortingsCost(1));
/** get_isi_violation_rates.1 → `{uid: rate | null}` (Hill et al.; `configuration.isi_threshold_msec`, default 2.5; null for an empty unit). */
export const isiViolationRatesContract = unitsTableContract('get_isi_violation_rates.1', byUnitId(z.number().nullable()), sortingsCost(1));
/** get_peak_channels.1 → `{uid: channelId | null}`: argmax peak-to-peak of the unit's mean snippet (null: no spikes to average). */
export const peakChannelsContract = unitsTableContract('get_peak_channels.1', byUnitId(z.number().nullable()));
/** get_unit_snrs.1 → `{uid: snr | null}`: 2021's estimator on the peak channel (null: no spikes, one spike, flat channel). */
export const unitSnrsContract = unitsTableContract('get_unit_snrs.1', byUnitId(z.number().nullable()));

export const unitSummaryRowSchema = z.object({
  count: z.number(),
  rate: z.string(),
  firing_rate_hz: z.number(),
  isi_violation_rate: z.number().nullable(),
  peak_channel: z.number().nullable(),
  snr: z.number().nullable(),
});
export type UnitSummaryRow = z.infer<typeof unitSummaryRowSchema>;

/**
 * sortingview.units_summary.1 → `{unit_ids, units: {uid: row}, num_frames, sampling_frequency,
 * isi_threshold_msec, snippet_len, spikes_per_unit}`: every column of the units table from one
 * gather, values equal to the single-metric tasks'. `spikes_per_unit` is the sample size.
 */
export const unitsSummaryContract = unitsTableContract('sortingview.units_summary.1', z.object({
  unit_ids: z.array(z.number()),
  units: byUnitId(unitSummaryRowSchema),
  num_frames: z.number(),
  sampling_frequency: z.number(),
  isi_threshold_msec: z.number(),
  snippet_len: z.tuple([z.number(), z.number()]),
  spikes_per_unit: z.number(),
}));
export type UnitsSummary = z.infer<typeof unitsSummaryContract.result>;

/** Every column of the units table in one task (configuration at its defaults: omitted). */
export const unitsSummaryRequest = (ref: SortingRef) => requestOf(unitsSummaryContract, recordingAndSorting(ref));

/**
 * `{recording_uri, sorting_uri, unit_ids, snippet_len?, configuration?}`: a merge group's row of the
 * units table. `unit_ids` ascending, at least two (the curation reducer keeps groups so).
 */
export const mergeGroupSummaryKwargsSchema = unitsTableKwargsSchema.extend({
  unit_ids: z.array(unitIdSchema).min(2, 'a merge group lists at least two units').max(MAX_MERGE_GROUP_SIZE)
    .refine((ids) => ids.every((u, i) => i === 0 || u > ids[i - 1]!), 'a merge group lists its units once, in ascending order'),
}).strict();
export type MergeGroupSummaryKwargs = z.infer<typeof mergeGroupSummaryKwargsSchema>;

/**
 * sortingview.merge_group_summary.1 → one units-table row for the union of the group's spikes
 * (count, rates, ISI violations, peak channel and SNR computed on the merged unit, as units_summary.1
 * computes a unit's), so "Apply merges" shows the group's own metrics and never a member's.
 * Its own task, one per group, so a new merge computes one row and the table's task stays cached.
 */
export const mergeGroupSummaryContract: TaskContract<MergeGroupSummaryKwargs, MergeGroupSummary> = {
  functionId: 'sortingview.merge_group_summary.1',
  kind: 'pure',
  relayCost: snippetTaskCost,
  kwargs: mergeGroupSummaryKwargsSchema,
  result: unitSummaryRowSchema.extend({ spikes_per_unit: z.number() }),
};
export type MergeGroupSummary = UnitSummaryRow & { spikes_per_unit: number };

/** The row of a merge group (its ids in any order; sent ascending, each once). */
export const mergeGroupSummaryRequest = (ref: SortingRef, group: readonly number[]) =>
  requestOf(mergeGroupSummaryContract, { ...recordingAndSorting(ref), unit_ids: [...new Set(group)].sort((a, b) => a - b) });
