import { describe, expect, it } from 'vitest';
import { toFloat64 } from './dtypes';
import { FormatError } from './formatError';
import { encodeNpy, encodeNpyStrings, parseNpy, parseNpyIds, parseNpyRecords } from './npy';

// Written by numpy 1.x/2.x (np.save, write_array version=(2,0)).
const b64 = (s: string) => new Uint8Array(Buffer.from(s, 'base64'));
const fromNumpy = {
  i8: b64('k05VTVBZAQB2AHsnZGVzY3InOiAnPGk4JywgJ2ZvcnRyYW5fb3JkZXInOiBGYWxzZSwgJ3NoYXBlJzogKDQsKSwgfSAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgIAoFAAAAAAAAAAEAAAAAAAAACQAAAAAAAAAAEKXU6AAAAA=='),
  u8col: b64('k05VTVBZAQB2AHsnZGVzY3InOiAnPHU4JywgJ2ZvcnRyYW5fb3JkZXInOiBGYWxzZSwgJ3NoYXBlJzogKDMsIDEpLCB9ICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgIAoDAAAAAAAAAAIAAAAAAAAABwAAAAAAAAA='),
  f4fortran: b64('k05VTVBZAQB2AHsnZGVzY3InOiAnPGY0JywgJ2ZvcnRyYW5fb3JkZXInOiBUcnVlLCAnc2hhcGUnOiAoMiwgMyksIH0gICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgIAoAAIA/AACAQAAAAEAAAKBAAABAQAAAwEA='),
  i4v2: b64('k05VTVBZAgB0AAAAeydkZXNjcic6ICc8aTQnLCAnZm9ydHJhbl9vcmRlcic6IEZhbHNlLCAnc2hhcGUnOiAoMywpLCB9ICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgIAoBAAAAAgAAAAMAAAA='),
};
// numpy 2.4.6: np.save(np.array(['a', 'bb', 'ünit'])), np.save(np.array([b'ab', b'c'])), and a structured
// array [('sample_index', '<i8'), ('pad', '|V4'), ('unit_index', '<i4')] of (7, 1), (9, 0).
const strings = {
  unicode: b64('k05VTVBZAQB2AHsnZGVzY3InOiAnPFU0JywgJ2ZvcnRyYW5fb3JkZXInOiBGYWxzZSwgJ3NoYXBlJzogKDMsKSwgfSAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgIAphAAAAAAAAAAAAAAAAAAAAYgAAAGIAAAAAAAAAAAAAAPwAAABuAAAAaQAAAHQAAAA='),
  bytes: b64('k05VTVBZAQB2AHsnZGVzY3InOiAnfFMyJywgJ2ZvcnRyYW5fb3JkZXInOiBGYWxzZSwgJ3NoYXBlJzogKDIsKSwgfSAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgIAphYmMA'),
  records: b64('k05VTVBZAQC2AHsnZGVzY3InOiBbKCdzYW1wbGVfaW5kZXgnLCAnPGk4JyksICgncGFkJywgJ3xWNCcpLCAoJ3VuaXRfaW5kZXgnLCAnPGk0JyldLCAnZm9ydHJhbl9vcmRlcic6IEZhbHNlLCAnc2hhcGUnOiAoMiwpLCB9ICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAKBwAAAAAAAAAAAAAAAQAAAAkAAAAAAAAAAAAAAAAAAAA='),
};

