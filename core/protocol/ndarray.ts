import { z } from 'zod';
import { base64ToBytes, bytesToBase64 } from './base64';

/**
 * The ndarray wire form shared with sortingview 2021: `{_type:'ndarray', shape, dtype, data_b64}`,
 * C order, little-endian. int64 travels as BigInt64Array (exact), never as lossy doubles.
 */
export const dtypes = ['float32', 'float64', 'int16', 'int32', 'int64', 'uint8'] as const;
export type Dtype = (typeof dtypes)[number];

export type TypedArrayOf<D extends Dtype> = D extends 'float32' ? Float32Array
  : D extends 'float64' ? Float64Array
  : D extends 'int16' ? Int16Array
  : D extends 'int32' ? Int32Array
  : D extends 'int64' ? BigInt64Array
  : Uint8Array;
export type AnyTypedArray = Float32Array | Float64Array | Int16Array | Int32Array | BigInt64Array | Uint8Array;

export interface NdArray<D extends Dtype = Dtype> {
  dtype: D;
  shape: number[];
  data: TypedArrayOf<D>;
}

export const ndarrayWireSchema = z.object({
  _type: z.literal('ndarray'),
  shape: z.array(z.number().int().nonnegative()),
  dtype: z.enum(dtypes),
  data_b64: z.string(),
});
export type NdArrayWire = z.infer<typeof ndarrayWireSchema>;

const constructors = {
  float32: Float32Array, float64: Float64Array, int16: Int16Array, int32: Int32Array, int64: BigInt64Array, uint8: Uint8Array,
} as const;

const littleEndianHost = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

export function ndarray<D extends Dtype>(dtype: D, shape: number[], data: TypedArrayOf<D>): NdArray<D> {
  const n = shape.reduce((a, b) => a * b, 1);
  if (data.length !== n) throw new Error(`ndarray: shape [${shape}] needs ${n} values, got ${data.length}`);
  if (!(data instanceof constructors[dtype])) throw new Error(`ndarray: data is not a ${dtype} array`);
  return { dtype, shape, data };
}

export function encodeNdArray(a: NdArray): NdArrayWire {
  const bytes = new Uint8Array(a.data.buffer, a.data.byteOffset, a.data.byteLength);
  return { _type: 'ndarray', shape: a.shape, dtype: a.dtype, data_b64: bytesToBase64(littleEndianHost ? bytes : byteswap(bytes, a.data.BYTES_PER_ELEMENT)) };
}

export function decodeNdArray(wire: NdArrayWire): NdArray {
  const { shape, dtype } = ndarrayWireSchema.parse(wire);
  const Ctor = constructors[dtype];
  let bytes = base64ToBytes(wire.data_b64);
  const n = shape.reduce((a, b) => a * b, 1);
  if (bytes.byteLength !== n * Ctor.BYTES_PER_ELEMENT) {
    throw new Error(`ndarray: shape [${shape}] of ${dtype} needs ${n * Ctor.BYTES_PER_ELEMENT} bytes, data has ${bytes.byteLength}`);
  }
  if (!littleEndianHost) bytes = byteswap(bytes, Ctor.BYTES_PER_ELEMENT);
  // Copy into a fresh, aligned buffer: decoded base64 may start at any byte offset.
  const aligned = new Uint8Array(bytes.byteLength);
  aligned.set(bytes);
  return { dtype, shape, data: new Ctor(aligned.buffer) } as NdArray;
}

export function isNdArrayWire(v: unknown): v is NdArrayWire {
  return typeof v === 'object' && v !== null && (v as { _type?: unknown })._type === 'ndarray';
}

/** Nested plain lists (C order), as the CLI prints ndarrays. int64 becomes number when safe, else a decimal string. */
export function ndarrayToNestedList(a: NdArray): unknown {
  const values = Array.from(a.data as ArrayLike<number | bigint>, (v) =>
    typeof v === 'bigint' ? (v >= BigInt(Number.MIN_SAFE_INTEGER) && v <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(v) : v.toString()) : v);
  if (a.shape.length === 0) return values[0];
  const build = (dim: number, offset: number): unknown[] => {
    const size = a.shape[dim];
    const stride = a.shape.slice(dim + 1).reduce((x, y) => x * y, 1);
    return Array.from({ length: size }, (_, i) => (dim === a.shape.length - 1 ? values[offset + i] : build(dim + 1, offset + i * stride)));
  };
  return build(0, 0);
}

function byteswap(bytes: Uint8Array, width: number): Uint8Array {
  const out = new Uint8Array(bytes.length);
  for (let i = 0; i < bytes.length; i += width) for (let j = 0; j < width; j++) out[i + j] = bytes[i + width - 1 - j];
  return out;
}
