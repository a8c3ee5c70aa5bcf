import type { SampleArray, SourceDtype } from '../../core/formats/dtypes';
import type { ServedDtype, Traces } from './types';

// The sample types and views live in core/formats (shared with the .npy codec and generators).
export { dtypeSize, parseDtypeName, toFloat64, viewAs, type SampleArray } from '../../core/formats/dtypes';

export function servedDtypeOf(source: SourceDtype): ServedDtype {
  return source === 'int16' ? 'int16' : 'float32';
}

export function allocTraces(dtype: ServedDtype, length: number): Traces {
  return dtype === 'int16' ? new Int16Array(length) : new Float32Array(length);
}

/**
 * Copies columns of a [frames][numColumns] array into `out` at row offset `outRow`, as
 * [frames][columns.length]. int16 → int16 copies exactly; every other source converts to float32.
 */
export function pickColumns(src: SampleArray, numColumns: number, columns: readonly number[], out: Traces, outRow: number, rowStart = 0, rowEnd?: number): void {
  const rows = src.length / numColumns;
  const end = rowEnd ?? rows;
  const k = columns.length;
  if (src instanceof BigInt64Array || src instanceof BigUint64Array) {
    for (let r = rowStart; r < end; r++) {
      const s = r * numColumns;
      const o = (outRow + r - rowStart) * k;
      for (let j = 0; j < k; j++) out[o + j] = Number(src[s + columns[j]]);
    }
    return;
  }
  const a = src as Exclude<SampleArray, BigInt64Array | BigUint64Array>;
  for (let r = rowStart; r < end; r++) {
    const s = r * numColumns;
    const o = (outRow + r - rowStart) * k;
    for (let j = 0; j < k; j++) out[o + j] = a[s + columns[j]];
  }
}

