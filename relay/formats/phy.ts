import { LABEL_OF_PHY_GROUP, parsePhyClusterTsv, type PhyGroup } from '../../core/curation/phy';
import type { SortingObject } from '../../core/protocol/dataObjects';
import { joinPath, loadBytes, loadText, tryOpen } from './files';
import { parseNpy } from '../../core/formats/npy';
import { raveled } from './npySorting';
import { sortingFromLabels } from './sortingUtils';
import { FormatError, type OpenFile, type SortingReader } from './types';
import { readFile, stat } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { parseDtypeName, toFloat64 } from './dtypes';
import { exists, type DetectOptions, type FileRule, type FolderRule } from './detectTools';
import { localOpenFile } from './local';
import { openEphysGains } from './openephys';
import { spikeGlxObject } from './spikeglx';
import type { RecordingObject } from '../../core/protocol/dataObjects';

/**
 * phy / Kilosort output folder:
 * - `spike_times.npy` (uint64/int64 frames, (n,) or (n,1)); `spike_clusters.npy`, or when absent
 *   (never curated in phy) `spike_templates.npy`, gives each spike's unit id.
 * - `params.py` gives `sample_rate` (required), and `dat_path`, `n_channels_dat`, `dtype`, `offset` for
 *   the recording (see detect.ts).
 * - initial labels from `cluster_group.tsv` (phy's manual labels) or else `cluster_KSLabel.tsv`,
 *   mapped to sortingview labels: good → accept, mua → mua, noise → noise; unsorted → none; any other
 *   label is kept as written. Labels of clusters without spikes are dropped.
 */

export type PhyParams = Record<string, string | number | boolean | string[] | null>;

