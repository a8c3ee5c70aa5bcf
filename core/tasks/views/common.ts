import { DEFAULT_SNIPPET_LEN } from '../../reducers/workspace';
import { z } from 'zod';
import { spikeTrainsOfChunk, type SpikeTrains } from '../../data/decode';
import type { UnitSelection } from '../../kernels/spikeTrains';
import { unionTrains } from '../../kernels/waveforms';
import type { TaskContext } from '../types';
import { TaskError } from '../types';
import { dataUriSchema, type RelayRecordingInfo } from '../recordingTasks';
import { MAX_LISTED_UNITS, MAX_MERGE_GROUP_SIZE, MAX_SNIPPET_FRAMES } from './limits';

/**
 * Kwarg schemas and loaders shared by the view tasks.
 *
 * No schema here uses `.default()`: parsing returns the kwargs unchanged, so the task hash of the
 * request (computed on the kwargs as sent) and of the parsed kwargs agree, and an omitted optional
 * kwarg hashes exactly as a 2021 request that never had it. Defaults are applied in `run`.
 */

export const unitIdSchema = z.number().int().min(-(2 ** 31)).max(2 ** 31 - 1);
/** A unit id, or a merge group (its ids, whose spikes are unioned). */
export const unitSelectionSchema = z.union([
  unitIdSchema,
  z.array(unitIdSchema).min(1, 'a merge group lists at least one unit').max(MAX_MERGE_GROUP_SIZE)
    .refine((ids) => new Set(ids).size === ids.length, 'a merge group lists each unit once'),
]);
export const unitSelectionsSchema = z.array(unitSelectionSchema).min(1).max(MAX_LISTED_UNITS);

/** `[before, after]` in frames: the window [t − before, t + after). 2021 default [50, 80]. */
/** The 2021 default, [50, 80]: one definition, the workspace's (SET_SNIPPET_LEN changes it per workspace). */
export { DEFAULT_SNIPPET_LEN };
export const snippetLenSchema = z.tuple([z.number().int().min(0), z.number().int().min(1)])
  .refine(([b, a]) => b + a <= MAX_SNIPPET_FRAMES, `snippet_len: before + after must be at most ${MAX_SNIPPET_FRAMES} frames`);

/** The units table sends one `configuration` to every metric task; only these keys are known. */
export const DEFAULT_ISI_THRESHOLD_MSEC = 2.5;
export const metricsConfigurationSchema = z.object({
  isi_threshold_msec: z.number().positive().max(1000).optional(),
}).strict();

/** `{recording_uri, sorting_uri, snippet_len?, configuration?}`: every units-table metric task. */
export const unitsTableKwargsSchema = z.object({
  recording_uri: dataUriSchema,
  sorting_uri: dataUriSchema,
  snippet_len: snippetLenSchema.optional(),
  configuration: metricsConfigurationSchema.optional(),
}).strict();
export type UnitsTableKwargs = z.infer<typeof unitsTableKwargsSchema>;

export const snippetLenOf = (k: { snippet_len?: readonly [number, number] }): readonly [number, number] => k.snippet_len ?? DEFAULT_SNIPPET_LEN;

export interface RecordingRef { uri: string; info: RelayRecordingInfo }

/** Round 1 of most view tasks: the recording's info and the sorting's spike trains, in one request. */
export async function loadRecordingAndSorting(ctx: TaskContext, recordingUri: string, sortingUri: string): Promise<{ recording: RecordingRef; sorting: SpikeTrains }> {
  const [infoChunk, sortingChunk] = await ctx.data.require([
    { type: 'recordingInfo', recording: recordingUri },
    { type: 'sorting', sorting: sortingUri },
  ]);
  const info = JSON.parse(new TextDecoder().decode(infoChunk.payload)) as RelayRecordingInfo;
  return { recording: { uri: recordingUri, info: { ...info, filters: info.filters ?? [] } }, sorting: spikeTrainsOfChunk(sortingChunk) };
}

export async function loadSorting(ctx: TaskContext, sortingUri: string): Promise<SpikeTrains> {
  const [chunk] = await ctx.data.require([{ type: 'sorting', sorting: sortingUri }]);
  return spikeTrainsOfChunk(chunk);
}

/** Names a selection in messages: "unit 3" or "merge group [3, 7]". */
export function describeSelection(sel: UnitSelection): string {
  return typeof sel === 'number' ? `unit ${sel}` : `merge group [${sel.join(', ')}]`;
}

/** The same at the start of a sentence: 'Unit 12', 'Merge group [3, 7]'. */
export const describeSelectionCapitalized = (sel: UnitSelection) => describeSelection(sel).replace(/^./, (c) => c.toUpperCase());

/** Every id of the selection must be in the sorting; a TaskError lists what is there otherwise. */
export function checkSelection(sorting: SpikeTrains, sel: UnitSelection): void {
  for (const id of typeof sel === 'number' ? [sel] : sel) {
    if (!sorting.trains.has(id)) {
      const ids = sorting.unitIds;
      throw new TaskError(`Unit ${id} is not in the sorting (it has ${ids.length} units: ${ids.slice(0, 20).join(', ')}${ids.length > 20 ? ', …' : ''})`);
    }
  }
}

/** The spikes of a unit, or the union of a merge group's (sorted, a frame shared by two members counted twice). */
export function selectionTimes(sorting: SpikeTrains, sel: UnitSelection): Float64Array {
  checkSelection(sorting, sel);
  if (typeof sel === 'number') {
    const t = sorting.trains.get(sel)!;
    return unionTrains([t]); // a sorted copy: the chunk's view is not ours to reorder
  }
  return unionTrains(sel.map((id) => sorting.trains.get(id)!));
}

/** The key a selection gets in `{[unit]: value}` results: "3", or "3,7" for a merge group. */
export const selectionKey = (sel: UnitSelection): string => (typeof sel === 'number' ? String(sel) : sel.join(','));
