import type { Dataset, Group } from 'h5wasm';
import type { RecordingObject, SortingObject } from '../../core/protocol/dataObjects';
import { dtypeSize, pickColumns, servedDtypeOf } from './dtypes';
import { makeRecordingReader, type FrameSource } from './gather';
import {
  attrNumber, attrValue, dataset, datasetDtype, isGroup, openHdf5, optionalDataset, optionalGroup, readNumbers, readStrings,
  shapeOf, sliceRows, type Hdf5Handle,
} from './hdf5';
import { sortingFromTrains } from './sortingUtils';
import { FormatError, type OpenFile, type RecordingReader, type SortingReader } from './types';
import type { FileRule } from './detectTools';
import { localOpenFile } from './local';

/**
 * NWB (HDF5) through h5wasm; see hdf5.ts for how large files are read lazily.
 *
 * Recording: an ElectricalSeries (a group whose `neurodata_type` is ElectricalSeries) in /acquisition
 * (else anywhere under /processing), by `electrical_series_name` or the only one; `data` is
 * [frames] or [frames][channels]. Rate from `starting_time@rate`, else from `timestamps` (first and
 * last value; regular sampling assumed). Channels are the rows of /general/extracellular_ephys/electrodes
 * named by the series' `electrodes` region: id from the table's `id`, position from rel_x/rel_y (probe
 * coordinates) else x/y, else a vertical line 20 µm apart; group = index of `group_name` in order of
 * first appearance. Gain = 1e6 · data@conversion · channel_conversion[c] µV per unit (data@offset is ignored).
 *
 * Sorting: /units `spike_times` (s) split by `spike_times_index`, ids from /units/id. Frames are
 * round((t − t0) · rate) with rate and t0 (starting_time or first timestamp) of the recording's
 * ElectricalSeries (`electrical_series_name`, or the only one); `samplerate` overrides the rate, and
 * with no series t0 = 0.
 */

/** Every ElectricalSeries group in /acquisition, else under /processing (3 levels deep). */
export function collectSeries(h: Hdf5Handle): Group[] {
  const found: Group[] = [];
  const visit = (g: Group, depth: number) => {
    for (const key of g.keys()) {
      let child: unknown;
      try {
        child = g.get(key);
      } catch {
        continue;
      }
      if (!isGroup(child)) continue;
      if (attrValue(child, 'neurodata_type') === 'ElectricalSeries') found.push(child);
      else if (depth > 0) visit(child, depth - 1);
    }
  };
  const acq = optionalGroup(h, '/acquisition');
  if (acq) visit(acq, 0);
  const proc = optionalGroup(h, '/processing');
  if (proc) visit(proc, 2);
  return found;
}

function findSeries(h: Hdf5Handle, wanted: string | undefined): Group {
  if (wanted) {
    const direct = optionalGroup(h, `/acquisition/${wanted}`) ?? optionalGroup(h, wanted);
    if (direct) return direct;
  }
  const found = collectSeries(h);
  const base = (g: Group) => g.path.split('/').pop()!;
  if (wanted) {
    const m = found.filter((g) => base(g) === wanted);
    if (m.length === 1) return m[0];
    throw new FormatError(h.name, `has no ElectricalSeries named ${JSON.stringify(wanted)} (it has: ${found.map((g) => g.path).join(', ') || 'none'})`);
  }
  if (found.length === 1) return found[0];
  if (found.length === 0) throw new FormatError(h.name, 'has no ElectricalSeries (neurodata_type) in /acquisition or /processing');
  throw new FormatError(h.name, `has ${found.length} ElectricalSeries (${found.map((g) => g.path).join(', ')}); name one with electrical_series_name`);
}

/** What detectFormat needs to know about an NWB file: its series (path, rate) and whether it has units. */
export async function describeNwb(file: import('./types').RandomAccessFile): Promise<{ series: { path: string; rateHz: number }[]; hasUnits: boolean }> {
  const h = await openHdf5(file);
  try {
    const series = collectSeries(h).map((g) => ({ path: g.path, rateHz: timing(h, g).rate }));
    return { series, hasUnits: optionalDataset(h, '/units/spike_times') !== null };
  } finally {
    await h.close();
  }
}

