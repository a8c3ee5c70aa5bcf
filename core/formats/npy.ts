import { dtypeSize, parseDtypeName, viewAs, type SampleArray, type SourceDtype } from './dtypes';
import { FormatError } from './formatError';

/**
 * NumPy .npy (format versions 1.0, 2.0, 3.0): magic `\x93NUMPY`, version, header length (uint16 in
 * v1, uint32 in v2/3), a Python dict literal `{'descr': '<i8', 'fortran_order': False, 'shape': (n,)}`,
 * then the data. Read: little-endian numeric dtypes (`<i1…<i8`, `<u1…<u8`, `<f4`, `<f8`; 2-D Fortran
 * order arrays are transposed to C order), unicode/bytes strings (`<U n`, `|S n`: unit ids) and
 * structured arrays of numeric fields (SpikeInterface's `spikes.npy`). Object arrays (pickles) are never read.
 * The one .npy codec of the repository (issue 17): the relay's readers, the demo-data and SpikeInterface
 * generators, the numpy oracle runner and the benchmarks all use it. Pure, so core/ may use it too.
 */
export interface NpyArray { dtype: SourceDtype; shape: number[]; data: SampleArray }

const MAGIC = [0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59];

/** One field of a structured dtype, as numpy's descr lists it: `('sample_index', '<i8')`. */
interface NpyField { name: string; descr: string }

interface NpyHeader { descr: string | NpyField[]; fortran: boolean; shape: number[]; count: number; body: Uint8Array }

function readHeader(bytes: Uint8Array, name: string): NpyHeader {
  if (bytes.length < 10 || MAGIC.some((b, i) => bytes[i] !== b)) throw new FormatError(name, 'is not a .npy file (no \\x93NUMPY magic)');
  const major = bytes[6];
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let headerLen: number;
  let start: number;
  if (major === 1) {
    headerLen = dv.getUint16(8, true);
    start = 10;
  } else if (major === 2 || major === 3) {
    if (bytes.length < 12) throw new FormatError(name, 'is truncated inside its .npy header');
    headerLen = dv.getUint32(8, true);
    start = 12;
  } else {
    throw new FormatError(name, `has .npy format version ${major}.${bytes[7]}, which this reader does not know`);
  }
  if (start + headerLen > bytes.length) throw new FormatError(name, `is truncated inside its .npy header (${headerLen} header bytes, file has ${bytes.length})`);
  const header = new TextDecoder(major === 3 ? 'utf-8' : 'latin1').decode(bytes.subarray(start, start + headerLen));
  const simple = /'descr'\s*:\s*'([^']*)'/.exec(header)?.[1];
  // A structured dtype's descr is a list of (name, descr) tuples; a field with a sub-array shape
  // (a third tuple item) is not read.
  const list = simple === undefined ? /'descr'\s*:\s*\[(.*?)\]\s*,\s*'/.exec(header)?.[1] : undefined;
  const fortran = /'fortran_order'\s*:\s*(True|False)/.exec(header)?.[1];
  const shapeText = /'shape'\s*:\s*\(([^)]*)\)/.exec(header)?.[1];
  if ((simple === undefined && list === undefined) || fortran === undefined || shapeText === undefined) {
    throw new FormatError(name, `has a malformed .npy header: ${JSON.stringify(header.trim())}`);
  }
  let descr: string | NpyField[] = simple ?? '';
  if (list !== undefined) {
    const fields = [...list.matchAll(/\(\s*'([^']*)'\s*,\s*'([^']*)'\s*(,[^)]*)?\)/g)];
    if (!fields.length || fields.some((f) => f[3] !== undefined)) throw new FormatError(name, `has a structured dtype this reader does not read: [${list}]`);
    descr = fields.map((f) => ({ name: f[1], descr: f[2] }));
  }
  const shape = shapeText.split(',').map((s) => s.trim()).filter((s) => s !== '').map(Number);
  if (shape.some((x) => !Number.isSafeInteger(x) || x < 0)) throw new FormatError(name, `has a malformed shape (${shapeText})`);
  return { descr, fortran: fortran === 'True', shape, count: shape.reduce((a, b) => a * b, 1), body: bytes.subarray(start + headerLen) };
}

function descrText(descr: string | NpyField[]): string {
  return typeof descr === 'string' ? descr : `[${descr.map((f) => `('${f.name}', '${f.descr}')`).join(', ')}]`;
}

function checkBodySize(h: NpyHeader, itemSize: number, name: string): void {
  const expected = h.count * itemSize;
  if (h.body.length !== expected) {
    const how = h.body.length < expected ? 'truncated' : 'trailing bytes';
    throw new FormatError(name, `header says shape (${h.shape.join(', ')}) of ${descrText(h.descr)} (${expected} data bytes) but the file has ${h.body.length} data bytes (${how})`);
  }
}

