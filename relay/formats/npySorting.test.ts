import { describe, expect, it } from 'vitest';
import { encodeNpy } from '../../core/formats/npy';
import { openNpy1Sorting, openNpy2Sorting } from './npySorting';
import { bytesOf, memoryOpenFile } from './testing';
import { crc32, encodeZip, readZip } from './zip';

// Written by numpy 1.x/2.x (np.savez, np.savez_compressed).
const b64 = (s: string) => new Uint8Array(Buffer.from(s, 'base64'));
const fromNumpy = {
  npz: b64('UEsDBC0AAAAAAAAAIQCR7Vp4//////////8RABQAc3Bpa2VfaW5kZXhlcy5ucHkBABAAoAAAAAAAAACgAAAAAAAAAJNOVU1QWQEAdgB7J2Rlc2NyJzogJzxpOCcsICdmb3J0cmFuX29yZGVyJzogRmFsc2UsICdzaGFwZSc6ICg0LCksIH0gICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAKCgAAAAAAAAAUAAAAAAAAAB4AAAAAAAAAKAAAAAAAAABQSwMELQAAAAAAAAAhAHwwZ4P//////////xAAFABzcGlrZV9sYWJlbHMubnB5AQAQAJAAAAAAAAAAkAAAAAAAAACTTlVNUFkBAHYAeydkZXNjcic6ICc8aTQnLCAnZm9ydHJhbl9vcmRlcic6IEZhbHNlLCAnc2hhcGUnOiAoNCwpLCB9ICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgCgEAAAACAAAAAQAAAAMAAABQSwMELQAAAAAAAAAhANWtZbL//////////xYAFABzYW1wbGluZ19mcmVxdWVuY3kubnB5AQAQAIgAAAAAAAAAiAAAAAAAAACTTlVNUFkBAHYAeydkZXNjcic6ICc8ZjgnLCAnZm9ydHJhbl9vcmRlcic6IEZhbHNlLCAnc2hhcGUnOiAoKSwgfSAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgCgAAAAAAiNNAUEsBAi0DLQAAAAAAAAAhAJHtWnigAAAAoAAAABEAAAAAAAAAAAAAAIABAAAAAHNwaWtlX2luZGV4ZXMubnB5UEsBAi0DLQAAAAAAAAAhAHwwZ4OQAAAAkAAAABAAAAAAAAAAAAAAAIAB4wAAAHNwaWtlX2xhYmVscy5ucHlQSwECLQMtAAAAAAAAACEA1a1lsogAAACIAAAAFgAAAAAAAAAAAAAAgAG1AQAAc2FtcGxpbmdfZnJlcXVlbmN5Lm5weVBLBQYAAAAAAwADAMEAAACFAgAAAAA='),
  npzc: b64('UEsDBC0AAAAIAAAAIQCR7Vp4//////////8RABQAc3Bpa2VfaW5kZXhlcy5ucHkBABAAoAAAAAAAAABQAAAAAAAAAJvsF+obEMnIUMZQrZ6SWpxcpG6loG6TaaGuo6Cell9UUpSYF59flJIKEndLzClOBYoXZyQWpAL5GiY6mjoKtQoUAC4uBggQgdJyUFoDSgMAUEsDBC0AAAAIAAAAIQB8MGeD//////////8QABQAc3Bpa2VfbGFiZWxzLm5weQEAEACQAAAAAAAAAE8AAAAAAAAAm+wX6hsQychQxlCtnpJanFykbqWgbpNpoq6joJ6WX1RSlJgXn1+UkgoSd0vMKU4FihdnJBakAvkaJjqaOgq1ChQALkYGBgYmIAbRzEAMAFBLAwQtAAAACAAAACEA1a1lsv//////////FgAUAHNhbXBsaW5nX2ZyZXF1ZW5jeS5ucHkBABAAiAAAAAAAAABIAAAAAAAAAJvsF+obEMnIUMZQrZ6SWpxcpG6loG6TZqGuo6Cell9UUpSYF59flJIKEndLzClOBYoXZyQWpAL5Gpo6CrUKFAEuBhDouOwAAFBLAQItAy0AAAAIAAAAIQCR7Vp4UAAAAKAAAAARAAAAAAAAAAAAAACAAQAAAABzcGlrZV9pbmRleGVzLm5weVBLAQItAy0AAAAIAAAAIQB8MGeDTwAAAJAAAAAQAAAAAAAAAAAAAACAAZMAAABzcGlrZV9sYWJlbHMubnB5UEsBAi0DLQAAAAgAAAAhANWtZbJIAAAAiAAAABYAAAAAAAAAAAAAAIABJAEAAHNhbXBsaW5nX2ZyZXF1ZW5jeS5ucHlQSwUGAAAAAAMAAwDBAAAAtAEAAAAA'),
};

