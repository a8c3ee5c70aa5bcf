/** Minimal .npy (format 1.0, little-endian, C order) writer and reader for the oracle. Test-only. */
type NpyArray = Int16Array | Int32Array | Float32Array | Float64Array;

const descrOf = (a: NpyArray): string =>
  a instanceof Int16Array ? '<i2' : a instanceof Int32Array ? '<i4' : a instanceof Float32Array ? '<f4' : '<f8';

export function toNpy(data: NpyArray, shape: readonly number[]): Uint8Array {
  const shapeStr = shape.length === 1 ? `(${shape[0]},)` : `(${shape.join(', ')})`;
  let header = `{'descr': '${descrOf(data)}', 'fortran_order': False, 'shape': ${shapeStr}, }`;
  const total = 10 + header.length + 1;
  header += ' '.repeat((64 - (total % 64)) % 64) + '\n';
  const out = new Uint8Array(10 + header.length + data.byteLength);
  out.set([0x93, ...Array.from('NUMPY', (ch) => ch.charCodeAt(0)), 1, 0], 0);
  new DataView(out.buffer).setUint16(8, header.length, true);
  out.set(Array.from(header, (ch) => ch.charCodeAt(0)), 10);
  out.set(new Uint8Array(data.buffer, data.byteOffset, data.byteLength), 10 + header.length);
  return out;
}

export function fromNpy(bytes: Uint8Array): { data: Float64Array; shape: number[] } {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const major = bytes[6];
  const headerLen = major === 1 ? view.getUint16(8, true) : view.getUint32(8, true);
  const start = major === 1 ? 10 : 12;
  const header = new TextDecoder().decode(bytes.subarray(start, start + headerLen));
  const descr = /'descr':\s*'([^']+)'/.exec(header)![1];
  const shape = /'shape':\s*\(([^)]*)\)/.exec(header)![1].split(',').map((s) => s.trim()).filter(Boolean).map(Number);
  if (/'fortran_order':\s*True/.test(header)) throw new Error('fromNpy: Fortran order not supported');
  // Copy into a fresh, aligned buffer (a Node Buffer's slice is a view into a shared pool).
  const body = new Uint8Array(bytes.byteLength - start - headerLen);
  body.set(bytes.subarray(start + headerLen));
  const n = shape.reduce((a, b) => a * b, 1);
  const typed = descr === '<f8' ? new Float64Array(body.buffer, 0, n)
    : descr === '<f4' ? new Float32Array(body.buffer, 0, n)
      : descr === '<i4' ? new Int32Array(body.buffer, 0, n)
        : descr === '<i8' ? Float64Array.from(new BigInt64Array(body.buffer, 0, n), Number)
          : (() => { throw new Error(`fromNpy: dtype ${descr} not supported`); })();
  return { data: Float64Array.from(typed), shape };
}
