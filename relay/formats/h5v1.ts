import type { RecordingObject, SortingObject } from '../../core/protocol/dataObjects';
import { dtypeSize, servedDtypeOf } from './dtypes';
import { makeRecordingReader, type FrameSource } from './gather';
import { dataset, datasetDtype, openHdf5, optionalGroup, readNumbers, shapeOf, sliceRows, type Hdf5Handle } from './hdf5';
import { sortingFromTrains } from './sortingUtils';
import { FormatError, type OpenFile, type RecordingReader, type SortingReader, type SourceDtype } from './types';

/**
 * sortingview 2021 `h5_v1` (labbox-ephys `create_efficient_recording` / `store_sorting`).
 *
 * Recording: 1-element datasets `chunk_size`, `num_chunks`, `padding`, `num_channels`, `num_timepoints`,
 * `sampling_frequency`; `channel_ids` [M]; `channel_geom` [M][2]; and `part-<m>-<c>` for channel index m
 * and chunk c: frames [c·chunk_size − padding, (c+1)·chunk_size + padding) of that channel, zero-padded at
 * the edges (length chunk_size + 2·padding). Frame t of chunk c is at t − (c·chunk_size − padding).
 * Gain is not recorded; groups are 0.
 *
 * Sorting: `sampling_frequency` [1], `unit_ids` [K], `unit_spike_trains/<id>` (frames).
 */

function scalar(h: Hdf5Handle, path: string): number {
  const v = readNumbers(h, dataset(h, path));
  if (v.length !== 1) throw new FormatError(h.name, `${path} should hold one value, it holds ${v.length}`);
  return v[0];
}

export async function openH5v1Recording(obj: Extract<RecordingObject, { recording_format: 'h5_v1' }>, open: OpenFile): Promise<RecordingReader> {
  const file = await open(obj.data.h5_uri);
  let h: Hdf5Handle | null = null;
  try {
    h = await openHdf5(file);
    const hh = h;
    const chunkSize = scalar(hh, '/chunk_size');
    const numChunks = scalar(hh, '/num_chunks');
    const padding = scalar(hh, '/padding');
    const M = scalar(hh, '/num_channels');
    const N = scalar(hh, '/num_timepoints');
    const rate = scalar(hh, '/sampling_frequency');
    if (!(chunkSize > 0) || padding < 0 || numChunks !== Math.ceil(N / chunkSize)) {
      throw new FormatError(hh.name, `chunk_size=${chunkSize}, padding=${padding}, num_chunks=${numChunks} do not cover num_timepoints=${N}`);
    }
    const ids = Array.from(readNumbers(hh, dataset(hh, '/channel_ids')));
    if (ids.length !== M) throw new FormatError(hh.name, `channel_ids has ${ids.length} entries but num_channels is ${M}`);
    const geomDs = dataset(hh, '/channel_geom');
    const g = readNumbers(hh, geomDs);
    const gShape = shapeOf(geomDs);
    const gCols = gShape[1] ?? 0;
    if (gShape[0] !== M || gCols < 2) throw new FormatError(hh.name, `channel_geom is [${gShape.join(', ')}]; expected [${M}, 2]`);
    const partLen = chunkSize + 2 * padding;
    let dtype: SourceDtype | null = null;
    const part = (m: number, c: number) => {
      const d = dataset(hh, `/part-${m}-${c}`);
      const len = shapeOf(d)[0];
      if (len !== partLen) throw new FormatError(hh.name, `${d.path} has ${len} values; chunk_size + 2·padding is ${partLen}`);
      return d;
    };
    dtype = numChunks > 0 && M > 0 ? datasetDtype(hh, part(0, 0)) : 'float32';
    const source: FrameSource = {
      name: hh.name,
      numFrames: N,
      dtype: servedDtypeOf(dtype),
      bytesPerFrame: M * dtypeSize[dtype],
      async readInto(start, end, columns, out, outRow) {
        const k = columns.length;
        for (let c = Math.floor(start / chunkSize); c * chunkSize < end; c++) {
          const t1 = Math.max(start, c * chunkSize);
          const t2 = Math.min(end, (c + 1) * chunkSize);
          const offset = c * chunkSize - padding;
          columns.forEach((m, j) => {
            const v = sliceRows(hh, part(m, c), t1 - offset, t2 - offset);
            const big = v instanceof BigInt64Array || v instanceof BigUint64Array;
            for (let t = t1; t < t2; t++) out[(outRow + t - start) * k + j] = big ? Number(v[t - t1]) : (v as Float32Array)[t - t1];
          });
        }
      },
      close: async () => {
        await hh.close();
        await file.close();
      },
    };
    return makeRecordingReader({
      sampleRateHz: rate,
      numFrames: N,
      channelIds: ids,
      channelGroups: ids.map(() => 0),
      geom: ids.map((_, i) => [g[i * gCols], g[i * gCols + 1]]),
      dtype: servedDtypeOf(dtype),
      sourceDtype: dtype,
      gainUvPerBit: null,
    }, source, new Map(ids.map((id, i) => [id, i])));
  } catch (err) {
    if (h) await h.close();
    await file.close();
    throw err;
  }
}

export async function openH5v1Sorting(obj: Extract<SortingObject, { sorting_format: 'h5_v1' }>, open: OpenFile): Promise<SortingReader> {
  const file = await open(obj.data.h5_path);
  let h: Hdf5Handle | null = null;
  try {
    h = await openHdf5(file);
    const rate = scalar(h, '/sampling_frequency');
    const ids = Array.from(readNumbers(h, dataset(h, '/unit_ids')));
    if (!optionalGroup(h, '/unit_spike_trains') && ids.length > 0) throw new FormatError(h.name, 'has no unit_spike_trains group');
    const trains = new Map<number, Float64Array>();
    for (const id of ids) {
      const t = readNumbers(h, dataset(h, `/unit_spike_trains/${id}`));
      for (let i = 0; i < t.length; i++) {
        if (!Number.isFinite(t[i]) || t[i] < 0) throw new FormatError(h.name, `unit_spike_trains/${id}[${i}] is ${t[i]}, not a frame ≥ 0`);
      }
      trains.set(id, t);
    }
    return sortingFromTrains(trains, rate, h.name);
  } finally {
    if (h) await h.close();
    await file.close();
  }
}
