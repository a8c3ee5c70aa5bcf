import { decodeNdArray, encodeNdArray, isNdArrayWire, ndarrayToNestedList, type NdArray } from './ndarray';

/**
 * Task results are plain JSON in which ndarrays travel in their wire form. Kernels return NdArray values
 * (`{dtype, shape, data}` with a typed array); these walk a result to and from the wire.
 */
export function encodeResult(value: unknown): unknown {
  if (isNdArray(value)) return encodeNdArray(value);
  if (Array.isArray(value)) return value.map(encodeResult);
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, encodeResult(v)]));
  }
  return value;
}

export function decodeResult(value: unknown): unknown {
  if (isNdArrayWire(value)) return decodeNdArray(value);
  if (Array.isArray(value)) return value.map(decodeResult);
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, decodeResult(v)]));
  }
  return value;
}

/** For display (CLI stdout): ndarrays as nested lists. */
export function resultToPlainJson(value: unknown): unknown {
  if (isNdArrayWire(value)) return ndarrayToNestedList(decodeNdArray(value));
  if (Array.isArray(value)) return value.map(resultToPlainJson);
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, resultToPlainJson(v)]));
  }
  return value;
}

function isNdArray(v: unknown): v is NdArray {
  return typeof v === 'object' && v !== null && ArrayBuffer.isView((v as { data?: unknown }).data) &&
    typeof (v as { dtype?: unknown }).dtype === 'string' && Array.isArray((v as { shape?: unknown }).shape);
}
