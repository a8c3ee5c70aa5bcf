import { decodeNdArray, encodeNdArray, isNdArrayWire, ndarrayToNestedList, type NdArray } from './ndarray';

/**
 * Task results are plain JSON in which ndarrays travel in their wire form. Kernels return NdArray values
 * (`{dtype, shape, data}` with a typed array); these walk a result to and from the wire.
 */
export function encodeResult(value: unknown): unknown {
  return mapMatching(value, isNdArray, encodeNdArray);
}

export function decodeResult(value: unknown): unknown {
  return mapMatching(value, isNdArrayWire, decodeNdArray);
}

/** For display (CLI stdout): ndarrays as nested lists. */
export function resultToPlainJson(value: unknown): unknown {
  return mapMatching(value, isNdArrayWire, (w) => ndarrayToNestedList(decodeNdArray(w)));
}

/** Copies a JSON-like value, replacing every nested value that `matches` with `f(value)`. */
function mapMatching<T>(value: unknown, matches: (v: unknown) => v is T, f: (v: T) => unknown): unknown {
  if (matches(value)) return f(value);
  if (Array.isArray(value)) return value.map((v) => mapMatching(v, matches, f));
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, mapMatching(v, matches, f)]));
  }
  return value;
}

function isNdArray(v: unknown): v is NdArray {
  return typeof v === 'object' && v !== null && ArrayBuffer.isView((v as { data?: unknown }).data) &&
    typeof (v as { dtype?: unknown }).dtype === 'string' && Array.isArray((v as { shape?: unknown }).shape);
}
