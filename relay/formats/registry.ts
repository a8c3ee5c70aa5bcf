import type { RecordingObject, SortingObject } from '../../core/protocol/dataObjects';
import { openBinRecording } from './bin';
import { curatedSorting, subsorting } from './curated';
import type { FileRule, FolderRule } from './detectTools';
import { openH5v1Recording, openH5v1Sorting } from './h5v1';
import { openMdaRecording } from './mda';
import { detectMdaFile, detectMdaFiringsFolder, detectMdaFolder, openMdaSorting } from './mdaSorting';
import { detectNpzFile, openNpy1Sorting, openNpy2Sorting } from './npySorting';
import { detectNwbFile, openNwbRecording, openNwbSorting } from './nwb';
import { detectOpenEphysFile, detectOpenEphysFolder, openOpenEphysRecording } from './openephys';
import { detectPhyFile, detectPhyFolder, openPhySorting } from './phy';
import { openSiFolderRecording } from './siAnalyzer';
import { detectSiAnalyzerFile, detectSiAnalyzerFolder } from './siAnalyzerDetect';
import { detectSiBinaryFile, detectSiBinaryFolder } from './siBinaryFolder';
import { detectSiSortingFile, detectSiSortingFolder, openSiNumpyFolder } from './siSorting';
import { detectSpikeGlxFile, detectSpikeGlxFolder, openSpikeGlxRecording } from './spikeglx';
import { filteredReader, subrecordingReader } from './subrecording';
import type { OpenFile, RecordingReader, SortingReader } from './types';

/**
 * The formats, in one table: which module opens each recording/sorting format (open.ts) and which
 * rules recognise a local path (detect.ts). Adding a format = its schema in core/protocol/dataObjects.ts,
 * its module here in relay/formats (exporting its open function and its detect rules), and its lines
 * below. Each opener table is keyed by every format of the schema, so tsc refuses a format without one.
 */

/** Opens one format's object; `openAny` opens any object of the same kind (the parent of a subrecording …). */
export type Opener<O, A, R> = (obj: O, open: OpenFile, openAny: (obj: A, open: OpenFile) => Promise<R>) => Promise<R>;
type RecordingOpeners = { [F in RecordingObject['recording_format']]: Opener<Extract<RecordingObject, { recording_format: F }>, RecordingObject, RecordingReader> };
type SortingOpeners = { [F in SortingObject['sorting_format']]: Opener<Extract<SortingObject, { sorting_format: F }>, SortingObject, SortingReader> };

export const RECORDING_OPENERS: RecordingOpeners = {
  bin1: openBinRecording,
  bin2: openBinRecording,
  mda: openMdaRecording,
  nwb: openNwbRecording,
  h5_v1: openH5v1Recording,
  spikeglx: openSpikeGlxRecording,
  openephys: openOpenEphysRecording,
  si_binary_folder: openSiFolderRecording, // a SortingAnalyzer folder's recording, else a binary folder
  subrecording: async (o, open, openAny) => {
    const parent = await openAny(o.data.recording, open);
    try {
      return subrecordingReader(parent, o.data);
    } catch (err) {
      await parent.close();
      throw err;
    }
  },
  filtered: async (o, open, openAny) => filteredReader(await openAny(o.data.recording, open), o.data.filters),
};

export const SORTING_OPENERS: SortingOpeners = {
  mda: openMdaSorting,
  npy1: openNpy1Sorting,
  npy2: openNpy2Sorting,
  h5_v1: openH5v1Sorting,
  nwb: openNwbSorting,
  phy: openPhySorting,
  si_numpy_folder: openSiNumpyFolder,
  curated: async (o, open, openAny) => curatedSorting(await openAny(o.data.sorting, open), o.data.merge_groups),
  subsorting: async (o, open, openAny) => subsorting(await openAny(o.data.sorting, open), o.data),
};

/** Rules for a file, first match wins (their names are disjoint; the JSON/params files stand for their folder). */
export const FILE_RULES: FileRule[] = [
  detectSpikeGlxFile, // x.bin + x.meta
  detectOpenEphysFile, // structure.oebin
  detectSiAnalyzerFile, // spikeinterface_info.json → the SortingAnalyzer folder
  detectSiSortingFile, // si_folder.json, numpysorting_info.json, npz.json → the folder
  detectSiBinaryFile, // binary.json
  detectPhyFile, // params.py → the folder
  detectNwbFile, // .nwb
  detectNpzFile, // .npz
  detectMdaFile, // .mda
];

/** Rules for a folder, first match wins: the order settles folders that hold several formats' files. */
export const FOLDER_RULES: FolderRule[] = [
  detectSiAnalyzerFolder, // spikeinterface_info.json {object: SortingAnalyzer}: its recording, or its sorting/ for add-sorting
  detectPhyFolder, // params.py + spike_times.npy (a Kilosort folder may sit inside a recording folder)
  detectSiSortingFolder, // before the SI recording folder: both hold si_folder.json
  detectSiBinaryFolder,
  detectMdaFolder, // raw.mda (firings*.mda first when a sorting is asked for)
  detectSpikeGlxFolder, // *.ap.bin, else *.lf.bin, 3 levels deep
  detectOpenEphysFolder, // structure.oebin, 5 levels deep
  detectMdaFiringsFolder, // a folder holding only firings*.mda
];
