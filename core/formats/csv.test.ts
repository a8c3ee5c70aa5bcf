import { describe, expect, it } from 'vitest';
import { parseDelimited, parseNumberCell } from './csv';

const cells = (text: string, sep = ',') => parseDelimited(text, sep, 'f.csv').map((r) => r.cells);

describe('parseDelimited: delimited text as pandas to_csv and Python\'s csv module write it', () => {
  it('splits rows on LF, CRLF (csv.writer\'s default, pandas on Windows) and CR alike', () => {
    const want = [['', 'snr'], ['0', '1.5'], ['1', '']];
    expect(cells(',snr\n0,1.5\n1,\n')).toEqual(want);
    expect(cells(',snr\r\n0,1.5\r\n1,\r\n')).toEqual(want);
    expect(cells(',snr\r0,1.5\r1,')).toEqual(want);
  });

  it('reads QUOTE_MINIMAL quoting: delimiters, doubled quotes and line breaks inside quotes', () => {
    // pandas writes a column named `amp, uV` as "amp, uV", one named `say "hi"` as "say ""hi""".
    expect(cells(',"amp, uV","say ""hi""","two\nlines"\n3,1,2,3\n')).toEqual([['', 'amp, uV', 'say "hi"', 'two\nlines'], ['3', '1', '2', '3']]);
    // The row after a quoted line break starts on line 3 of the file.
    expect(parseDelimited('a,"x\ny"\n1,2\n', ',', 'f.csv').map((r) => r.line)).toEqual([1, 3]);
    // A quote inside an unquoted field is a plain character (csv.reader, pandas).
    expect(cells('a,b"c\n')).toEqual([['a', 'b"c']]);
    // After a closing quote, text up to the delimiter is kept (csv.reader, strict=False).
    expect(cells('"ab"c,d\n')).toEqual([['abc', 'd']]);
    // `""` alone is one empty field (csv.writer writes a lone empty field so).
    expect(cells('""\n0\n')).toEqual([[''], ['0']]);
  });

  it('skips blank lines and a byte-order mark; tabs for phy files', () => {
    expect(cells('\uFEFFcluster_id\tsnr\r\n\r\n0\t2.5\r\n\n', '\t')).toEqual([['cluster_id', 'snr'], ['0', '2.5']]);
    expect(cells('')).toEqual([]);
  });

  it('says which line a quote that never closes starts on', () => {
    expect(() => parseDelimited('a,b\n1,"oops\n2,3\n', ',', 'metrics.csv')).toThrow(/metrics\.csv: line 2: a quoted field is never closed/);
  });
});

describe('parseNumberCell: numbers as pandas read_csv / Python float() take them', () => {
  it('decimal and exponent literals in Python repr', () => {
    expect(['0', '-3', '0.1', '1e-05', '1.5e+16', '-0.0', '.5', '3.', '+2', ' 7 '].map(parseNumberCell)).toEqual([0, -3, 0.1, 1e-5, 1.5e16, -0, 0.5, 3, 2, 7]);
  });
  it('NA strings are NaN, inf is infinite, text is not a number', () => {
    for (const na of ['', 'nan', 'NaN', 'NA', '<NA>', 'None', 'null', '#N/A', 'n/a']) expect(parseNumberCell(na), na).toBeNaN();
    expect(['inf', '-inf', 'Infinity', '+INF'].map(parseNumberCell)).toEqual([Infinity, -Infinity, Infinity, Infinity]);
    expect(['good', 'True', '1,5', '0x10', '1e', '--1'].map(parseNumberCell)).toEqual([null, null, null, null, null, null]);
  });
});
