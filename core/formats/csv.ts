import { FormatError } from './formatError';

/**
 * Delimited text as Python writes it: pandas `DataFrame.to_csv` (SpikeInterface's `metrics.csv`, its
 * `export_to_phy` `cluster_<metric>.tsv`) and the `csv` module (phylib's `write_tsv`, `_write_tsv_simple`).
 * Both quote minimally (csv.QUOTE_MINIMAL: a field holding the delimiter, `"`, CR or LF is put in
 * double quotes, an inner `"` doubled); lines end in `os.linesep` (pandas: CRLF on Windows) or `\r\n`
 * (the csv module's excel dialect), so LF, CRLF and CR are all line ends. Read as pandas' `read_csv`
 * and Python's `csv.reader` read it: a field that starts with `"` is quoted and may hold delimiters and
 * line breaks; a `"` inside an unquoted field is a plain character; blank lines are skipped
 * (pandas `skip_blank_lines=True`); a leading byte-order mark is dropped.
 */
export interface CsvRow {
  /** 1-based line of the file where the row starts. */
  line: number;
  cells: string[];
}

export function parseDelimited(text: string, delimiter: string, fileName: string): CsvRow[] {
  if (delimiter.length !== 1 || delimiter === '"' || delimiter === '\r' || delimiter === '\n') throw new Error(`parseDelimited: bad delimiter ${JSON.stringify(delimiter)}`);
  const src = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  const rows: CsvRow[] = [];
  let cells: string[] = [];
  let field = '';
  let quoted = false; // inside a quoted field
  let atFieldStart = true; // nothing of the current field read yet (only there does `"` open a quote)
  let fieldStarted = false; // the current row has a field (possibly empty) in progress
  let line = 1;
  let rowLine = 1;
  let quoteLine = 0;
  const endField = () => {
    cells.push(field);
    field = '';
    fieldStarted = false;
    atFieldStart = true;
  };
  const endRow = () => {
    // A blank line is no row (pandas skip_blank_lines; csv.reader yields [] for it).
    if (cells.length > 0 || fieldStarted || field !== '') {
      endField();
      rows.push({ line: rowLine, cells });
    }
    cells = [];
    atFieldStart = true;
  };
  for (let i = 0; i < src.length; i++) {
    const c = src[i];
    if (quoted) {
      if (c === '"') {
        if (src[i + 1] === '"') {
          field += '"';
          i++;
        } else {
          quoted = false; // what follows up to the delimiter is appended as is (csv.reader, strict=False)
        }
      } else {
        if (c === '\n' || (c === '\r' && src[i + 1] !== '\n')) line++;
        field += c;
      }
      continue;
    }
    if (c === delimiter) {
      endField();
      fieldStarted = true;
    } else if (c === '\n' || c === '\r') {
      if (c === '\r' && src[i + 1] === '\n') i++;
      endRow();
      line++;
      rowLine = line;
    } else if (c === '"' && atFieldStart) {
      quoted = true;
      atFieldStart = false;
      fieldStarted = true;
      quoteLine = line;
    } else {
      field += c;
      atFieldStart = false;
      fieldStarted = true;
    }
  }
  if (quoted) throw new FormatError(fileName, `line ${quoteLine}: a quoted field is never closed (the file is truncated or not CSV)`);
  endRow();
  return rows;
}

/**
 * One cell as a number the way pandas' `read_csv` and Python's `float()` take it: a decimal or
 * exponent literal (`3`, `-0.5`, `1e-05`, `.5`); pandas' default NA strings (`''`, `nan`, `NaN`, `NA`,
 * `<NA>`, `None`, `NULL`, `#N/A`, …) are `NaN`; `inf`, `-inf`, `Infinity` (any case) are infinite.
 * Anything else (`good`, `True`) is `null`: not a number.
 */
export function parseNumberCell(cell: string): number | null {
  const s = cell.trim();
  if (NA_STRINGS.has(s)) return NaN;
  if (DECIMAL.test(s)) return Number(s);
  const inf = /^([+-]?)(inf|infinity)$/i.exec(s);
  if (inf) return inf[1] === '-' ? -Infinity : Infinity;
  return null;
}

const DECIMAL = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;
/** pandas `_libs/parsers.pyx` STR_NA_VALUES (the default `na_values`). */
const NA_STRINGS = new Set(['', '-1.#IND', '1.#QNAN', '1.#IND', '-1.#QNAN', '#N/A N/A', '#N/A', 'N/A', 'n/a', 'NA', '<NA>', '#NA', 'NULL', 'null', 'NaN', '-NaN', 'nan', '-nan', 'None']);
