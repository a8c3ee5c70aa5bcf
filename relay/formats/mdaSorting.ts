import { DEFAULT_MDA_SORTING_SAMPLERATE, type SortingObject } from '../../core/protocol/dataObjects';
import { readMdaArray } from './mda';
import { sortingFromLabels } from './sortingUtils';
import { FormatError, type OpenFile, type SortingReader } from './types';

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