/** The simple Python literals of params.py: numbers, strings (also r'' and ''''''), True/False/None, lists of strings. */
export function parsePhyParams(text: string, name: string): PhyParams {
  const out: PhyParams = {};
  for (const [i, raw] of text.split(/\r?\n/).entries()) {
    const line = raw.replace(/\s+#.*$/, '').trim();
    if (!line || line.startsWith('#')) continue;
    const m = /^([A-Za-z_]\w*)\s*=\s*(.+)$/.exec(line);
    if (!m) throw new FormatError(name, `line ${i + 1} is not "name = value": ${JSON.stringify(raw)}`);
    out[m[1]] = parsePyValue(m[2].trim(), name, i + 1);
  }
  return out;
}

function parsePyValue(v: string, name: string, line: number): string | number | boolean | string[] | null {
  if (v === 'True') return true;
  if (v === 'False') return false;
  if (v === 'None') return null;
  const str = /^[rRbBuU]?(['"])(.*)\1$/.exec(v);
  if (str) return /^[rR]/.test(v) ? str[2] : str[2].replace(/\\\\/g, '\\');
  if (v.startsWith('[') && v.endsWith(']')) {
    const items = [...v.slice(1, -1).matchAll(/[rRuU]?(['"])(.*?)\1/g)].map((m) => m[2]);
    return items;
  }
  const n = Number(v.replace(/\.$/, ''));
  if (Number.isFinite(n)) return n;
  throw new FormatError(name, `line ${line}: cannot read the value ${JSON.stringify(v)}`);
}

/** Initial labels from phy's `cluster_group.tsv`, else Kilosort's `cluster_KSLabel.tsv` (the parser is core/curation's, shared with `curation import`). */
async function readLabels(open: OpenFile, folder: string): Promise<Map<number, string>> {
  for (const [file, column] of [['cluster_group.tsv', 'group'], ['cluster_KSLabel.tsv', 'KSLabel']] as const) {
    const path = joinPath(folder, file);
    const f = await tryOpen(open, path);
    if (!f) continue;
    await f.close();
    try {
      return parsePhyClusterTsv(await loadText(open, path), path, column);
    } catch (err) {
      throw new FormatError(path, (err as Error).message.replace(`${path} `, '').replace(`${path}: `, ''));
    }
  }
  return new Map();
}

export async function readPhyParams(open: OpenFile, folder: string): Promise<PhyParams> {
  const path = joinPath(folder, 'params.py');
  return parsePhyParams(await loadText(open, path), path);
}

export async function openPhySorting(obj: Extract<SortingObject, { sorting_format: 'phy' }>, open: OpenFile): Promise<SortingReader> {
  const folder = obj.data.folder;
  const params = await readPhyParams(open, folder);
  const rate = params.sample_rate;
  if (typeof rate !== 'number' || !(rate > 0)) throw new FormatError(joinPath(folder, 'params.py'), 'has no positive sample_rate');
  const timesPath = joinPath(folder, 'spike_times.npy');
  const times = raveled(parseNpy(await loadBytes(open, timesPath), timesPath), timesPath);
  let clustersPath = joinPath(folder, 'spike_clusters.npy');
  const f = await tryOpen(open, clustersPath);
  if (f) await f.close();
  else clustersPath = joinPath(folder, 'spike_templates.npy');
  const clusters = raveled(parseNpy(await loadBytes(open, clustersPath), clustersPath), clustersPath);
  if (clusters.length !== times.length) throw new FormatError(clustersPath, `has ${clusters.length} entries but spike_times.npy has ${times.length}`);
  const phyLabels = await readLabels(open, folder);
  const present = new Set(clusters);
  const initial: Record<number, string[]> = {};
  for (const [id, label] of phyLabels) {
    if (!present.has(id)) continue;
    const mapped = label in LABEL_OF_PHY_GROUP ? LABEL_OF_PHY_GROUP[label as PhyGroup] : label;
    if (mapped) initial[id] = [mapped];
  }
  return sortingFromLabels(times, clusters, rate, timesPath, initial);
}

// ---------------------------------------------------------------- detection (workspace add-recording/add-sorting)

/** params.py stands for its folder. */
export const detectPhyFile: FileRule = async (path, name, ctx) => (name === 'params.py' ? ctx.detect(dirname(path)) : null);

/** A folder with params.py + spike_times.npy: the sorting, or with kind 'recording' its dat_path. */
export const detectPhyFolder: FolderRule = async (path, { opts }) => {
  if (!(await exists(join(path, 'params.py'))) || !(await exists(join(path, 'spike_times.npy')))) return null;
  return opts.kind === 'recording' ? phyRecording(path, opts) : { sorting_format: 'phy', data: { folder: path } };
};

/**
 * The recording of a phy folder: its dat_path as SpikeGLX when a .meta sits beside the .bin, else
 * bin2 (with the Open Ephys stream's gains when dat_path is a continuous.dat beside its structure.oebin).
 */
async function phyRecording(folder: string, opts: DetectOptions): Promise<RecordingObject> {
  const paramsPath = join(folder, 'params.py');
  const p = parsePhyParams(await readFile(paramsPath, 'utf8'), paramsPath);
  const dat = Array.isArray(p.dat_path) ? p.dat_path[0] : p.dat_path;
  if (typeof dat !== 'string' || !dat) throw new FormatError(paramsPath, 'has no dat_path, so the recording is unknown');
  const datPath = resolve(folder, dat);
  if (await exists(datPath.replace(/\.bin$/, '.meta')) && datPath.endsWith('.bin')) return spikeGlxObject(datPath);
  const nch = p.n_channels_dat;
  const rate = p.sample_rate;
  const dtype = parseDtypeName(typeof p.dtype === 'string' ? p.dtype : 'int16');
  if (typeof nch !== 'number' || typeof rate !== 'number') throw new FormatError(paramsPath, 'needs n_channels_dat and sample_rate');
  if (dtype !== 'int16' && dtype !== 'int32' && dtype !== 'int64' && dtype !== 'float32' && dtype !== 'float64') throw new FormatError(paramsPath, `dtype ${String(p.dtype)} cannot be served as bin2`);
  if (typeof p.offset === 'number' && p.offset !== 0) throw new FormatError(paramsPath, `offset=${p.offset}: a bin2 recording has no header offset`);
  const size = (await stat(datPath)).size;
  const bytesPerFrame = nch * { int16: 2, int32: 4, int64: 8, float32: 4, float64: 8 }[dtype];
  if (size % bytesPerFrame !== 0) throw new FormatError(datPath, `${size} bytes is not a whole number of ${nch}-channel ${dtype} frames`);
  const gains = await openEphysGains(datPath, nch, dtype, paramsPath, opts);
  const open = localOpenFile();
  const npy = async (name: string) => (await exists(join(folder, name)) ? parseNpy(await loadBytes(open, join(folder, name)), join(folder, name)) : null);
  const map = await npy('channel_map.npy');
  const pos = await npy('channel_positions.npy');
  const columns = map ? Array.from(toFloat64(map.data)) : Array.from({ length: nch }, (_, i) => i);
  const xy = pos ? toFloat64(pos.data) : null;
  const cols = pos?.shape[1] ?? 2;
  if (xy && pos!.shape[0] !== columns.length) throw new FormatError(join(folder, 'channel_positions.npy'), `has ${pos!.shape[0]} rows for ${columns.length} channels`);
  return {
    recording_format: 'bin2',
    data: {
      raw: datPath, raw_num_channels: nch, num_frames: size / bytesPerFrame, samplerate: rate, dtype,
      channel_ids: columns,
      channel_map: Object.fromEntries(columns.map((c) => [String(c), c])),
      channel_positions: Object.fromEntries(columns.map((c, i) => [String(c), xy ? [xy[i * cols], xy[i * cols + 1]] : [0, 20 * i]])),
      ...(gains ? { channel_gains_uv_per_bit: Object.fromEntries(columns.map((c) => [String(c), gains[c]])) } : {}),
    },
  };
}
