import { FormatError } from '../formats/formatError';
import { parseDelimited, parseNumberCell, type CsvRow } from '../formats/csv';
import { MAX_EXTERNAL_METRICS, type UnitMetric } from '../tasks/contracts/unitMetrics';
import { CurationError } from './errors';

/**
 * Quality metrics computed outside sortingview, as the tools write them, → unit metrics
 * (fetch_unit_metrics.1's `[{name, label, tooltip, data: {unitId: number | null}}]`), for
 * `sortingview metrics import`.
 *
 * - SpikeInterface's `quality_metrics` / `template_metrics` extensions: `metrics.csv`, written by
 *   `AnalyzerExtension._save_data` as `DataFrame.to_csv(path, index=True)`: the index (unit ids) is the
 *   first column, its header cell empty unless the index has a name; NaN is an empty field; floats
 *   in Python's repr (`0.1`, `1e-05`, `inf`); read back with `read_csv(path, index_col=0)`.
 * - phy / Kilosort `cluster_<name>.tsv` (phylib `_write_tsv_simple`: `cluster_id\t<name>`, csv module,
 *   CRLF), `cluster_info.tsv` (phy's `write_tsv`: many columns, `cluster_id` first) and
 *   SpikeInterface's `export_to_phy` `cluster_<metric>.tsv` (`to_csv(sep="\t", index=False)`). The
 *   delimiter is found as phylib's `read_tsv` finds it: tab when the header line has one, else comma.
 *   The unit id column is `cluster_id`, else the first column.
 *
 * A column whose every value is a number or NA is a metric (NaN, empty and ±inf → null); any other
 * column (KSLabel, group, True/False) is skipped, and the import says so. Unit ids must be integers.
 */
/** The SortingAnalyzer extensions whose `metrics.csv` become units-table columns (add-sorting, metrics import). */
export const SI_METRIC_EXTENSIONS: readonly string[] = Object.freeze(['quality_metrics', 'template_metrics']);

export interface MetricsFile {
  metrics: UnitMetric[];
  /** Columns that are not metrics (text), each with an example value: `KSLabel (e.g. "good")`. */
  skipped: string[];
  /** The file's unit ids, in file order. */
  unitIds: number[];
  /** How many values were ±inf (shown as empty, like NaN). */
  infinite: number;
}

/**
 * A SpikeInterface extension's `metrics.csv` (pandas `to_csv(index=True)`). `fileName` names it in errors
 * and tooltips. `unitIdsByName`: the sorting's string unit ids → sortingview's ids, when sortingview had to
 * number them (relay/formats/siSorting.ts `siUnitIds`); every id of the file must then be one of them.
 */
export function metricsFromSpikeInterfaceCsv(text: string, fileName: string, opts: { unitIdsByName?: ReadonlyMap<string, number> } = {}): MetricsFile {
  const rows = parse(text, ',', fileName);
  const header = rows[0].cells;
  return tableToMetrics(rows, { fileName, idColumn: 0, names: [header[0], ...pandasColumnNames(header.slice(1), 1)], idWhat: 'unit id', idsByName: opts.unitIdsByName });
}

/** A phy / Kilosort `cluster_*.tsv` (or `.csv`), phylib's conventions. */
export function metricsFromPhyClusterFile(text: string, fileName: string): MetricsFile {
  const firstLine = /^[^\r\n]*/.exec(text)![0];
  const rows = parse(text, firstLine.includes('\t') ? '\t' : ',', fileName);
  const header = rows[0].cells.map((h) => h.trim());
  const idColumn = header.includes('cluster_id') ? header.indexOf('cluster_id') : 0;
  return tableToMetrics(rows, { fileName, idColumn, names: header, idWhat: 'cluster id' });
}

function parse(text: string, delimiter: string, fileName: string): CsvRow[] {
  let rows: CsvRow[];
  try {
    rows = parseDelimited(text, delimiter, fileName);
  } catch (err) {
    if (err instanceof FormatError) throw new CurationError(err.message, 'bad-file', { cause: err });
    throw err;
  }
  if (!rows.length) throw new CurationError(`${fileName} is empty: expected a header line of column names`, 'bad-file');
  const columns = rows[0].cells.length - 1;
  if (columns > MAX_EXTERNAL_METRICS) {
    throw new CurationError(`${fileName} has ${columns} columns besides the unit ids; at most ${MAX_EXTERNAL_METRICS} metrics can be attached to a sorting: drop columns first`, 'bad-file');
  }
  return rows;
}

/** pandas' names for repeated columns (`mangle_dupe_cols`): `x`, `x.1`, `x.2`; an empty header cell is `Unnamed: <i>`. */
function pandasColumnNames(cells: readonly string[], offset: number): string[] {
  const seen = new Map<string, number>();
  return cells.map((c, i) => {
    const base = c === '' ? `Unnamed: ${i + offset}` : c;
    const k = seen.get(base) ?? 0;
    seen.set(base, k + 1);
    return k ? `${base}.${k}` : base;
  });
}

