import { describe, expect, it } from 'vitest';
import { decodeNdArray, encodeNdArray, ndarray, ndarrayToNestedList } from './ndarray';
import { decodeResult, encodeResult, resultToPlainJson } from './serialize';

describe('ndarray codec', () => {
  it('encodes little-endian C-order bytes (vectors worked out by hand)', () => {
    expect(encodeNdArray(ndarray('int16', [2], new Int16Array([1, -2]))).data_b64).toBe(Buffer.from([1, 0, 0xfe, 0xff]).toString('base64'));
    expect(encodeNdArray(ndarray('float32', [1], new Float32Array([1]))).data_b64).toBe(Buffer.from([0, 0, 0x80, 0x3f]).toString('base64'));
    expect(encodeNdArray(ndarray('uint8', [3], new Uint8Array([0, 127, 255])))).toEqual({ _type: 'ndarray', shape: [3], dtype: 'uint8', data_b64: 'AH//' });
  });

  it('round-trips every dtype', () => {
    const cases = [
      ndarray('float32', [2, 2], new Float32Array([1.5, -2, 3.25, Infinity])),
      ndarray('float64', [3], new Float64Array([Math.PI, -0, 1e300])),
      ndarray('int16', [2, 1], new Int16Array([-32768, 32767])),
      ndarray('int32', [2], new Int32Array([-(2 ** 31), 2 ** 31 - 1])),
      ndarray('int64', [2], new BigInt64Array([-(2n ** 63n), 2n ** 62n + 1n])),
      ndarray('uint8', [0], new Uint8Array([])),
    ];
    for (const a of cases) {
      const back = decodeNdArray(encodeNdArray(a));
      expect(back.dtype).toBe(a.dtype);
      expect(back.shape).toEqual(a.shape);
      expect(Array.from(back.data as ArrayLike<unknown>)).toEqual(Array.from(a.data as ArrayLike<unknown>));
    }
  });

  it('decodes data at an odd byte offset (base64 buffers need not be aligned)', () => {
    const wire = encodeNdArray(ndarray('float64', [2], new Float64Array([1, 2])));
    expect(Array.from(decodeNdArray(wire).data as Float64Array)).toEqual([1, 2]);
  });

  it('rejects a shape that does not match the data, and bad dtypes', () => {
    expect(() => ndarray('int32', [3], new Int32Array(2))).toThrow(/needs 3 values/);
    expect(() => decodeNdArray({ _type: 'ndarray', shape: [3], dtype: 'int32', data_b64: 'AAAA' })).toThrow(/needs 12 bytes/);
    expect(() => decodeNdArray({ _type: 'ndarray', shape: [1], dtype: 'complex' as never, data_b64: '' })).toThrow();
    expect(() => decodeNdArray({ _type: 'ndarray', shape: [1], dtype: 'uint8', data_b64: '!!' })).toThrow(/base64/);
  });

  it('nests lists in C order and keeps big int64 exact', () => {
    expect(ndarrayToNestedList(ndarray('int32', [2, 3], new Int32Array([1, 2, 3, 4, 5, 6])))).toEqual([[1, 2, 3], [4, 5, 6]]);
    expect(ndarrayToNestedList(ndarray('int64', [2], new BigInt64Array([5n, 2n ** 60n])))).toEqual([5, '1152921504606846976']);
  });

  it('walks results to and from the wire', () => {
    const result = { a: [ndarray('int32', [2], new Int32Array([7, 8]))], b: 'x' };
    const wire = JSON.parse(JSON.stringify(encodeResult(result)));
    expect(wire.a[0]._type).toBe('ndarray');
    expect(resultToPlainJson(wire)).toEqual({ a: [[7, 8]], b: 'x' });
    expect((decodeResult(wire) as typeof result).a[0].data).toEqual(new Int32Array([7, 8]));
  });
});
