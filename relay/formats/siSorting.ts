import { z } from 'zod';
import type { SortingObject } from '../../core/protocol/dataObjects';
import { toFloat64, type SampleArray } from './dtypes';
import { joinPath, loadBytes, loadJson } from './files';
import { parseNpy, parseNpyIds, parseNpyRecords } from '../../core/formats/npy';
import { sortingFromTrains } from './sortingUtils';
import { FormatError, type OpenFile, type SortingReader } from './types';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { exists, readJsonFile, type DetectOptions, type FileRule, type FolderRule } from './detectTools';
import { localOpenFile } from './local';
import { readZip } from './zip';

/**
 * SpikeInterface's own sorting files (written as SpikeInterface 0.105.0 writes them, see
 * scripts/demoData/spikeinterfaceSorting.ts):
 * - `si_numpy_folder {folder, segment?}`: NumpyFolderSorting (`sorting.save(folder=…)`, SI ≥ 0.98):
 *   `numpysorting_info.json` {sampling_frequency, unit_ids, num_segments} and the structured spike
 *   vector `spikes.npy` (sample_index, unit_index = a position in unit_ids, segment_index).
 * - the SI `.npz` (NpzSortingExtractor, also NpzFolderSorting's `sorting_cached.npz`): read by the
 *   `npy2` reader (npySorting.ts) through `siNpzSorting` when it holds `spike_indexes_seg0`.
 *
 * Unit ids: sortingview's unit ids are integers end to end (the sorting chunk, curation's `unitId`,
 * the views). Integer ids, and string ids that are all canonical integers ("0", "12"), are used as
 * they are; any other string ids are numbered by their position in `unit_ids` (SpikeInterface's
 * `unit_index`) and the strings are kept in `reader.unitNames`. Units without spikes are kept.
 * One segment is served (`segment`, default 0, as the SI binary folder recording).
 */

/**
 * A NumpyFolderSorting's (an analyzer's `sorting/` too) string unit ids, SpikeInterface's own, beside
 * sortingview's ids for them (`siUnitIds`), from its `numpysorting_info.json`: what the curation export
 * names and what an analyzer's metrics.csv rows are named by. Null when the ids are integers (the
 * same in both), or the file is missing, unreadable or over `maxBytes`; a FormatError when the ids
 * are duplicates.
 */
export function siStringUnitIds(sortingFolder: string, maxBytes = 16 * 1024 * 1024): { file: string; ours: number[]; theirs: string[] } | null {
  const file = join(sortingFolder, 'numpysorting_info.json');
  if (!existsSync(file) || statSync(file).size > maxBytes) return null;
  let ids: unknown;
  try {
    ids = (JSON.parse(readFileSync(file, 'utf8')) as { unit_ids?: unknown }).unit_ids;
  } catch {
    return null;
  }
  if (!Array.isArray(ids) || !ids.length || !ids.every((x): x is string => typeof x === 'string')) return null;
  return { file, ours: siUnitIds(ids, file).ids, theirs: ids };
}

/** sortingview's integer ids for SpikeInterface's unit ids, and the names when they had to be renumbered. */
export function siUnitIds(ids: number[] | string[], where: string): { ids: number[]; names?: Record<number, string> } {
  let out: number[];
  let names: Record<number, string> | undefined;
  if (ids.every((x): x is number => typeof x === 'number')) {
    const bad = ids.find((x) => !Number.isSafeInteger(x));
    if (bad !== undefined) throw new FormatError(where, `unit id ${bad} is not an integer`);
    out = ids;
  } else if (ids.every((x) => /^(0|-?[1-9]\d{0,14})$/.test(String(x)))) {
    out = ids.map(Number);
  } else {
    out = ids.map((_, i) => i);
    names = Object.fromEntries(ids.map((x, i) => [i, String(x)]));
  }
  if (new Set(out).size !== out.length) throw new FormatError(where, `has duplicate unit ids (${ids.join(', ')})`);
  return names ? { ids: out, names } : { ids: out };
}

function checkSegment(segment: number, numSegments: number, where: string): void {
  if (segment >= numSegments) throw new FormatError(where, `has ${numSegments} segment(s); segment ${segment} does not exist (segments count from 0)`);
}

function withNames(reader: SortingReader, names: Record<number, string> | undefined): SortingReader {
  if (names) reader.unitNames = names;
  return reader;
}

