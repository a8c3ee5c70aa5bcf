import { parseRecordingObject, parseSortingObject, type RecordingObject, type SortingObject } from '../../core/protocol/dataObjects';
import { RECORDING_OPENERS, SORTING_OPENERS, type Opener } from './registry';
import type { OpenFile, RecordingReader, SortingReader } from './types';

/**
 * Opens any recording object (validated and 2021-normalized first, so raw JSON is fine) with its
 * format's module (registry.ts). The reader holds its files open until `close()`.
 */
export async function openRecording(obj: RecordingObject, open: OpenFile): Promise<RecordingReader> {
  const o = parseRecordingObject(obj);
  // The table is keyed by format, each opener typed for its own; o picks the entry of its own format.
  const opener = RECORDING_OPENERS[o.recording_format] as Opener<RecordingObject, RecordingObject, RecordingReader>;
  return opener(o, open, openRecording);
}

/** Opens any sorting object; the whole sorting is read into memory and its files closed. */
export async function openSorting(obj: SortingObject, open: OpenFile): Promise<SortingReader> {
  const o = parseSortingObject(obj);
  const opener = SORTING_OPENERS[o.sorting_format] as Opener<SortingObject, SortingObject, SortingReader>;
  return opener(o, open, openSorting);
}