function numericDtype(descr: string, name: string): SourceDtype {
  const dtype = parseDtypeName(descr);
  if (dtype) return dtype;
  const why = descr.startsWith('>') ? 'big-endian data is not supported' : descr.includes('O') ? 'object arrays (pickles) are never read' : 'unsupported dtype';
  throw new FormatError(name, `has dtype ${JSON.stringify(descr)}: ${why}`);
}

/**
 * The header of a plain numeric .npy from the file's first bytes (`prefix`, at least the header: 4096
 * bytes hold any numpy writes for ≤ 3 dimensions), for reading parts of a large array by offset.
 * `dataOffset` is where the C-order data starts.
 */
export function parseNpyHeader(prefix: Uint8Array, name: string): { dtype: SourceDtype; shape: number[]; fortran: boolean; dataOffset: number } {
  const h = readHeader(prefix, name);
  if (typeof h.descr !== 'string') throw new FormatError(name, `is a structured array (${descrText(h.descr)}), not a plain numeric array`);
  return { dtype: numericDtype(h.descr, name), shape: h.shape, fortran: h.fortran, dataOffset: prefix.length - h.body.length };
}

export function parseNpy(bytes: Uint8Array, name: string): NpyArray {
  const h = readHeader(bytes, name);
  if (typeof h.descr !== 'string') throw new FormatError(name, `is a structured array (${descrText(h.descr)}), not a plain numeric array`);
  const dtype = numericDtype(h.descr, name);
  checkBodySize(h, dtypeSize[dtype], name);
  let data = viewAs(h.body, dtype);
  if (h.fortran && h.shape.filter((x) => x > 1).length > 1) {
    if (h.shape.length !== 2) throw new FormatError(name, `is a ${h.shape.length}-D Fortran-order array, which this reader does not transpose`);
    data = transpose(data, h.shape[1], h.shape[0]);
  }
  return { dtype, shape: h.shape, data };
}

/**
 * A 1-D array of unit ids as numpy stores them: integers (returned as numbers) or strings, `<U n`
 * (UTF-32 code points, NUL-padded) or `|S n` (bytes, NUL-padded). numpy strips trailing NULs when it
 * reads them, so do we.
 */
export function parseNpyIds(bytes: Uint8Array, name: string): number[] | string[] {
  const h = readHeader(bytes, name);
  const descr = typeof h.descr === 'string' ? h.descr : '';
  const str = /^([<|=]?)([US])(\d+)$/.exec(descr);
  if (!str) {
    const a = parseNpy(bytes, name);
    return Array.from(a.data as ArrayLike<number | bigint>, (v) => Number(v));
  }
  const width = Number(str[3]);
  const unicode = str[2] === 'U';
  checkBodySize(h, width * (unicode ? 4 : 1), name);
  const dv = new DataView(h.body.buffer, h.body.byteOffset, h.body.byteLength);
  const out: string[] = [];
  for (let i = 0; i < h.count; i++) {
    let s = '';
    if (unicode) {
      for (let j = 0; j < width; j++) s += String.fromCodePoint(dv.getUint32((i * width + j) * 4, true));
    } else {
      s = new TextDecoder('latin1').decode(h.body.subarray(i * width, (i + 1) * width));
    }
    out.push(s.replace(/\0+$/, ''));
  }
  return out;
}

/**
 * The fields of a 1-D structured array (packed, as np.save writes a dtype built from a list of
 * (name, type)), each as its own array. Padding fields (`|V n`, unnamed) are skipped.
 */
export function parseNpyRecords(bytes: Uint8Array, name: string): { length: number; fields: Map<string, SampleArray> } {
  const h = readHeader(bytes, name);
  if (typeof h.descr === 'string') throw new FormatError(name, `is a plain ${h.descr} array, not a structured array`);
  if (h.shape.length !== 1) throw new FormatError(name, `is a structured array shaped (${h.shape.join(', ')}); expected 1-D`);
  const layout: { name: string; dtype: SourceDtype | null; offset: number; size: number }[] = [];
  let itemSize = 0;
  for (const f of h.descr) {
    const pad = /^\|V(\d+)$/.exec(f.descr);
    const dtype = pad ? null : numericDtype(f.descr, `${name} field ${f.name}`);
    const size = pad ? Number(pad[1]) : dtypeSize[dtype!];
    layout.push({ name: f.name, dtype, offset: itemSize, size });
    itemSize += size;
  }
  checkBodySize(h, itemSize, name);
  const fields = new Map<string, SampleArray>();
  for (const f of layout) {
    if (!f.dtype) continue;
    const column = new Uint8Array(h.count * f.size);
    for (let i = 0; i < h.count; i++) column.set(h.body.subarray(i * itemSize + f.offset, i * itemSize + f.offset + f.size), i * f.size);
    fields.set(f.name, viewAs(column, f.dtype));
  }
  return { length: h.count, fields };
}