/** Rate (Hz) and start time (s) of a series. */
function timing(h: Hdf5Handle, es: Group): { rate: number; t0: number } {
  const st = optionalDataset(h, `${es.path}/starting_time`);
  if (st) {
    const rate = attrNumber(st, 'rate');
    if (!(rate !== undefined && rate > 0)) throw new FormatError(h.name, `${st.path} has no positive rate attribute`);
    return { rate, t0: readNumbers(h, st)[0] ?? 0 };
  }
  const ts = optionalDataset(h, `${es.path}/timestamps`);
  if (!ts) throw new FormatError(h.name, `${es.path} has neither starting_time nor timestamps`);
  const n = shapeOf(ts)[0] ?? 0;
  if (n < 2) throw new FormatError(h.name, `${ts.path} has ${n} timestamps; a rate needs at least 2`);
  const first = Number(sliceRows(h, ts, 0, 1)[0]);
  const last = Number(sliceRows(h, ts, n - 1, n)[0]);
  const rate = (n - 1) / (last - first);
  if (!(rate > 0) || !Number.isFinite(rate)) throw new FormatError(h.name, `${ts.path} does not increase (first ${first}, last ${last})`);
  return { rate, t0: first };
}

function electrodes(h: Hdf5Handle, es: Group, numChannels: number) {
  const region = optionalDataset(h, `${es.path}/electrodes`);
  const rows = region ? Array.from(readNumbers(h, region)) : Array.from({ length: numChannels }, (_, i) => i);
  if (rows.length !== numChannels) throw new FormatError(h.name, `${es.path}/electrodes names ${rows.length} electrodes but data has ${numChannels} channels`);
  const t = '/general/extracellular_ephys/electrodes';
  const idDs = optionalDataset(h, `${t}/id`);
  const tableIds = idDs ? Array.from(readNumbers(h, idDs)) : null;
  const column = (name: string) => {
    const d = optionalDataset(h, `${t}/${name}`);
    return d ? readNumbers(h, d) : null;
  };
  const within = (r: number, len: number) => {
    if (!Number.isInteger(r) || r < 0 || r >= len) throw new FormatError(h.name, `${es.path}/electrodes names row ${r} but ${t} has ${len} rows`);
    return r;
  };
  const ids = rows.map((r) => (tableIds ? tableIds[within(r, tableIds.length)] : r));
  if (new Set(ids).size !== ids.length) throw new FormatError(h.name, `${es.path} names the same electrode twice`);
  const [rx, ry] = [column('rel_x'), column('rel_y')];
  const [x, y] = [column('x'), column('y')];
  const usable = (a: Float64Array | null, b: Float64Array | null) => a && b && rows.every((r) => Number.isFinite(a[r]) && Number.isFinite(b[r]));
  const geom: [number, number][] = usable(rx, ry) ? rows.map((r) => [rx![r], ry![r]])
    : usable(x, y) ? rows.map((r) => [x![r], y![r]]) : rows.map((_, i) => [0, 20 * i]);
  const gn = optionalDataset(h, `${t}/group_name`);
  const names = gn ? readStrings(h, gn) : null;
  const order: string[] = [];
  const groups = rows.map((r) => {
    const name = names?.[r] ?? '';
    if (!order.includes(name)) order.push(name);
    return order.indexOf(name);
  });
  return { ids, geom, groups };
}

export async function openNwbRecording(obj: Extract<RecordingObject, { recording_format: 'nwb' }>, open: OpenFile): Promise<RecordingReader> {
  const file = await open(obj.data.path);
  let h: Hdf5Handle | null = null;
  try {
    h = await openHdf5(file);
    const hh = h;
    const es = findSeries(hh, obj.data.electrical_series_name);
    const data = dataset(hh, `${es.path}/data`);
    const shape = shapeOf(data);
    if (shape.length < 1 || shape.length > 2) throw new FormatError(hh.name, `${data.path} is shaped [${shape.join(', ')}]; an ElectricalSeries is [frames] or [frames][channels]`);
    const [numFrames, numChannels] = [shape[0], shape[1] ?? 1];
    const dtype = datasetDtype(hh, data);
    const { rate } = timing(hh, es);
    const { ids, geom, groups } = electrodes(hh, es, numChannels);
    const conversion = attrNumber(data, 'conversion') ?? 1;
    const cc = optionalDataset(hh, `${es.path}/channel_conversion`);
    const perChannel = cc ? Array.from(readNumbers(hh, cc)) : null;
    if (perChannel && perChannel.length !== numChannels) throw new FormatError(hh.name, `${cc!.path} has ${perChannel.length} values for ${numChannels} channels`);
    const gains = ids.map((_, i) => 1e6 * conversion * (perChannel ? perChannel[i] : 1));
    const common = gains.every((g) => g === gains[0]) ? gains[0] : null;
    const source: FrameSource = {
      name: hh.name,
      numFrames,
      dtype: servedDtypeOf(dtype),
      bytesPerFrame: numChannels * dtypeSize[dtype],
      async readInto(start, end, columns, out, outRow) {
        if (shape.length === 1) {
          pickColumns(sliceRows(hh, data, start, end), 1, columns, out, outRow);
          return;
        }
        const c0 = Math.min(...columns);
        const c1 = Math.max(...columns) + 1;
        pickColumns(sliceRows(hh, data, start, end, [c0, c1]), c1 - c0, columns.map((c) => c - c0), out, outRow);
      },
      close: async () => {
        await hh.close();
        await file.close();
      },
    };
    return makeRecordingReader({
      sampleRateHz: rate,
      numFrames,
      channelIds: ids,
      channelGroups: groups,
      geom,
      dtype: servedDtypeOf(dtype),
      sourceDtype: dtype,
      gainUvPerBit: common,
      ...(common === null ? { channelGainsUvPerBit: gains } : {}),
    }, source, new Map(ids.map((id, i) => [id, i])));
  } catch (err) {
    if (h) await h.close();
    await file.close();
    throw err;
  }
}