describe('npy', () => {
  it('parses numpy-written v1 and v2 files', () => {
    expect(Array.from(toFloat64(parseNpy(fromNumpy.i8, 'a').data))).toEqual([5, 1, 9, 1e12]);
    const col = parseNpy(fromNumpy.u8col, 'b');
    expect(col.dtype).toBe('uint64');
    expect(col.shape).toEqual([3, 1]);
    expect(Array.from(parseNpy(fromNumpy.i4v2, 'c').data as Int32Array)).toEqual([1, 2, 3]);
  });

  it('transposes 2-D Fortran order to C order', () => {
    const f = parseNpy(fromNumpy.f4fortran, 'f');
    expect(f.shape).toEqual([2, 3]);
    expect(Array.from(f.data as Float32Array)).toEqual([1, 2, 3, 4, 5, 6]);
  });

  it('round-trips encodeNpy with a 64-byte aligned header', () => {
    const bytes = encodeNpy('float64', [2, 2], new Float64Array([1, 2, 3, 4]));
    expect((bytes.length - 32) % 64).toBe(0);
    const a = parseNpy(bytes, 'x');
    expect(a).toMatchObject({ dtype: 'float64', shape: [2, 2] });
    expect(Array.from(a.data as Float64Array)).toEqual([1, 2, 3, 4]);
  });

  it('encodeNpy writes what np.save writes, byte for byte (growth-axis spaces, 64-byte alignment)', () => {
    expect(Buffer.from(encodeNpy('int64', [4], new BigInt64Array([5n, 1n, 9n, 1000000000000n]))).equals(Buffer.from(fromNumpy.i8))).toBe(true);
    expect(Buffer.from(encodeNpy('uint64', [3, 1], new BigUint64Array([3n, 2n, 7n]))).equals(Buffer.from(fromNumpy.u8col))).toBe(true);
    // np.save(np.full((1,) * 15, 7, '<i2')): numpy's growth-axis spaces push this header past 128 bytes;
    // padding only to the next multiple of 64 (what this encoder once did) stops at 128.
    const deep = b64('k05VTVBZAQC2AHsnZGVzY3InOiAnPGkyJywgJ2ZvcnRyYW5fb3JkZXInOiBGYWxzZSwgJ3NoYXBlJzogKDEsIDEsIDEsIDEsIDEsIDEsIDEsIDEsIDEsIDEsIDEsIDEsIDEsIDEsIDEpLCB9ICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAKBwA=');
    expect(Buffer.from(encodeNpy('int16', new Array(15).fill(1), new Int16Array([7]))).equals(Buffer.from(deep))).toBe(true);
  });

  it('reports truncation, bad magic, big-endian and object arrays', () => {
    expect(() => parseNpy(fromNumpy.i8.subarray(0, fromNumpy.i8.length - 3), 'times.npy'))
      .toThrow('times.npy: header says shape (4) of <i8 (32 data bytes) but the file has 29 data bytes (truncated)');
    expect(() => parseNpy(fromNumpy.i8.subarray(0, 50), 'times.npy')).toThrow(/truncated inside its .npy header/);
    expect(() => parseNpy(new Uint8Array(20), 'x.npy')).toThrow(/not a .npy file/);
    const be = new TextDecoder('latin1').decode(fromNumpy.i8).replace("'<i8'", "'>i8'");
    expect(() => parseNpy(Uint8Array.from(be, (c) => c.charCodeAt(0)), 'x.npy')).toThrow(/big-endian/);
    const obj = new TextDecoder('latin1').decode(fromNumpy.i8).replace("'<i8'", "'|O8'");
    expect(() => parseNpy(Uint8Array.from(obj, (c) => c.charCodeAt(0)), 'x.npy')).toThrow(FormatError);
  });
});

describe('npy ids and structured arrays', () => {
  it('reads numpy unicode and bytes ids (NUL padding stripped) and writes the unicode form byte for byte', () => {
    expect(parseNpyIds(strings.unicode, 'ids')).toEqual(['a', 'bb', 'ünit']);
    expect(parseNpyIds(strings.bytes, 'ids')).toEqual(['ab', 'c']);
    expect(parseNpyIds(encodeNpy('int64', [2], new BigInt64Array([3n, 12n])), 'ids')).toEqual([3, 12]);
    expect(Buffer.from(encodeNpyStrings(['a', 'bb', 'ünit'])).equals(Buffer.from(strings.unicode))).toBe(true);
  });

  it('reads the fields of a structured array, skipping void padding', () => {
    const r = parseNpyRecords(strings.records, 'spikes.npy');
    expect(r.length).toBe(2);
    expect([...r.fields.keys()]).toEqual(['sample_index', 'unit_index']);
    expect(Array.from(toFloat64(r.fields.get('sample_index')!))).toEqual([7, 9]);
    expect(Array.from(r.fields.get('unit_index') as Int32Array)).toEqual([1, 0]);
    expect(() => parseNpy(strings.records, 'spikes.npy')).toThrow(FormatError);
    expect(() => parseNpyRecords(fromNumpy.i8, 'a.npy')).toThrow('a.npy: is a plain <i8 array, not a structured array');
  });
});
