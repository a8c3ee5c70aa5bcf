import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { encodeNpy, encodeNpyRecords, encodeNpyStrings } from '../../core/formats/npy';
import { encodeNpz } from '../../relay/formats/zip';

/**
 * SpikeInterface's sorting files, written as SpikeInterface 0.105.0 (commit a5f7dbb3, 2026-07-23)
 * writes them with numpy 2.x, byte for byte (checked against numpy by spikeinterfaceSorting.test.ts):
 * - `NumpyFolderSorting.write_sorting` (core/sortingfolder.py) inside `BaseExtractor.save_to_folder`
 *   (core/base.py): `numpysorting_info.json`, `spikes.npy` (`to_spike_vector()`), an empty
 *   `properties/` and `si_folder.json` (the cached extractor's `dump_to_json(relative_to=folder)`);
 * - `NpzSortingExtractor.write_sorting` (core/npzsortingextractor.py), and `NpzFolderSorting`
 *   (`sorting_cached.npz` + `npz.json` + `si_folder.json`), SpikeInterface ≤ 0.98's cache format.
 * `provenance.json` (a dump of the *source* extractor) is not written: it depends on what was saved.
 */
export interface SiSortingInput {
  samplingFrequency: number;
  /** Integers or strings, as `sorting.unit_ids`. */
  unitIds: readonly (number | string)[];
  /** [segment][unit index] spike frames (any order within a unit, as a segment's spike train). */
  segments: readonly (readonly number[])[][];
  /** The `version` written in JSON dumps (spikeinterface.__version__). */
  version?: string;
}

const SI_VERSION = '0.105.0';

/** A float that Python's json prints with its `.0` (json.dumps of a Python float). */
export class PyFloat { constructor(readonly value: number) {} }

/** Python's float repr for the finite values a sampling rate takes. */
function pyFloat(x: number): string {
  if (Number.isInteger(x) && Math.abs(x) < 1e16) return `${x}.0`;
  return String(x).replace(/e([+-])(\d)$/, 'e$10$2');
}