/** [rows][cols] C order of a Fortran (column-major) [cols][rows] buffer. */
function transpose(a: SampleArray, rowsF: number, colsF: number): SampleArray {
  const out = new (a.constructor as new (n: number) => SampleArray)(a.length);
  for (let i = 0; i < colsF; i++) for (let j = 0; j < rowsF; j++) (out as unknown as unknown[])[i * rowsF + j] = (a as unknown as unknown[])[j * colsF + i];
  return out;
}

const descrOf: Record<SourceDtype, string> = {
  uint8: '|u1', int8: '|i1', int16: '<i2', uint16: '<u2', int32: '<i4', uint32: '<u4', int64: '<i8', uint64: '<u8', float32: '<f4', float64: '<f8',
};

/**
 * A .npy v1.0 file exactly as numpy 2.x `np.save` writes it (numpy/lib/_format_impl.py
 * `_write_array_header` + `_wrap_header`): the dict with sorted keys and Python reprs, then
 * `GROWTH_AXIS_MAX_DIGITS − len(repr(shape[0]))` spaces (room to grow the array in place), then
 * 1–64 spaces and a newline so that the data start on a 64-byte boundary.
 */
function npyFile(descrRepr: string, shape: number[], data: Uint8Array): Uint8Array {
  const shapeText = shape.length === 1 ? `(${shape[0]},)` : `(${shape.join(', ')})`;
  let header = `{'descr': ${descrRepr}, 'fortran_order': False, 'shape': ${shapeText}, }`;
  if (shape.length > 0) header += ' '.repeat(21 - String(shape[0]).length);
  const padlen = 64 - ((10 + header.length + 1) % 64);
  header += `${' '.repeat(padlen)}\n`;
  if (header.length > 0xffff) throw new Error(`npy header of ${header.length} bytes does not fit format 1.0`);
  const out = new Uint8Array(10 + header.length + data.byteLength);
  out.set(MAGIC);
  out[6] = 1;
  out[7] = 0;
  new DataView(out.buffer).setUint16(8, header.length, true);
  for (let i = 0; i < header.length; i++) out[10 + i] = header.charCodeAt(i);
  out.set(data, 10 + header.length);
  return out;
}

const bytesOfView = (v: ArrayBufferView) => new Uint8Array(v.buffer, v.byteOffset, v.byteLength);

/** `np.save` of a numeric array (little-endian host data, C order). */
export function encodeNpy(dtype: SourceDtype, shape: number[], data: ArrayBufferView): Uint8Array {
  return npyFile(`'${descrOf[dtype]}'`, shape, bytesOfView(data));
}

/** `np.save(np.array(strings))`: `<U n` with n the longest string in code points (at least 1, as numpy). */
export function encodeNpyStrings(strings: readonly string[]): Uint8Array {
  const points = strings.map((s) => Array.from(s, (c) => c.codePointAt(0)!));
  const width = Math.max(1, ...points.map((p) => p.length));
  const body = new Uint8Array(strings.length * width * 4);
  const dv = new DataView(body.buffer);
  points.forEach((p, i) => p.forEach((cp, j) => dv.setUint32((i * width + j) * 4, cp, true)));
  return npyFile(`'<U${width}'`, [strings.length], body);
}

/** `np.save` of a 1-D structured array whose fields are numeric columns of equal length, packed in order. */
export function encodeNpyRecords(fields: readonly { name: string; dtype: SourceDtype; data: ArrayBufferView & ArrayLike<unknown> }[]): Uint8Array {
  const n = fields[0]?.data.length ?? 0;
  if (fields.some((f) => f.data.length !== n)) throw new Error('encodeNpyRecords: fields differ in length');
  const sizes = fields.map((f) => dtypeSize[f.dtype]);
  const itemSize = sizes.reduce((a, b) => a + b, 0);
  const body = new Uint8Array(n * itemSize);
  let offset = 0;
  fields.forEach((f, k) => {
    const src = bytesOfView(f.data);
    for (let i = 0; i < n; i++) body.set(src.subarray(i * sizes[k], (i + 1) * sizes[k]), i * itemSize + offset);
    offset += sizes[k];
  });
  return npyFile(`[${fields.map((f) => `('${f.name}', '${descrOf[f.dtype]}')`).join(', ')}]`, [n], body);
}
