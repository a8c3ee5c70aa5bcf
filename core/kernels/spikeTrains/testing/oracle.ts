/**
 * The .npy writer of bench/ccg.ts (test helper). The oracle runner that
 * used to live here is test/oracles/runOracle.ts.
 */
/** Minimal .npy (v1.0) writer for 1-D little-endian float64 / int32 arrays. */
export function npyBytes(a: Float64Array | Int32Array): Uint8Array {
  const descr = a instanceof Float64Array ? '<f8' : '<i4';
  let header = `{'descr': '${descr}', 'fortran_order': False, 'shape': (${a.length},), }`;
  const unpadded = 10 + header.length + 1;
  header += ' '.repeat((64 - (unpadded % 64)) % 64) + '\n';
  const out = new Uint8Array(10 + header.length + a.byteLength);
  out.set([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, 1, 0], 0);
  new DataView(out.buffer).setUint16(8, header.length, true);
  for (let i = 0; i < header.length; i++) out[10 + i] = header.charCodeAt(i);
  out.set(new Uint8Array(a.buffer, a.byteOffset, a.byteLength), 10 + header.length);
  return out;
}
