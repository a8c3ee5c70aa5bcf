/**
 * Numeric sample types as numpy and the file formats name them, and little-endian views of bytes as
 * them. Pure: shared by the relay's readers (relay/formats), the .npy codec (npy.ts), demo-data
 * generators and test oracles.
 */

/** Sample types found on disk. */
export type SourceDtype = 'uint8' | 'int8' | 'int16' | 'uint16' | 'int32' | 'uint32' | 'int64' | 'uint64' | 'float32' | 'float64';

/** Bytes per sample of each on-disk dtype. */
export const dtypeSize: Record<SourceDtype, number> = {
  uint8: 1, int8: 1, int16: 2, uint16: 2, int32: 4, uint32: 4, int64: 8, uint64: 8, float32: 4, float64: 8,
};

const littleEndianHost = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/** Any array a decoder may produce; bigint arrays are read through `sampleAt`. */
export type SampleArray = Int8Array | Uint8Array | Int16Array | Uint16Array | Int32Array | Uint32Array | BigInt64Array | BigUint64Array | Float32Array | Float64Array;

/**
 * A little-endian view of `bytes` as `dtype`. Copies only when the bytes are unaligned or the host is
 * big-endian; `bytes.length` must be a multiple of the sample size.
 */
export function viewAs(bytes: Uint8Array, dtype: SourceDtype): SampleArray {
  const size = dtypeSize[dtype];
  let b = bytes;
  if (b.byteOffset % size !== 0) b = b.slice();
  if (!littleEndianHost && size > 1) {
    b = b.slice();
    for (let i = 0; i < b.length; i += size) b.subarray(i, i + size).reverse();
  }
  const n = b.length / size;
  const buf = b.buffer as ArrayBuffer;
  switch (dtype) {
    case 'uint8': return new Uint8Array(buf, b.byteOffset, n);
    case 'int8': return new Int8Array(buf, b.byteOffset, n);
    case 'int16': return new Int16Array(buf, b.byteOffset, n);
    case 'uint16': return new Uint16Array(buf, b.byteOffset, n);
    case 'int32': return new Int32Array(buf, b.byteOffset, n);
    case 'uint32': return new Uint32Array(buf, b.byteOffset, n);
    case 'int64': return new BigInt64Array(buf, b.byteOffset, n);
    case 'uint64': return new BigUint64Array(buf, b.byteOffset, n);
    case 'float32': return new Float32Array(buf, b.byteOffset, n);
    case 'float64': return new Float64Array(buf, b.byteOffset, n);
  }
}

/** The values of any sample array as doubles (int64 beyond 2^53 loses precision; frames never get there). */
export function toFloat64(a: SampleArray | ArrayLike<number>): Float64Array {
  const out = new Float64Array(a.length);
  if (a instanceof BigInt64Array || a instanceof BigUint64Array) {
    for (let i = 0; i < a.length; i++) out[i] = Number(a[i]);
  } else {
    for (let i = 0; i < a.length; i++) out[i] = (a as ArrayLike<number>)[i];
  }
  return out;
}

/** numpy-style descriptors (`<i2`, `int16`, `float32` …) → SourceDtype; null when not one we read. */
export function parseDtypeName(name: string): SourceDtype | null {
  const n = name.trim().replace(/^numpy\./, '');
  const plain: Record<string, SourceDtype> = {
    uint8: 'uint8', int8: 'int8', int16: 'int16', uint16: 'uint16', int32: 'int32', uint32: 'uint32',
    int64: 'int64', uint64: 'uint64', float32: 'float32', float64: 'float64', float: 'float64', double: 'float64', single: 'float32',
    short: 'int16', ushort: 'uint16',
  };
  if (n in plain) return plain[n];
  const m = /^([<>|=]?)([iuf])(\d)$/.exec(n);
  if (!m || m[1] === '>') return null;
  const key = `${m[2]}${m[3]}`;
  const coded: Record<string, SourceDtype> = {
    u1: 'uint8', i1: 'int8', i2: 'int16', u2: 'uint16', i4: 'int32', u4: 'uint32', i8: 'int64', u8: 'uint64', f4: 'float32', f8: 'float64',
  };
  return coded[key] ?? null;
}
