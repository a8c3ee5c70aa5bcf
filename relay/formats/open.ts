import { parseRecordingObject, parseSortingObject, type RecordingObject, type SortingObject } from '../../core/protocol/dataObjects';
import { openBinRecording } from './bin';
import { curatedSorting, subsorting } from './curated';
import { openH5v1Recording, openH5v1Sorting } from './h5v1';
import { openMdaRecording } from './mda';
import { openMdaSorting } from './mdaSorting';
import { openNpy1Sorting, openNpy2Sorting } from './npySorting';
import { openNwbRecording, openNwbSorting } from './nwb';
import { openOpenEphysRecording } from './openephys';
import { openPhySorting } from './phy';
import { openSiBinaryFolder } from './siBinaryFolder';
import { openSiNumpyFolder } from './siSorting';
import { openSpikeGlxRecording } from './spikeglx';
import { filteredReader, subrecordingReader } from './subrecording';
import type { OpenFile, RecordingReader, SortingReader } from './types';

/**
 * Opens any recording object (validated and 2021-normalized first, so raw JSON is fine). The reader
 * holds its files open until `close()`.
 */
export async function openRecording(obj: RecordingObject, open: OpenFile): Promise<RecordingReader> {
  const o = parseRecordingObject(obj);
  switch (o.recording_format) {
    case 'bin1':
    case 'bin2': return openBinRecording(o, open);
    case 'mda': return openMdaRecording(o, open);
    case 'nwb': return openNwbRecording(o, open);
    case 'h5_v1': return openH5v1Recording(o, open);
    case 'spikeglx': return openSpikeGlxRecording(o, open);
    case 'openephys': return openOpenEphysRecording(o, open);
    case 'si_binary_folder': return openSiBinaryFolder(o, open);
    case 'subrecording': {
      const parent = await openRecording(o.data.recording, open);
      try {
        return subrecordingReader(parent, o.data);
      } catch (err) {
        await parent.close();
        throw err;
      }
    }
    case 'filtered': return filteredReader(await openRecording(o.data.recording, open), o.data.filters);
  }
}

/** Opens any sorting object; the whole sorting is read into memory and its files closed. */
export async function openSorting(obj: SortingObject, open: OpenFile): Promise<SortingReader> {
  const o = parseSortingObject(obj);
  switch (o.sorting_format) {
    case 'mda': return openMdaSorting(o, open);
    case 'npy1': return openNpy1Sorting(o, open);
    case 'npy2': return openNpy2Sorting(o, open);
    case 'h5_v1': return openH5v1Sorting(o, open);
    case 'nwb': return openNwbSorting(o, open);
    case 'phy': return openPhySorting(o, open);
    case 'si_numpy_folder': return openSiNumpyFolder(o, open);
    case 'curated': return curatedSorting(await openSorting(o.data.sorting, open), o.data.merge_groups);
    case 'subsorting': return subsorting(await openSorting(o.data.sorting, open), o.data);
  }
}
