/**
 * Delimited text exactly as Python writes it, for generated test files:
 * - pandas `DataFrame.to_csv` (pandas/io/formats/csvs.py `CSVFormatter`: the stdlib `csv.writer` with
 *   QUOTE_MINIMAL, `lineterminator=os.linesep`; header `[index_label or '', *columns]`; float64 values
 *   through `get_values_for_csv` → numpy `astype(str)` (Python's repr), NaN → `na_rep` ''). This is
 *   SpikeInterface's `AnalyzerExtension._save_data` for DataFrames (`to_csv(path, index=True)`, the
 *   `metrics.csv` of quality_metrics and template_metrics) and `export_to_phy`'s
 *   `to_csv(sep="\t", index=False)`.
 * - phylib `_write_tsv_simple` (phy's `cluster_<name>.tsv`): `csv.writer(f, delimiter='\t')`, whose
 *   excel dialect ends lines in `\r\n`; values by `str()`.
 */

/** Python's `repr(float)` (= numpy's `str` of a float64): shortest round-trip digits, exponent below 1e-4 and from 1e16. */
export function pyFloatRepr(x: number): string {
  if (Number.isNaN(x)) return 'nan';
  if (x === Infinity) return 'inf';
  if (x === -Infinity) return '-inf';
  if (x === 0) return Object.is(x, -0) ? '-0.0' : '0.0';
  const [mantissa, expText] = Math.abs(x).toExponential().split('e'); // shortest digits that round-trip
  const digits = mantissa.replace('.', '');
  const exp = Number(expText);
  const sign = x < 0 ? '-' : '';
  if (exp < -4 || exp >= 16) {
    const m = digits.length > 1 ? `${digits[0]}.${digits.slice(1)}` : digits;
    return `${sign}${m}e${exp < 0 ? '-' : '+'}${String(Math.abs(exp)).padStart(2, '0')}`;
  }
  if (exp < 0) return `${sign}0.${'0'.repeat(-exp - 1)}${digits}`;
  if (digits.length <= exp + 1) return `${sign}${digits}${'0'.repeat(exp + 1 - digits.length)}.0`;
  return `${sign}${digits.slice(0, exp + 1)}.${digits.slice(exp + 1)}`;
}

/** One row as `csv.writer(..., quoting=QUOTE_MINIMAL)` writes it (a lone empty field is `""`). */
export function csvRow(fields: readonly string[], delimiter: string, lineterminator: string): string {
  if (fields.length === 1 && fields[0] === '') return `""${lineterminator}`;
  const special = (f: string) => f.includes(delimiter) || f.includes('"') || f.includes('\r') || f.includes('\n');
  return fields.map((f) => (special(f) ? `"${f.replace(/"/g, '""')}"` : f)).join(delimiter) + lineterminator;
}

/** A DataFrame column: float64 (numbers, NaN as null or NaN), int64, or object values written by `str()`. */
export type PdColumn =
  | { name: string; dtype: 'float64'; values: readonly (number | null)[] }
  | { name: string; dtype: 'int64'; values: readonly number[] }
  | { name: string; dtype: 'object'; values: readonly (string | number | boolean | null)[] };

export interface DataFrameCsv {
  index: readonly (number | string)[];
  /** `df.index.name` (None: the first header cell is empty). */
  indexName?: string | null;
  columns: readonly PdColumn[];
}

function cell(col: PdColumn, i: number): string {
  const v = col.values[i];
  if (v === null || (typeof v === 'number' && Number.isNaN(v))) return ''; // na_rep
  if (col.dtype === 'float64') return pyFloatRepr(v as number);
  if (typeof v === 'boolean') return v ? 'True' : 'False';
  if (typeof v === 'number') return col.dtype === 'int64' || Number.isInteger(v) ? String(v) : pyFloatRepr(v); // object: integral numbers are Python ints
  return v as string;
}

/** `df.to_csv(path, sep=sep, index=index)`; `lineterminator` is `os.linesep` ("\n" on Linux and macOS, "\r\n" on Windows). */
export function dataFrameToCsv(df: DataFrameCsv, opts: { sep?: string; index?: boolean; lineterminator?: string } = {}): string {
  const sep = opts.sep ?? ',';
  const index = opts.index ?? true;
  const nl = opts.lineterminator ?? '\n';
  for (const c of df.columns) {
    if (c.values.length !== df.index.length) throw new Error(`dataFrameToCsv: column ${c.name} has ${c.values.length} values for ${df.index.length} rows`);
  }
  const header = [...(index ? [df.indexName ?? ''] : []), ...df.columns.map((c) => c.name)];
  let out = csvRow(header, sep, nl);
  df.index.forEach((id, i) => {
    out += csvRow([...(index ? [String(id)] : []), ...df.columns.map((c) => cell(c, i))], sep, nl);
  });
  return out;
}

/** phylib `_write_tsv_simple(path, field_name, {cluster_id: value})`: ids sorted, `str()` values (a number is a Python float, a string as is), CRLF. */
export function phyClusterTsv(fieldName: string, values: ReadonlyMap<number, number | string>): string {
  const str = (v: number | string) => (typeof v === 'number' ? pyFloatRepr(v) : v);
  return csvRow(['cluster_id', fieldName], '\t', '\r\n')
    + [...values.keys()].sort((a, b) => a - b).map((id) => csvRow([String(id), str(values.get(id)!)], '\t', '\r\n')).join('');
}