interface TableSpec {
  fileName: string;
  idColumn: number;
  /** Names of all the columns, the id column's included. */
  names: string[];
  idWhat: string;
  idsByName?: ReadonlyMap<string, number>;
}

/** unitMetricSchema's bound on `name`. */
const MAX_NAME_CHARS = 200;

function tableToMetrics(rows: CsvRow[], spec: TableSpec): MetricsFile {
  const { fileName, idColumn } = spec;
  const width = rows[0].cells.length;
  // Column index in the row → name.
  const columns: { index: number; name: string }[] = [];
  for (let i = 0; i < width; i++) {
    if (i === idColumn) continue;
    const name = spec.names[i] ?? '';
    if (name.length > MAX_NAME_CHARS) throw new CurationError(`${fileName}: column ${i + 1}'s name is ${name.length} characters long; a metric name is at most ${MAX_NAME_CHARS}`, 'bad-file');
    columns.push({ index: i, name: name.trim() === '' ? `column ${i + 1}` : name });
  }
  const unitIds: number[] = [];
  const seen = new Set<number>();
  const values = columns.map(() => [] as number[]);
  const text = columns.map(() => null as string | null);
  let infinite = 0;
  for (const row of rows.slice(1)) {
    if (row.cells.length > width) {
      throw new CurationError(`${fileName} line ${row.line}: ${row.cells.length} fields where the header has ${width}`, 'bad-file');
    }
    const unitId = parseUnitId(row.cells[idColumn] ?? '', `${fileName} line ${row.line}`, spec.idWhat, spec.idsByName);
    if (seen.has(unitId)) throw new CurationError(`${fileName} line ${row.line}: ${spec.idWhat} ${unitId} is listed twice`, 'bad-file');
    seen.add(unitId);
    unitIds.push(unitId);
    columns.forEach((c, k) => {
      const cell = row.cells[c.index] ?? ''; // pandas fills a short row with NaN
      const v = parseNumberCell(cell);
      if (v === null) text[k] ??= cell.trim();
      values[k].push(v ?? NaN);
    });
  }
  const metrics: UnitMetric[] = [];
  const skipped: string[] = [];
  columns.forEach((c, k) => {
    if (text[k] !== null) {
      skipped.push(`${c.name} (e.g. ${JSON.stringify(text[k]!.slice(0, 20))})`);
      return;
    }
    const data: Record<string, number | null> = {};
    unitIds.forEach((u, j) => {
      const v = values[k][j];
      if (v === Infinity || v === -Infinity) infinite++;
      data[String(u)] = Number.isFinite(v) ? v : null;
    });
    metrics.push({ name: c.name, label: metricLabel(c.name), tooltip: `${c.name} from ${fileName}`, data });
  });
  return { metrics, skipped, unitIds, infinite };
}

function parseUnitId(cell: string, where: string, what: string, byName?: ReadonlyMap<string, number>): number {
  if (byName) {
    const id = byName.get(cell);
    if (id === undefined) throw new CurationError(`${where}: ${what} ${JSON.stringify(cell.slice(0, 40))} is not one of the sorting's unit ids`, 'bad-file');
    return id;
  }
  const s = cell.trim();
  if (/^[+-]?\d+$/.test(s) && Number.isSafeInteger(Number(s))) return Number(s);
  if (s === '') throw new CurationError(`${where}: the ${what} is empty`, 'bad-file');
  if (parseNumberCell(s) !== null) throw new CurationError(`${where}: ${what} ${JSON.stringify(s)} is not an integer`, 'bad-file');
  throw new CurationError(`${where}: ${what} ${JSON.stringify(s.slice(0, 40))} is a string; string unit ids are not supported yet (unit metrics are keyed by integer unit ids)`, 'bad-file');
}

