import type { SortingObject } from '../../core/protocol/dataObjects';
import { toFloat64 } from './dtypes';
import { loadBytes } from './files';
import { parseNpy, type NpyArray } from '../../core/formats/npy';
import { noteNpzUnitIds, siNpzSorting } from './siSorting';
import { sortingFromLabels } from './sortingUtils';
import { readZip } from './zip';
import { FormatError, type OpenFile, type SortingReader } from './types';
import type { FileRule } from './detectTools';

/** A 1-D view of an array that is (n,), (n, 1) or (1, n): npy sortings are raveled, as 2021 did. */
export function raveled(a: NpyArray, name: string): Float64Array {
  if (a.shape.filter((x) => x !== 1).length > 1) throw new FormatError(name, `is shaped (${a.shape.join(', ')}); expected a 1-D array`);
  return toFloat64(a.data);
}

/** `npy1 {times_npy_uri, labels_npy_uri, samplerate}`: two .npy arrays, frames and unit labels. */
export async function openNpy1Sorting(obj: Extract<SortingObject, { sorting_format: 'npy1' }>, open: OpenFile): Promise<SortingReader> {
  const { times_npy_uri: tu, labels_npy_uri: lu } = obj.data;
  const times = raveled(parseNpy(await loadBytes(open, tu), tu), tu);
  const labels = raveled(parseNpy(await loadBytes(open, lu), lu), lu);
  if (times.length !== labels.length) throw new FormatError(lu, `has ${labels.length} labels but ${tu} has ${times.length} spike times`);
  return sortingFromLabels(times, labels, obj.data.samplerate, tu);
}

/**
 * `npy2 {npz_uri, segment?}`: an .npz (stored or deflated), either 2021's (spikeextractors) with
 * `spike_indexes`, `spike_labels`, `sampling_frequency`, or SpikeInterface's NpzSortingExtractor with
 * `unit_ids`, `num_segment` and `spike_indexes_seg<k>`/`spike_labels_seg<k>` per segment (siSorting.ts).
 */
export async function openNpy2Sorting(obj: Extract<SortingObject, { sorting_format: 'npy2' }>, open: OpenFile): Promise<SortingReader> {
  const uri = obj.data.npz_uri;
  const entries = readZip(await loadBytes(open, uri), uri);
  const bytesOf = (key: string): Uint8Array => {
    const bytes = entries.get(`${key}.npy`) ?? entries.get(key);
    if (!bytes) throw new FormatError(uri, `has no ${key} array (it has: ${[...entries.keys()].join(', ') || 'nothing'})`);
    return bytes;
  };
  if (entries.has('spike_indexes_seg0.npy')) return siNpzSorting(bytesOf, uri, obj.data.segment ?? 0);
  if (obj.data.segment !== undefined && obj.data.segment !== 0) throw new FormatError(uri, `has one segment (a 2021 npz); segment ${obj.data.segment} does not exist`);
  const get = (key: string): NpyArray => parseNpy(bytesOf(key), `${uri}[${key}]`);
  const times = raveled(get('spike_indexes'), `${uri}[spike_indexes]`);
  const labels = raveled(get('spike_labels'), `${uri}[spike_labels]`);
  const fs = toFloat64(get('sampling_frequency').data);
  if (fs.length !== 1) throw new FormatError(uri, `sampling_frequency has ${fs.length} values; expected one`);
  return sortingFromLabels(times, labels, fs[0], uri);
}

/** `.npz` → npy2 (2021's or SpikeInterface's NpzSortingExtractor; the reader tells them apart). */
export const detectNpzFile: FileRule = async (path, name, { opts }) => {
  if (!name.endsWith('.npz')) return null;
  await noteNpzUnitIds(path, opts);
  return { sorting_format: 'npy2', data: { npz_uri: path } };
};
