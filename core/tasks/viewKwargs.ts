/**
 * The one place where the kwargs of the GUI's tasks are built. The web app and precalculation both
 * call these, so a precalculated result has exactly the task hash the GUI will ask for (2021 §8.18:
 * "precalculation must send byte-identical kwargs, omitting defaults exactly as the GUI does").
 *
 * Rules:
 * - Recordings and sortings are named by their `sha1://…json` URI (the workspace entry's path).
 * - An optional kwarg at its default is omitted, never sent: `snippet_len` at [50, 80], `filter`,
 *   `configuration`, `unit_ids` meaning "every unit". An absent kwarg is not hashed.
 * - A unit is its id, or with merges applied its merge group (ids ascending, as the curation reducer
 *   keeps them).
 * Schemas live beside the tasks (core/tasks/views/*, core/tasks/recordingTasks.ts); the tests check
 * that every builder's output passes its task's schema unchanged.
 */

import { MAX_DS_FACTOR } from './views/pyramid';
import { DEFAULT_SNIPPET_LEN } from '../reducers/workspace';

export type UnitSelection = number | number[];
export type SnippetLen = readonly [number, number];
export type TaskSpec = { functionId: string; kwargs: Record<string, unknown> };

export { DEFAULT_SNIPPET_LEN };

/** What every sorting view task is about. `snippetLen` is the workspace's (SET_SNIPPET_LEN). */
export interface SortingRef {
  recordingUri: string;
  sortingUri: string;
  snippetLen?: SnippetLen;
}

export const VIEW_TASK_IDS = {
  recordingInfo: 'recording_info.3',
  sortingInfo: 'sorting_info.3',
  timeseriesSegment: 'get_timeseries_segment.1',
  unitsSummary: 'sortingview.units_summary.1',
  unitMetrics: 'fetch_unit_metrics.1',
  averageWaveform: 'fetch_average_waveform.2',
  correlogram: 'fetch_correlogram_plot_data.6',
  correlogramMatrix: 'sortingview.fetch_correlogram_matrix.1',
  individualClusterFeatures: 'individual_cluster_features.1',
  pairClusterFeatures: 'pair_cluster_features.4',
  spikeAmplitudes: 'fetch_spike_amplitudes.1',
  templateSimilarity: 'sortingview.template_similarity.1',
  raster: 'sortingview.fetch_raster.1',
  bestMatchingUnits: 'get_best_matching_units.2',
} as const;

/** Largest number of units the cross-correlogram matrix task takes. */
export const MAX_CCG_MATRIX_UNITS = 20;

function snippetLenKwarg(snippetLen: SnippetLen | undefined): { snippet_len?: [number, number] } {
  if (!snippetLen || (snippetLen[0] === DEFAULT_SNIPPET_LEN[0] && snippetLen[1] === DEFAULT_SNIPPET_LEN[1])) return {};
  return { snippet_len: [snippetLen[0], snippetLen[1]] };
}

/** A merge group as sent: ascending ids, no duplicates; a group of one is sent as the plain id. */
export function unitKwarg(unit: UnitSelection): UnitSelection {
  if (typeof unit === 'number') return unit;
  const ids = [...new Set(unit)].sort((a, b) => a - b);
  return ids.length === 1 ? ids[0] : ids;
}

const recSort = (ref: SortingRef) => ({ recording_uri: ref.recordingUri, sorting_uri: ref.sortingUri, ...snippetLenKwarg(ref.snippetLen) });

export const recordingInfoTask = (recordingUri: string): TaskSpec => ({ functionId: VIEW_TASK_IDS.recordingInfo, kwargs: { recording_uri: recordingUri } });
export const sortingInfoTask = (sortingUri: string): TaskSpec => ({ functionId: VIEW_TASK_IDS.sortingInfo, kwargs: { sorting_uri: sortingUri } });

/** Every column of the units table in one task (configuration at its defaults: omitted). */
export const unitsSummaryTask = (ref: SortingRef): TaskSpec => ({ functionId: VIEW_TASK_IDS.unitsSummary, kwargs: recSort(ref) });

export const unitMetricsTask = (unitMetricsUri: string): TaskSpec => ({ functionId: VIEW_TASK_IDS.unitMetrics, kwargs: { unit_metrics_uri: unitMetricsUri } });

export const averageWaveformTask = (ref: SortingRef, unit: UnitSelection): TaskSpec =>
  ({ functionId: VIEW_TASK_IDS.averageWaveform, kwargs: { ...recSort(ref), unit_id: unitKwarg(unit) } });

/** 2021's autocorrelogram request: `unit_y: null`, subsampled. */
export const autocorrelogramTask = (ref: SortingRef, unit: UnitSelection): TaskSpec =>
  ({ functionId: VIEW_TASK_IDS.correlogram, kwargs: { sorting_uri: ref.sortingUri, unit_x: unitKwarg(unit), unit_y: null, subsample: true } });

export const crossCorrelogramTask = (ref: SortingRef, unitX: UnitSelection, unitY: UnitSelection): TaskSpec =>
  ({ functionId: VIEW_TASK_IDS.correlogram, kwargs: { sorting_uri: ref.sortingUri, unit_x: unitKwarg(unitX), unit_y: unitKwarg(unitY), subsample: true } });