const infoSchema = z.looseObject({
  sampling_frequency: z.number().positive(),
  unit_ids: z.union([z.array(z.number()), z.array(z.string())]),
  num_segments: z.number().int().positive(),
});

export async function openSiNumpyFolder(obj: Extract<SortingObject, { sorting_format: 'si_numpy_folder' }>, open: OpenFile): Promise<SortingReader> {
  const folder = obj.data.folder;
  const infoPath = joinPath(folder, 'numpysorting_info.json');
  const parsed = infoSchema.safeParse(await loadJson(open, infoPath));
  if (!parsed.success) throw new FormatError(infoPath, `is not a SpikeInterface numpysorting_info.json: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
  const info = parsed.data;
  const segment = obj.data.segment ?? 0;
  checkSegment(segment, info.num_segments, infoPath);
  const { ids, names } = siUnitIds(info.unit_ids, infoPath);

  const spikesPath = joinPath(folder, 'spikes.npy');
  const rec = parseNpyRecords(await loadBytes(open, spikesPath), spikesPath);
  const field = (n: string): SampleArray => {
    const f = rec.fields.get(n);
    if (!f) throw new FormatError(spikesPath, `has no ${n} field (it has: ${[...rec.fields.keys()].join(', ')}); expected SpikeInterface's spike vector`);
    return f;
  };
  const sample = toFloat64(field('sample_index'));
  const unit = toFloat64(field('unit_index'));
  const seg = toFloat64(field('segment_index'));
  const counts = new Array<number>(ids.length).fill(0);
  for (let i = 0; i < rec.length; i++) {
    if (!Number.isInteger(seg[i]) || seg[i] < 0 || seg[i] >= info.num_segments) throw new FormatError(spikesPath, `spike ${i} has segment_index ${seg[i]}; numpysorting_info.json has ${info.num_segments} segment(s)`);
    if (seg[i] !== segment) continue;
    const u = unit[i];
    if (!Number.isInteger(u) || u < 0 || u >= ids.length) throw new FormatError(spikesPath, `spike ${i} has unit_index ${u}; unit_ids has ${ids.length} units`);
    if (!Number.isFinite(sample[i]) || sample[i] < 0) throw new FormatError(spikesPath, `spike ${i} has sample_index ${sample[i]}, not a frame ≥ 0`);
    counts[u]++;
  }
  const trains = counts.map((n) => new Float64Array(n));
  const fill = new Array<number>(ids.length).fill(0);
  for (let i = 0; i < rec.length; i++) if (seg[i] === segment) trains[unit[i]][fill[unit[i]]++] = sample[i];
  return withNames(sortingFromTrains(new Map(ids.map((id, k) => [id, trains[k]])), info.sampling_frequency, folder), names);
}

/** The arrays of SpikeInterface's NpzSortingExtractor, once npySorting.ts found `spike_indexes_seg0` in the zip. */
export function siNpzSorting(get: (key: string) => Uint8Array, uri: string, segment: number): SortingReader {
  const scalar = (key: string): number => {
    const a = toFloat64(parseNpy(get(key), `${uri}[${key}]`).data);
    if (a.length !== 1) throw new FormatError(uri, `${key} has ${a.length} values; expected one`);
    return a[0];
  };
  const numSegments = scalar('num_segment');
  const rate = scalar('sampling_frequency');
  checkSegment(segment, numSegments, uri);
  const raw = parseNpyIds(get('unit_ids'), `${uri}[unit_ids]`);
  const { ids, names } = siUnitIds(raw, `${uri}[unit_ids]`);
  const indexOf = new Map<number | string, number>(raw.map((x, i) => [x, i]));
  const times = toFloat64(parseNpy(get(`spike_indexes_seg${segment}`), `${uri}[spike_indexes_seg${segment}]`).data);
  const labelsName = `${uri}[spike_labels_seg${segment}]`;
  // Labels are unit ids; integer ids come back as float64 when a unit had no spikes (the writer's np.array([])).
  const labels = parseNpyIds(get(`spike_labels_seg${segment}`), labelsName);
  if (labels.length !== times.length) throw new FormatError(labelsName, `has ${labels.length} labels but spike_indexes_seg${segment} has ${times.length} spikes`);
  const trains = ids.map(() => [] as number[]);
  for (let i = 0; i < labels.length; i++) {
    const k = indexOf.get(labels[i]);
    if (k === undefined) throw new FormatError(labelsName, `spike ${i} has label ${JSON.stringify(labels[i])}, which is not in unit_ids`);
    if (!Number.isFinite(times[i]) || times[i] < 0) throw new FormatError(uri, `spike ${i} of segment ${segment} has time ${times[i]}, not a frame ≥ 0`);
    trains[k].push(times[i]);
  }
  return withNames(sortingFromTrains(new Map(ids.map((id, k) => [id, Float64Array.from(trains[k])])), rate, uri), names);
}