describe('zip / npz', () => {
  it('reads numpy savez and savez_compressed (ZIP64 local headers)', () => {
    for (const z of [fromNumpy.npz, fromNumpy.npzc]) {
      const e = readZip(z, 'x.npz');
      expect([...e.keys()].sort()).toEqual(['sampling_frequency.npy', 'spike_indexes.npy', 'spike_labels.npy']);
    }
  });

  it('round-trips encodeZip and checks CRC', () => {
    const data = new TextEncoder().encode('hello hello hello');
    for (const deflate of [false, true]) {
      const z = encodeZip({ 'a.txt': data }, { deflate });
      expect(new TextDecoder().decode(readZip(z, 'z').get('a.txt'))).toBe('hello hello hello');
    }
    expect(crc32(new TextEncoder().encode('123456789'))).toBe(0xcbf43926);
    const z = encodeZip({ 'a.txt': data });
    z[35] ^= 0xff; // a byte of the stored body
    expect(() => readZip(z, 'bad.npz')).toThrow('bad.npz: entry a.txt fails its CRC-32 check (corrupt)');
    expect(() => readZip(z.subarray(0, z.length - 30), 'cut.npz')).toThrow(/cut.npz: .*(end-of-central|corrupt|truncated)/);
  });
});

describe('npy1 / npy2 sortings', () => {
  it('npy1: times + labels', async () => {
    const open = memoryOpenFile({
      '/s/t.npy': encodeNpy('int64', [5], new BigInt64Array([50n, 10n, 30n, 20n, 40n])),
      '/s/l.npy': encodeNpy('int32', [5, 1], new Int32Array([2, 1, 2, 1, 7])),
    });
    const s = await openNpy1Sorting({ sorting_format: 'npy1', data: { times_npy_uri: '/s/t.npy', labels_npy_uri: '/s/l.npy', samplerate: 32000 } }, open);
    expect(s.sampleRateHz).toBe(32000);
    expect(s.unitIds).toEqual([1, 2, 7]);
    expect(Array.from(s.spikeTrain(2))).toEqual([30, 50]);
  });

  it('npy1: length mismatch is an error naming the files', async () => {
    const open = memoryOpenFile({
      '/s/t.npy': encodeNpy('int64', [2], new BigInt64Array([1n, 2n])),
      '/s/l.npy': encodeNpy('int32', [3], new Int32Array([1, 1, 1])),
    });
    await expect(openNpy1Sorting({ sorting_format: 'npy1', data: { times_npy_uri: '/s/t.npy', labels_npy_uri: '/s/l.npy', samplerate: 1 } }, open))
      .rejects.toThrow('/s/l.npy: has 3 labels but /s/t.npy has 2 spike times');
  });

  it('npy2: numpy npz, stored and compressed', async () => {
    for (const z of [fromNumpy.npz, fromNumpy.npzc]) {
      const s = await openNpy2Sorting({ sorting_format: 'npy2', data: { npz_uri: 'sha1://x/s.npz' } }, memoryOpenFile({ 'sha1://x/s.npz': z }));
      expect(s.sampleRateHz).toBe(20000);
      expect(s.unitIds).toEqual([1, 2, 3]);
      expect(Array.from(s.spikeTrain(1))).toEqual([10, 30]);
    }
  });

  it('npy2: a missing array is named', async () => {
    const z = encodeZip({ 'spike_indexes.npy': encodeNpy('int64', [1], new BigInt64Array([1n])) });
    await expect(openNpy2Sorting({ sorting_format: 'npy2', data: { npz_uri: '/s.npz' } }, memoryOpenFile({ '/s.npz': z })))
      .rejects.toThrow('/s.npz: has no spike_labels array (it has: spike_indexes.npy)');
    expect(bytesOf(new Int16Array([1])).length).toBe(2);
  });
});
