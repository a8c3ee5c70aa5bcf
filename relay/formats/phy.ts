import { LABEL_OF_PHY_GROUP, parsePhyClusterTsv, type PhyGroup } from '../../core/curation/phy';
import type { SortingObject } from '../../core/protocol/dataObjects';
import { joinPath, loadBytes, loadText, tryOpen } from './files';
import { parseNpy } from '../../core/formats/npy';
import { raveled } from './npySorting';
import { sortingFromLabels } from './sortingUtils';
import { FormatError, type OpenFile, type SortingReader } from './types';

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