/** `json.dumps(x)` (separators ', ' and ': ') or `json.dumps(x, indent=4)`; ASCII-only output (ensure_ascii). */
export function pyJson(x: unknown, indent?: number, depth = 0): string {
  const nl = indent === undefined ? '' : `\n${' '.repeat(indent * (depth + 1))}`;
  const close = indent === undefined ? '' : `\n${' '.repeat(indent * depth)}`;
  const sep = indent === undefined ? ', ' : ',';
  if (x instanceof PyFloat) return pyFloat(x.value);
  if (x === null) return 'null';
  if (typeof x === 'string') return JSON.stringify(x).replace(/[\u007f-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
  if (typeof x === 'number' || typeof x === 'boolean') return String(x);
  if (Array.isArray(x)) return x.length ? `[${nl}${x.map((v) => pyJson(v, indent, depth + 1)).join(sep + nl)}${close}]` : '[]';
  const entries = Object.entries(x as Record<string, unknown>);
  return entries.length ? `{${nl}${entries.map(([k, v]) => `${pyJson(k)}: ${pyJson(v, indent, depth + 1)}`).join(sep + nl)}${close}}` : '{}';
}

const stringIds = (ids: readonly (number | string)[]) => ids.length > 0 && typeof ids[0] === 'string';

/** `np.array(unit_ids)`: int64 for integers, `<U n` for strings. */
function unitIdsNpy(ids: readonly (number | string)[]): Uint8Array {
  if (stringIds(ids)) return encodeNpyStrings(ids as string[]);
  if (ids.length === 0) return encodeNpy('float64', [0], new Float64Array(0)); // np.array([]) is float64
  return encodeNpy('int64', [ids.length], BigInt64Array.from(ids as number[], BigInt));
}

/** `sorting.to_spike_vector()`: per segment, units concatenated in unit order, then a stable sort by frame. */
export function spikeVector(s: SiSortingInput): { sample: BigInt64Array; unit: BigInt64Array; segment: BigInt64Array } {
  const rows: [number, number, number][] = [];
  s.segments.forEach((units, seg) => {
    const inSeg: [number, number, number][] = [];
    units.forEach((train, u) => train.forEach((f) => inSeg.push([f, u, seg])));
    inSeg.sort((a, b) => a[0] - b[0]); // Array.prototype.sort is stable, as np.argsort(stable=True)
    rows.push(...inSeg);
  });
  return {
    sample: BigInt64Array.from(rows, (r) => BigInt(r[0])),
    unit: BigInt64Array.from(rows, (r) => BigInt(r[1])),
    segment: BigInt64Array.from(rows, (r) => BigInt(r[2])),
  };
}

/** The files of `sorting.save(folder=…)` (format "numpy_folder"), relative path → bytes ('' = a folder). */
export function numpyFolderSortingFiles(s: SiSortingInput): Record<string, Uint8Array | ''> {
  const v = spikeVector(s);
  const info = { sampling_frequency: new PyFloat(s.samplingFrequency), unit_ids: [...s.unitIds], num_segments: s.segments.length };
  const siFolder = {
    class: 'spikeinterface.core.sortingfolder.NumpyFolderSorting', module: 'spikeinterface', version: s.version ?? SI_VERSION,
    kwargs: { folder_path: '.', mmap_mode: null }, annotations: {}, properties: { main_channel_id: null }, relative_paths: true,
  };
  return {
    'properties': '',
    'numpysorting_info.json': new TextEncoder().encode(pyJson(info)),
    'spikes.npy': encodeNpyRecords([
      { name: 'sample_index', dtype: 'int64', data: v.sample },
      { name: 'unit_index', dtype: 'int64', data: v.unit },
      { name: 'segment_index', dtype: 'int64', data: v.segment },
    ]),
    'si_folder.json': new TextEncoder().encode(pyJson(siFolder, 4)),
  };
}

/**
 * `NpzSortingExtractor.write_sorting(sorting, path)`: `unit_ids`, `num_segment` (int64 [1]),
 * `sampling_frequency` (float64 [1]), and per segment `spike_indexes_seg<k>` (int64) and
 * `spike_labels_seg<k>` (the unit ids, stably sorted by frame). Quirk kept from the writer: a unit
 * without spikes contributes `np.array([])`, a float64 array, so the concatenated labels of integer ids
 * become float64; with string ids numpy refuses to concatenate (DTypePromotionError), so such a
 * sorting cannot be written and this throws too.
 */
export function npzSortingBytes(s: SiSortingInput): Uint8Array {
  const arrays: Record<string, Uint8Array> = {
    unit_ids: unitIdsNpy(s.unitIds),
    num_segment: encodeNpy('int64', [1], new BigInt64Array([BigInt(s.segments.length)])),
    sampling_frequency: encodeNpy('float64', [1], new Float64Array([s.samplingFrequency])),
  };
  s.segments.forEach((units, seg) => {
    const spikes: { frame: number; u: number }[] = [];
    units.forEach((train, u) => train.forEach((frame) => spikes.push({ frame, u })));
    spikes.sort((a, b) => a.frame - b.frame);
    const anyEmpty = units.some((t) => t.length === 0);
    arrays[`spike_indexes_seg${seg}`] = encodeNpy('int64', [spikes.length], BigInt64Array.from(spikes, (x) => BigInt(x.frame)));
    if (s.unitIds.length === 0) {
      arrays[`spike_labels_seg${seg}`] = encodeNpy('int64', [0], new BigInt64Array(0));
    } else if (stringIds(s.unitIds)) {
      if (anyEmpty) throw new Error('NpzSortingExtractor.write_sorting cannot write string unit ids when a unit has no spikes (numpy cannot concatenate <U with float64)');
      arrays[`spike_labels_seg${seg}`] = encodeNpyStrings(spikes.map((x) => s.unitIds[x.u] as string));
    } else if (anyEmpty) {
      arrays[`spike_labels_seg${seg}`] = encodeNpy('float64', [spikes.length], Float64Array.from(spikes, (x) => s.unitIds[x.u] as number));
    } else {
      arrays[`spike_labels_seg${seg}`] = encodeNpy('int64', [spikes.length], BigInt64Array.from(spikes, (x) => BigInt(s.unitIds[x.u])));
    }
  });
  return encodeNpz(arrays);
}

/** The files of `sorting.save(folder=…, format="npz_folder")`. */
export function npzFolderSortingFiles(s: SiSortingInput): Record<string, Uint8Array | ''> {
  const version = s.version ?? SI_VERSION;
  const dump = (cls: string, kwargs: Record<string, unknown>) => new TextEncoder().encode(pyJson({
    class: cls, module: 'spikeinterface', version, kwargs, annotations: {}, properties: { main_channel_id: null }, relative_paths: true,
  }, 4));
  return {
    'properties': '',
    'sorting_cached.npz': npzSortingBytes(s),
    'npz.json': dump('spikeinterface.core.npzsortingextractor.NpzSortingExtractor', { file_path: 'sorting_cached.npz' }),
    'si_folder.json': dump('spikeinterface.core.sortingfolder.NpzFolderSorting', { folder_path: '.' }),
  };
}

/** Writes `files` (from the functions above) under `folder`. */
export async function writeFiles(folder: string, files: Record<string, Uint8Array | ''>): Promise<void> {
  await mkdir(folder, { recursive: true });
  for (const [rel, bytes] of Object.entries(files)) {
    if (bytes === '') await mkdir(join(folder, rel), { recursive: true });
    else await writeFile(join(folder, rel), bytes);
  }
}
