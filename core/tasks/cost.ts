/**
 * What a task makes the relay read, known before the task is queued (issue 14: one 200-byte request
 * must not buy a whole-file read). Each task declares its estimate beside its definition
 * (`TaskDefinition.relayCost`); the API refuses a request above MAX_TASK_RELAY_BYTES with 400
 * `too_costly` and the estimate's advice, and the worker refuses the same message (runTask.ts, and
 * get_timeseries_segment.1 again once it knows the recording).
 *
 * Estimates are upper bounds in bytes read at the source. Samples count 4 bytes (recording_info.3
 * does not tell int16 from float32; int16 recordings cost half). Where a task's reads are bounded by
 * its planner's caps (views/limits.ts), the estimate is that cap, not a finer guess.
 */
import { MAX_ROUND_VALUES, RELAY_MAX_CHUNK_BYTES } from './views/limits';

/** About 40 s of a lab disk at 50 MB/s; the relay has 4 slots and a fair queue (relay/fairQueue.ts). */
export const MAX_TASK_RELAY_BYTES = 2 * 1024 ** 3;
export const COST_SAMPLE_BYTES = 4;

/** What the API knows of a recording from its cached recording_info.3 result. */
export interface RecordingFacts {
  numChannels: number;
  numFrames: number;
  /** A `filtered` recording object: its segments are filtered by the worker unless filter 'none'. */
  hasOwnFilters: boolean;
}

export interface RelayCostEstimate {
  bytes: number;
  /** What to ask for instead when the estimate is over the bound (a coarser level, fewer units, …). */
  advice: string;
}

/**
 * `recording` is the recording's facts when the caller has them, else null: the estimate is then a
 * worst case over every recording the kwargs could name (the API has them once recording_info.3 ran).
 */
export type RelayCost<K> = (kwargs: K, recording: RecordingFacts | null) => RelayCostEstimate;

/** Small JSON objects (recording, sorting, metrics): the relay reads at most 16 MiB of each. */
export const OBJECT_READ_BYTES = 16 * 1024 ** 2;
/** A sorting's spike trains: the chunk holds ≤ 64 MiB of float64 frames; phy stores 12 bytes a spike (times + clusters). */
export const SORTING_READ_BYTES = 2 * RELAY_MAX_CHUNK_BYTES;
/** recording_info.3: the object plus one block for the noise level (a traces chunk, ≤ 64 MiB). */
export const RECORDING_INFO_READ_BYTES = OBJECT_READ_BYTES + RELAY_MAX_CHUNK_BYTES;
/** One round of a snippet gather at its cap (views/limits.ts MAX_ROUND_VALUES). */
export const GATHER_ROUND_READ_BYTES = MAX_ROUND_VALUES * COST_SAMPLE_BYTES;

export const noRelayCost: RelayCost<unknown> = () => ({ bytes: 0, advice: '' });
export const fixedRelayCost = (bytes: number, advice: string): RelayCost<unknown> => () => ({ bytes, advice });
/** Tasks on spike trains only (correlograms, raster, firing rates): the sortings they name. */
export const sortingsCost = (sortings: number): RelayCost<unknown> =>
  fixedRelayCost(sortings * (SORTING_READ_BYTES + OBJECT_READ_BYTES) + OBJECT_READ_BYTES, '');
/** Tasks that gather snippets: the sorting, the recording's info and one gather round at its cap. */
export const snippetTaskCost: RelayCost<unknown> = fixedRelayCost(
  SORTING_READ_BYTES + RECORDING_INFO_READ_BYTES + GATHER_ROUND_READ_BYTES, 'ask for fewer units');

/** The refusal of a task whose estimate is over the bound, in the caller's terms; null when it may run. */
export function relayCostRefusal(functionId: string, estimate: RelayCostEstimate, bound = MAX_TASK_RELAY_BYTES): string | null {
  if (estimate.bytes <= bound) return null;
  const mib = (n: number) => `${Math.ceil(n / 1024 ** 2)} MiB`;
  return `${functionId} would make the relay read about ${mib(estimate.bytes)} (at most ${mib(bound)} per task)` +
    (estimate.advice ? `: ${estimate.advice}` : '');
}