export async function openNwbSorting(obj: Extract<SortingObject, { sorting_format: 'nwb' }>, open: OpenFile): Promise<SortingReader> {
  const file = await open(obj.data.path);
  let h: Hdf5Handle | null = null;
  try {
    h = await openHdf5(file);
    const times = readNumbers(h, dataset(h, '/units/spike_times'));
    const index = readNumbers(h, dataset(h, '/units/spike_times_index'));
    const idDs: Dataset | null = optionalDataset(h, '/units/id');
    const ids = idDs ? Array.from(readNumbers(h, idDs)) : Array.from(index, (_, i) => i);
    if (ids.length !== index.length) throw new FormatError(h.name, `/units/id has ${ids.length} units but spike_times_index has ${index.length}`);
    let rate = obj.data.samplerate;
    let t0 = 0;
    let series: Group | null = null;
    try {
      series = findSeries(h, obj.data.electrical_series_name);
    } catch (err) {
      if (obj.data.electrical_series_name || rate === undefined) {
        throw new FormatError(h.name, `the units table has no sampling rate and ${(err as Error).message.replace(`${h.name}: `, '')}; give data.samplerate or data.electrical_series_name`, { cause: err });
      }
    }
    if (series) {
      const tm = timing(h, series);
      rate ??= tm.rate;
      t0 = tm.t0;
    }
    const trains = new Map<number, Float64Array>();
    let prev = 0;
    for (let u = 0; u < ids.length; u++) {
      const end = index[u];
      if (!Number.isInteger(end) || end < prev || end > times.length) {
        throw new FormatError(h.name, `/units/spike_times_index[${u}] = ${end} is not a valid end offset (previous ${prev}, ${times.length} spike times)`);
      }
      const t = new Float64Array(end - prev);
      for (let i = prev; i < end; i++) {
        if (!Number.isFinite(times[i])) throw new FormatError(h.name, `/units/spike_times[${i}] is ${times[i]}`);
        t[i - prev] = Math.round((times[i] - t0) * rate!);
      }
      if (trains.has(ids[u])) throw new FormatError(h.name, `/units/id repeats unit ${ids[u]}`);
      trains.set(ids[u], t);
      prev = end;
    }
    if (prev !== times.length) throw new FormatError(h.name, `/units/spike_times_index ends at ${prev} but there are ${times.length} spike times`);
    return sortingFromTrains(trains, rate!, h.name);
  } finally {
    if (h) await h.close();
    await file.close();
  }
}

// ---------------------------------------------------------------- detection (workspace add-*)

/**
 * `.nwb` → recording (the series with the highest rate when there are several, named in the object) or,
 * with kind 'sorting' or when it has no series, its units table.
 */
export const detectNwbFile: FileRule = async (path, name, { opts }) => {
  if (!name.endsWith('.nwb')) return null;
  const f = await localOpenFile({ withLocalPath: true })(path);
  let d;
  try {
    d = await describeNwb(f);
  } finally {
    await f.close();
  }
  const best = [...d.series].sort((a, b) => b.rateHz - a.rateHz)[0];
  const seriesName = d.series.length > 1 && best ? { electrical_series_name: best.path.split('/').pop()! } : {};
  if (opts.kind === 'sorting' || (!opts.kind && !best)) {
    if (!d.hasUnits) throw new FormatError(path, 'has no units table (/units/spike_times)');
    return { sorting_format: 'nwb', data: { path, ...seriesName } };
  }
  if (!best) throw new FormatError(path, 'has no ElectricalSeries');
  return { recording_format: 'nwb', data: { path, ...seriesName } };
};