// ---------------------------------------------------------------- detection (workspace add-sorting)

/**
 * Tells the user, when a sorting is added, that its string unit ids are shown as numbers, and which is which
 * (sortingview's ids are integers end to end; see siUnitIds).
 */
function noteRenumbered(ids: number[] | string[], where: string, opts: DetectOptions): void {
  let names: Record<number, string> | undefined;
  try {
    names = siUnitIds(ids, where).names;
  } catch {
    return; // the reader reports bad ids when the sorting is opened
  }
  if (!names) return;
  const pairs = Object.entries(names).slice(0, 5).map(([n, id]) => `${n} = ${JSON.stringify(id)}`).join(', ');
  opts.onNote?.(`${where} has string unit ids; sortingview numbers units by their position in unit_ids (SpikeInterface's unit_index): ${pairs}${ids.length > 5 ? ', …' : ''}`);
}

/** noteRenumbered for a SpikeInterface .npz (its unit_ids array); a 2021 npz, without one, says nothing. */
export async function noteNpzUnitIds(path: string, opts: DetectOptions): Promise<void> {
  if (!opts.onNote) return;
  const entries = readZip(await loadBytes(localOpenFile(), path), path);
  const ids = entries.get('unit_ids.npy');
  if (ids && entries.has('spike_indexes_seg0.npy')) noteRenumbered(parseNpyIds(ids, `${path}[unit_ids]`), path, opts);
}

/** The JSON files of a SpikeInterface folder stand for the folder. */
export const detectSiSortingFile: FileRule = async (path, name, ctx) =>
  (name === 'si_folder.json' || name === 'numpysorting_info.json' || name === 'npz.json' ? ctx.detect(dirname(path)) : null);

/**
 * A SpikeInterface sorting folder: NumpyFolderSorting (`numpysorting_info.json` + `spikes.npy`) →
 * si_numpy_folder, NpzFolderSorting (`npz.json` + `sorting_cached.npz`) → npy2. Recording folders hold
 * `si_folder.json` too, so the sorting's own files decide; an si_folder.json naming another sorting
 * class is refused by name.
 */
export const detectSiSortingFolder: FolderRule = async (folder, { opts }) => {
  if (await exists(join(folder, 'numpysorting_info.json'))) {
    if (!(await exists(join(folder, 'spikes.npy')))) throw new FormatError(folder, 'has numpysorting_info.json but no spikes.npy (an incomplete SpikeInterface sorting folder)');
    const info = (await readJsonFile(join(folder, 'numpysorting_info.json'))) as { num_segments?: unknown } | null;
    const ids = (info as { unit_ids?: unknown } | null)?.unit_ids;
    if (Array.isArray(ids)) noteRenumbered(ids as number[] | string[], folder, opts);
    if (typeof info?.num_segments === 'number' && info.num_segments > 1) {
      opts.onNote?.(`${folder} has ${info.num_segments} segments; sortingview shows segment 0 (its frames count from the start of the recording's segment 0)`);
    }
    return { sorting_format: 'si_numpy_folder', data: { folder } };
  }
  if ((await exists(join(folder, 'npz.json'))) && (await exists(join(folder, 'sorting_cached.npz')))) {
    await noteNpzUnitIds(join(folder, 'sorting_cached.npz'), opts);
    return { sorting_format: 'npy2', data: { npz_uri: join(folder, 'sorting_cached.npz') } };
  }
  const siFolder = join(folder, 'si_folder.json');
  if (!(await exists(join(folder, 'binary.json'))) && (await exists(siFolder))) {
    const cls = /"class"\s*:\s*"([^"]*)"/.exec(await readFile(siFolder, 'utf8'))?.[1] ?? '';
    if (/Sorting/.test(cls)) throw new FormatError(siFolder, `describes a ${cls}, a sorting format this relay does not read; save it as SpikeInterface's default sorting folder (sorting.save(folder=…), NumpyFolderSorting)`);
  }
  return null;
};
