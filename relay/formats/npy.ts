import { dtypeSize, parseDtypeName, viewAs, type SampleArray } from './dtypes';
import { FormatError, type SourceDtype } from './types';

/**
 * NumPy .npy (format versions 1.0, 2.0, 3.0): magic `\x93NUMPY`, version, header length (uint16 in
 * v1, uint32 in v2/3), a Python dict literal `{'descr': '<i8', 'fortran_order': False, 'shape': (n,)}`,
 * then the data. Little-endian numeric dtypes only (`<i1…<i8`, `<u1…<u8`, `<f4`, `<f8`); 2-D Fortran
 * order arrays are transposed to C order; object arrays (pickles) are never read.
 */
export interface NpyArray { dtype: SourceDtype; shape: number[]; data: SampleArray }

const MAGIC = [0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59];

export function parseNpy(bytes: Uint8Array, name: string): NpyArray {
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
  const descr = /'descr'\s*:\s*'([^']*)'/.exec(header)?.[1];
  const fortran = /'fortran_order'\s*:\s*(True|False)/.exec(header)?.[1];
  const shapeText = /'shape'\s*:\s*\(([^)]*)\)/.exec(header)?.[1];
  if (descr === undefined || fortran === undefined || shapeText === undefined) {
    throw new FormatError(name, `has a malformed .npy header: ${JSON.stringify(header.trim())}`);
  }
  const dtype = parseDtypeName(descr);
  if (!dtype) {
    const why = descr.startsWith('>') ? 'big-endian data is not supported' : descr.includes('O') ? 'object arrays (pickles) are never read' : 'unsupported dtype';
    throw new FormatError(name, `has dtype ${JSON.stringify(descr)}: ${why}`);
  }
  const shape = shapeText.split(',').map((s) => s.trim()).filter((s) => s !== '').map(Number);
  if (shape.some((x) => !Number.isSafeInteger(x) || x < 0)) throw new FormatError(name, `has a malformed shape (${shapeText})`);
  const count = shape.reduce((a, b) => a * b, 1);
  const dataStart = start + headerLen;
  const expected = count * dtypeSize[dtype];
  if (bytes.length - dataStart !== expected) {
    const how = bytes.length - dataStart < expected ? 'truncated' : 'trailing bytes';
    throw new FormatError(name, `header says shape (${shape.join(', ')}) of ${descr} (${expected} data bytes) but the file has ${bytes.length - dataStart} data bytes (${how})`);
  }
  let data = viewAs(bytes.subarray(dataStart), dtype);
  if (fortran === 'True' && shape.filter((x) => x > 1).length > 1) {
    if (shape.length !== 2) throw new FormatError(name, `is a ${shape.length}-D Fortran-order array, which this reader does not transpose`);
    data = transpose(data, shape[1], shape[0]);
  }
  return { dtype, shape, data };
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

/** A .npy v1.0 file, header padded to a multiple of 64 bytes as numpy writes it. */
export function encodeNpy(dtype: SourceDtype, shape: number[], data: ArrayBufferView): Uint8Array {
  const shapeText = shape.length === 1 ? `(${shape[0]},)` : `(${shape.join(', ')})`;
  let header = `{'descr': '${descrOf[dtype]}', 'fortran_order': False, 'shape': ${shapeText}, }`;
  const pad = 64 - ((10 + header.length + 1) % 64);
  header = header + ' '.repeat(pad % 64) + '\n';
  const out = new Uint8Array(10 + header.length + data.byteLength);
  out.set(MAGIC);
  out[6] = 1;
  out[7] = 0;
  new DataView(out.buffer).setUint16(8, header.length, true);
  out.set(new TextEncoder().encode(header), 10);
  out.set(new Uint8Array(data.buffer, data.byteOffset, data.byteLength), 10 + header.length);
  return out;
}