/** Every auto- and cross-correlogram of ≤ 20 units in one task (subsampling at its default: omitted). */
export function correlogramMatrixTask(ref: SortingRef, units: readonly UnitSelection[]): TaskSpec {
  if (units.length < 1 || units.length > MAX_CCG_MATRIX_UNITS) throw new RangeError(`The correlogram matrix takes 1 to ${MAX_CCG_MATRIX_UNITS} units, not ${units.length}`);
  return { functionId: VIEW_TASK_IDS.correlogramMatrix, kwargs: { sorting_uri: ref.sortingUri, unit_ids: units.map(unitKwarg) } };
}

export const individualClusterFeaturesTask = (ref: SortingRef, unit: UnitSelection): TaskSpec =>
  ({ functionId: VIEW_TASK_IDS.individualClusterFeatures, kwargs: { ...recSort(ref), unit_id: unitKwarg(unit) } });

export const pairClusterFeaturesTask = (ref: SortingRef, unit1: UnitSelection, unit2: UnitSelection): TaskSpec =>
  ({ functionId: VIEW_TASK_IDS.pairClusterFeatures, kwargs: { ...recSort(ref), unit_id1: unitKwarg(unit1), unit_id2: unitKwarg(unit2) } });

export const spikeAmplitudesTask = (ref: SortingRef, unit: UnitSelection): TaskSpec =>
  ({ functionId: VIEW_TASK_IDS.spikeAmplitudes, kwargs: { ...recSort(ref), unit_id: unitKwarg(unit) } });

/** `units` absent = every unit of the sorting (omitted from the kwargs). */
export function templateSimilarityTask(ref: SortingRef, units?: readonly UnitSelection[]): TaskSpec {
  return { functionId: VIEW_TASK_IDS.templateSimilarity, kwargs: { ...recSort(ref), ...(units ? { unit_ids: units.map(unitKwarg) } : {}) } };
}

/**
 * Spike times of the whole recording (`durationSec` = num_frames / sampling frequency), of `units`
 * or (absent) every unit. The GUI always asks for the whole recording and zooms locally, so one
 * cached result serves every zoom level.
 */
export function rasterTask(ref: Pick<SortingRef, 'sortingUri'>, durationSec: number, units?: readonly UnitSelection[]): TaskSpec {
  return {
    functionId: VIEW_TASK_IDS.raster,
    kwargs: { sorting_uri: ref.sortingUri, start_sec: 0, end_sec: durationSec, ...(units ? { unit_ids: units.map(unitKwarg) } : {}) },
  };
}

export const bestMatchingUnitsTask = (sortingUri: string, compareSortingUri: string, selector: 'A' | 'B'): TaskSpec =>
  ({ functionId: VIEW_TASK_IDS.bestMatchingUnits, kwargs: { sorting_uri: sortingUri, compare_sorting_uri: compareSortingUri, sorting_selector: selector } });

// ---------------------------------------------------------------- timeseries

/** `filter` of get_timeseries_segment.1: undefined = the recording's own filters (omitted). */
export type TimeseriesFilter = 'bandpass' | 'none' | undefined;

/** 2021: each segment holds about 100 000 values, so `ceil(1e5 / channels)` frames. */
export function timeseriesSegmentSize(numChannels: number): number {
  return Math.ceil(100_000 / Math.max(1, numChannels));
}

/**
 * 2021's zoom levels (the min/max pyramid's levels, views/pyramid.ts): the smallest power of 3, at most MAX_DS_FACTOR, with visible frames / ds ≤ max(500, pixel width ×
 * factor), factor 0.5 above 32 channels (each point is a min/max pair, so this is ~2 pairs per pixel
 * for small probes and 1 for large ones).
 */
export function timeseriesDsFactor(visibleFrames: number, widthPx: number, numChannels: number): number {
  const target = Math.max(500, widthPx * (numChannels > 32 ? 0.5 : 1));
  let ds = 1;
  // The coarsest pyramid level is the limit: past it the view takes more segments instead.
  while (visibleFrames / ds > target && ds < MAX_DS_FACTOR) ds *= 3;
  return ds;
}

export function timeseriesSegmentTask(recordingUri: string, o: { dsFactor: number; segmentNum: number; segmentSize: number; filter?: TimeseriesFilter }): TaskSpec {
  return {
    functionId: VIEW_TASK_IDS.timeseriesSegment,
    kwargs: { recording_uri: recordingUri, ds_factor: o.dsFactor, segment_num: o.segmentNum, segment_size: o.segmentSize, ...(o.filter ? { filter: o.filter } : {}) },
  };
}

// ---------------------------------------------------------------- precalculation

/**
 * The tasks a sorting page opens with its default views, for precalculation: the units table, each
 * unit's average waveform and autocorrelogram, the template similarity and the raster. (The GUI
 * asks for these with merges not applied; merged views are computed on demand.)
 */
export function sortingPageTasks(ref: SortingRef, unitIds: readonly number[], recording?: { numFrames: number; sampleRateHz: number }): TaskSpec[] {
  const out: TaskSpec[] = [recordingInfoTask(ref.recordingUri), sortingInfoTask(ref.sortingUri), unitsSummaryTask(ref)];
  for (const u of unitIds) out.push(averageWaveformTask(ref, u), autocorrelogramTask(ref, u));
  out.push(templateSimilarityTask(ref));
  if (recording) out.push(rasterTask(ref, recording.numFrames / recording.sampleRateHz));
  return out;
}