/** Readable labels of the columns SpikeInterface, phy and Kilosort write; other names by `wordLabel`. */
const LABELS: Readonly<Record<string, string>> = Object.freeze({
  // SpikeInterface quality_metrics
  num_spikes: 'Spikes',
  firing_rate: 'Firing rate',
  presence_ratio: 'Presence ratio',
  snr: 'SNR',
  isi_violations_ratio: 'ISI violations ratio',
  isi_violations_count: 'ISI violations count',
  rp_contamination: 'RP contamination',
  rp_violations: 'RP violations',
  sliding_rp_violation: 'Sliding RP violation',
  amplitude_cutoff: 'Amplitude cutoff',
  amplitude_median: 'Amplitude median',
  amplitude_cv_median: 'Amplitude CV median',
  amplitude_cv_range: 'Amplitude CV range',
  synchrony: 'Synchrony',
  firing_range: 'Firing range',
  drift_ptp: 'Drift PTP',
  drift_std: 'Drift SD',
  drift_mad: 'Drift MAD',
  sd_ratio: 'SD ratio',
  isolation_distance: 'Isolation distance',
  l_ratio: 'L-ratio',
  d_prime: "d'",
  nn_hit_rate: 'NN hit rate',
  nn_miss_rate: 'NN miss rate',
  nn_isolation: 'NN isolation',
  nn_noise_overlap: 'NN noise overlap',
  silhouette: 'Silhouette',
  noise_cutoff: 'Noise cutoff',
  noise_ratio: 'Noise ratio',
  // SpikeInterface template_metrics
  peak_to_valley: 'Peak to valley',
  peak_trough_ratio: 'Peak/trough ratio',
  half_width: 'Half width',
  repolarization_slope: 'Repolarization slope',
  recovery_slope: 'Recovery slope',
  num_positive_peaks: 'Positive peaks',
  num_negative_peaks: 'Negative peaks',
  velocity_above: 'Velocity above',
  velocity_below: 'Velocity below',
  exp_decay: 'Exp. decay',
  spread: 'Spread',
  // phy / Kilosort
  Amplitude: 'Amplitude',
  ContamPct: 'Contamination (%)',
  amp: 'Amplitude',
  ch: 'Channel',
  sh: 'Shank',
  depth: 'Depth',
  fr: 'Firing rate',
  n_spikes: 'Spikes',
  channel_group: 'Channel group',
  si_unit_id: 'SpikeInterface unit id',
});

/** Abbreviations written in capitals when a name is turned into words. */
const ACRONYMS = new Set(['snr', 'isi', 'rp', 'cv', 'ptp', 'mad', 'sd', 'nn', 'pc', 'pca', 'id', 'ks']);

/** `snr` → "SNR", `isi_violations_ratio` → "ISI violations ratio"; a name not in the table: words from `_`, first one capitalized. */
export function metricLabel(name: string): string {
  if (Object.prototype.hasOwnProperty.call(LABELS, name)) return LABELS[name];
  const words = name.split(/[_\s]+/).filter(Boolean);
  if (!words.length) return name;
  return words.map((w, i) => (ACRONYMS.has(w.toLowerCase()) ? w.toUpperCase() : i === 0 ? w[0].toUpperCase() + w.slice(1) : w)).join(' ');
}

export interface ImportedMetrics {
  metrics: UnitMetric[];
  /** What the user should know, one line each: the columns skipped as text, names found twice, infinite values. */
  notes: string[];
  /** Every unit id a file that gives metrics lists (ascending). */
  unitIds: number[];
}

/**
 * The metrics of several files as one list: a name found again in a later file is skipped (SpikeInterface's
 * `get_metrics_extension_data` keeps the first too), and the notes say so.
 */
export function combineMetricsFiles(files: readonly { fileName: string; parsed: MetricsFile }[]): ImportedMetrics {
  const metrics: UnitMetric[] = [];
  const ids = new Set<number>();
  const from = new Map<string, string>();
  const text: string[] = [];
  const repeated: string[] = [];
  const infinite: string[] = [];
  for (const { fileName, parsed } of files) {
    const again: string[] = [];
    for (const m of parsed.metrics) {
      if (from.has(m.name)) again.push(m.name);
      else {
        from.set(m.name, fileName);
        metrics.push(m);
      }
    }
    if (parsed.metrics.length) for (const u of parsed.unitIds) ids.add(u); // a file of text columns only adds no units
    if (parsed.skipped.length) text.push(`${parsed.skipped.join(', ')} in ${fileName}`);
    if (again.length) repeated.push(`${again.join(', ')} in ${fileName} (taken from ${[...new Set(again.map((n) => from.get(n)))].join(', ')})`);
    if (parsed.infinite) infinite.push(`${parsed.infinite} in ${fileName}`);
  }
  if (metrics.length > MAX_EXTERNAL_METRICS) {
    throw new CurationError(`${files.map((f) => f.fileName).join(', ')} hold ${metrics.length} metrics together; at most ${MAX_EXTERNAL_METRICS} can be attached to a sorting: import fewer files`, 'bad-file');
  }
  const notes: string[] = [];
  if (text.length) notes.push(`Skipped columns that are not numbers (not metrics): ${text.join('; ')}`);
  if (repeated.length) notes.push(`Skipped metrics already taken from an earlier file: ${repeated.join('; ')}`);
  if (infinite.length) notes.push(`Infinite values are shown as empty, like NaN: ${infinite.join('; ')}`);
  return { metrics, notes, unitIds: [...ids].sort((a, b) => a - b) };
}

/** Unit ids of the files that the sorting does not have (ascending). */
export function idsNotInSorting(unitIds: readonly number[], sortingUnitIds: readonly number[]): number[] {
  const known = new Set(sortingUnitIds);
  return unitIds.filter((u) => !known.has(u)).sort((a, b) => a - b);
}
