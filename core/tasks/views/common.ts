import { spikeTrainsOfChunk, type SpikeTrains } from '../../data/decode';
import type { UnitSelection } from '../../kernels/spikeTrains';
import { unionTrains } from '../../kernels/waveforms';
import type { TaskContext } from '../types';
import { TaskError } from '../../taskError';
import { parseRecordingInfoChunk, type RecordingInfoChunk } from '../../protocol/recordingInfoChunk';
import { DEFAULT_SNIPPET_LEN } from '../contracts/kwargs';

/** Loaders and selection helpers shared by the view tasks (their kwargs: contracts/kwargs.ts). */

export const snippetLenOf = (k: { snippet_len?: readonly [number, number] }): readonly [number, number] => k.snippet_len ?? DEFAULT_SNIPPET_LEN;

export interface RecordingRef { uri: string; info: RecordingInfoChunk }

/** Round 1 of most view tasks: the recording's info and the sorting's spike trains, in one request. */
export async function loadRecordingAndSorting(ctx: TaskContext, recordingUri: string, sortingUri: string): Promise<{ recording: RecordingRef; sorting: SpikeTrains }> {
  const [infoChunk, sortingChunk] = await ctx.data.require([
    { type: 'recordingInfo', recording: recordingUri },
    { type: 'sorting', sorting: sortingUri },
  ]);
  return { recording: { uri: recordingUri, info: parseRecordingInfoChunk(infoChunk.payload) }, sorting: spikeTrainsOfChunk(sortingChunk) };
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
