import { FormatError } from '../formats/formatError';
import { parseDelimited } from '../formats/csv';
import { CurationError } from './errors';

/**
 * `cluster_si_unit_ids.tsv`, which SpikeInterface's `export_to_phy` writes into the phy folder
 * (spikeinterface/exporters/to_phy.py at 0.105.0, commit a5f7dbb3e39b):
 *
 *     si_unit_ids = pd.DataFrame({"cluster_id": [i for i in range(len(unit_ids))], "si_unit_id": unit_ids})
 *     si_unit_ids.to_csv(output_folder / "cluster_si_unit_ids.tsv", sep="\t", index=False)
 *
 * so `cluster_id\tsi_unit_id`, one row per unit, `cluster_id` = 0, 1, 2 … (a position), lines ending in
 * `os.linesep`, the csv module's minimal quoting. `unit_ids` are the analyzer's non-empty units (empty
 * ones are dropped with a warning), while `spike_clusters.npy` holds each spike's `unit_index` in the
 * whole sorting: the two numberings agree only when no unit before the last non-empty one is empty.
 *
 * The SI ids are read as pandas' `read_csv` would: ints when every one is an integer, else strings
 * (all of them, as an object column).
 */
export type SiUnitId = number | string;

export const SI_UNIT_IDS_FILE = 'cluster_si_unit_ids.tsv';

/** cluster id → SpikeInterface unit id. */
export function parseClusterSiUnitIds(text: string, fileName = SI_UNIT_IDS_FILE): Map<number, SiUnitId> {
  let rows;
  try {
    rows = parseDelimited(text, '\t', fileName);
  } catch (err) {
    if (err instanceof FormatError) throw new CurationError(err.message, 'bad-file', { cause: err });
    throw err;
  }
  const header = rows[0]?.cells.map((c) => c.trim()) ?? [];
  const idCol = header.indexOf('cluster_id');
  const siCol = header.indexOf('si_unit_id');
  if (idCol < 0 || siCol < 0) throw new CurationError(`${fileName}: expected the columns cluster_id and si_unit_id (as SpikeInterface's export_to_phy writes them), found ${header.map((h) => JSON.stringify(h)).join(', ') || 'none'}`, 'bad-file');
  const clusters: number[] = [];
  const raw: string[] = [];
  for (const row of rows.slice(1)) {
    const c = (row.cells[idCol] ?? '').trim();
    if (!/^\d+$/.test(c) || !Number.isSafeInteger(Number(c))) throw new CurationError(`${fileName} line ${row.line}: cluster_id ${JSON.stringify(c)} is not a non-negative integer`, 'bad-file');
    const si = row.cells[siCol] ?? '';
    if (si === '') throw new CurationError(`${fileName} line ${row.line}: si_unit_id is empty`, 'bad-file');
    clusters.push(Number(c));
    raw.push(si);
  }
  const asInts = raw.every((s) => /^\s*[+-]?\d+\s*$/.test(s) && Number.isSafeInteger(Number(s)));
  const ids: SiUnitId[] = asInts ? raw.map(Number) : raw;
  const out = new Map<number, SiUnitId>();
  const seen = new Set<SiUnitId>();
  clusters.forEach((c, i) => {
    if (out.has(c)) throw new CurationError(`${fileName}: cluster_id ${c} is listed twice`, 'bad-file');
    if (seen.has(ids[i])) throw new CurationError(`${fileName}: si_unit_id ${JSON.stringify(ids[i])} is listed twice`, 'bad-file');
    out.set(c, ids[i]);
    seen.add(ids[i]);
  });
  return out;
}

/**
 * The mapping for a sorting whose cluster ids are `clusterIds`: every cluster must have its SI unit id.
 * A cluster the file lacks means phy changed the clusters (a merge or split in phy makes new ids) or
 * export_to_phy numbered them past an empty unit; either way the SI ids cannot be told, so this refuses.
 */
export function siUnitIdsFor(map: ReadonlyMap<number, SiUnitId>, clusterIds: readonly number[], fileName = SI_UNIT_IDS_FILE): Map<number, SiUnitId> {
  const missing = clusterIds.filter((c) => !map.has(c));
  if (missing.length) {
    throw new CurationError(`${fileName} has no SpikeInterface unit id for cluster(s) ${missing.slice(0, 10).join(', ')}${missing.length > 10 ? ', …' : ''} of the sorting: `
      + 'its clusters are no longer those export_to_phy wrote (merged or split in phy, or numbered past an empty unit, which export_to_phy drops), so the SpikeInterface unit ids cannot be told. '
      + `Export without the mapping by moving ${fileName} away (the curation then names phy's cluster ids: apply it to read_phy(folder)'s sorting), or re-export to phy from the analyzer`, 'unknown-unit');
  }
  return new Map(clusterIds.map((c) => [c, map.get(c)!]));
}
