import { DEFAULT_MDA_SORTING_SAMPLERATE, type SortingObject } from '../../core/protocol/dataObjects';
import { readMdaArray } from './mda';
import { sortingFromLabels } from './sortingUtils';
import { FormatError, type OpenFile, type SortingReader } from './types';
import { dirname, join } from 'node:path';
import { exists, findFiles, one, type DetectOptions, type FileRule, type FolderRule } from './detectTools';
import { localOpenFile } from './local';
import { mdaRecordingObject, readMdaHeader, readParamsJson } from './mda';

/**
 * `mda {firings, samplerate}`: firings.mda is R×L (R ≥ 3), column-major: row 0 the peak channel,
 * row 1 the spike frame, row 2 the unit label (further rows, e.g. amplitudes, are ignored). Frames are
 * taken as stored (no 1-based shift), as 2021's MdaSortingExtractor did. `samplerate` defaults to 30000.
 */
export async function openMdaSorting(obj: Extract<SortingObject, { sorting_format: 'mda' }>, open: OpenFile): Promise<SortingReader> {
  const file = await open(obj.data.firings);
  try {
    const { header, data } = await readMdaArray(file);
    const dims = header.dims;
    const [R, L] = dims.length === 1 ? [dims[0], 1] : dims;
    if (dims.length > 2 && dims.slice(2).some((x) => x !== 1)) throw new FormatError(file.path, `is a ${dims.join('×')} MDA; firings are R×L with R ≥ 3`);
    if (R < 3) throw new FormatError(file.path, `is ${dims.join('×')}; firings need at least 3 rows (channel, time, label)`);
    const times = new Float64Array(L);
    const labels = new Float64Array(L);
    for (let j = 0; j < L; j++) {
      times[j] = data[j * R + 1];
      labels[j] = data[j * R + 2];
    }
    return sortingFromLabels(times, labels, obj.data.samplerate ?? DEFAULT_MDA_SORTING_SAMPLERATE, file.path);
  } finally {
    await file.close();
  }
}

// ---------------------------------------------------------------- detection (workspace add-*)

/** `firings*.mda`: samplerate from params.json beside it, or the `samplerateHz` hint. */
async function firingsObject(path: string, opts: DetectOptions): Promise<SortingObject> {
  const params = await readParamsJson(dirname(path));
  const rate = typeof params?.samplerate === 'number' ? params.samplerate : opts.samplerateHz;
  if (rate === undefined) throw new FormatError(path, 'has no params.json beside it, so its sampling rate is unknown; pass the sampling rate');
  const f = await localOpenFile()(path);
  try {
    const h = await readMdaHeader(f);
    if ((h.dims[0] ?? 0) < 3) throw new FormatError(path, `is ${h.dims.join('×')}; firings need at least 3 rows`);
  } finally {
    await f.close();
  }
  return { sorting_format: 'mda', data: { firings: path, samplerate: rate } };
}

const isFirings = (n: string) => /^firings.*\.mda$/.test(n);

/** A `.mda`: firings when named so or when a sorting is asked for, else a raw.mda recording. */
export const detectMdaFile: FileRule = async (path, name, { opts }) => {
  if (!name.endsWith('.mda')) return null;
  return /^firings/.test(name) || opts.kind === 'sorting' ? firingsObject(path, opts) : mdaRecordingObject(path);
};

/** A SpikeForest folder: its firings*.mda when a sorting is asked for, else its raw.mda. */
export const detectMdaFolder: FolderRule = async (path, { opts }) => {
  if (opts.kind === 'sorting') {
    const f = await findFiles(path, isFirings, 0);
    if (f.length) return firingsObject(one(f, 'firings*.mda', path), opts);
  }
  return (await exists(join(path, 'raw.mda'))) ? mdaRecordingObject(join(path, 'raw.mda')) : null;
};

/** Last of all: a folder holding only a firings*.mda is that sorting. */
export const detectMdaFiringsFolder: FolderRule = async (path, { opts }) => {
  const f = await findFiles(path, isFirings, 0);
  return f.length ? firingsObject(one(f, 'firings*.mda', path), opts) : null;
};
