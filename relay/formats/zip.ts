import { deflateRawSync, inflateRawSync } from 'node:zlib';
import { FormatError } from './types';

/**
 * Just enough ZIP for .npz: the central directory, stored (0) and deflated (8) entries, ZIP64 sizes,
 * CRC-32 checked. Encrypted or otherwise compressed entries are FormatErrors.
 */

const crcTable = (() => {
  const t = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    t[n] = c >>> 0;
  }
  return t;
})();

export function crc32(bytes: Uint8Array): number {
  let c = 0xffffffff;
  for (let i = 0; i < bytes.length; i++) c = crcTable[(c ^ bytes[i]) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

export function readZip(bytes: Uint8Array, name: string): Map<string, Uint8Array> {
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let eocd = -1;
  for (let i = bytes.length - 22; i >= Math.max(0, bytes.length - 22 - 65535); i--) {
    if (dv.getUint32(i, true) === 0x06054b50) { eocd = i; break; }
  }
  if (eocd < 0) throw new FormatError(name, 'is not a zip/npz file (no end-of-central-directory record; truncated?)');
  let count = dv.getUint16(eocd + 10, true);
  let cdOffset = dv.getUint32(eocd + 16, true);
  if (cdOffset === 0xffffffff || count === 0xffff) {
    const loc = eocd - 20;
    if (loc < 0 || dv.getUint32(loc, true) !== 0x07064b50) throw new FormatError(name, 'has a ZIP64 marker but no ZIP64 locator');
    const z64 = Number(dv.getBigUint64(loc + 8, true));
    if (z64 + 56 > bytes.length || dv.getUint32(z64, true) !== 0x06064b50) throw new FormatError(name, 'has a broken ZIP64 end record');
    count = Number(dv.getBigUint64(z64 + 32, true));
    cdOffset = Number(dv.getBigUint64(z64 + 48, true));
  }
  const out = new Map<string, Uint8Array>();
  let p = cdOffset;
  for (let e = 0; e < count; e++) {
    if (p + 46 > bytes.length || dv.getUint32(p, true) !== 0x02014b50) throw new FormatError(name, `central directory entry ${e} is corrupt`);
    const flags = dv.getUint16(p + 8, true);
    const method = dv.getUint16(p + 10, true);
    const crc = dv.getUint32(p + 16, true);
    let csize = dv.getUint32(p + 20, true);
    let usize = dv.getUint32(p + 24, true);
    const nameLen = dv.getUint16(p + 28, true);
    const extraLen = dv.getUint16(p + 30, true);
    const commentLen = dv.getUint16(p + 32, true);
    let localOffset = dv.getUint32(p + 42, true);
    const entryName = new TextDecoder().decode(bytes.subarray(p + 46, p + 46 + nameLen));
    // ZIP64 extra field: the 0xffffffff fields, in order usize, csize, offset.
    let x = p + 46 + nameLen;
    const xEnd = x + extraLen;
    while (x + 4 <= xEnd) {
      const id = dv.getUint16(x, true);
      const len = dv.getUint16(x + 2, true);
      if (id === 0x0001) {
        let q = x + 4;
        if (usize === 0xffffffff) { usize = Number(dv.getBigUint64(q, true)); q += 8; }
        if (csize === 0xffffffff) { csize = Number(dv.getBigUint64(q, true)); q += 8; }
        if (localOffset === 0xffffffff) { localOffset = Number(dv.getBigUint64(q, true)); }
      }
      x += 4 + len;
    }
    p = xEnd + commentLen;
    if (flags & 1) throw new FormatError(name, `entry ${entryName} is encrypted`);
    if (localOffset + 30 > bytes.length || dv.getUint32(localOffset, true) !== 0x04034b50) throw new FormatError(name, `entry ${entryName}: local header is missing (truncated?)`);
    const dataStart = localOffset + 30 + dv.getUint16(localOffset + 26, true) + dv.getUint16(localOffset + 28, true);
    if (dataStart + csize > bytes.length) throw new FormatError(name, `entry ${entryName} is truncated (${csize} bytes from offset ${dataStart}, file has ${bytes.length})`);
    const raw = bytes.subarray(dataStart, dataStart + csize);
    let data: Uint8Array;
    if (method === 0) data = raw;
    else if (method === 8) {
      try {
        data = new Uint8Array(inflateRawSync(raw));
      } catch (err) {
        throw new FormatError(name, `entry ${entryName} does not inflate (${(err as Error).message})`, { cause: err });
      }
    } else throw new FormatError(name, `entry ${entryName} uses compression method ${method} (only stored and deflate are read)`);
    if (data.length !== usize) throw new FormatError(name, `entry ${entryName} is ${data.length} bytes, the directory says ${usize}`);
    if (crc32(data) !== crc) throw new FormatError(name, `entry ${entryName} fails its CRC-32 check (corrupt)`);
    out.set(entryName, data);
  }
  return out;
}

/**
 * A zip of `entries` (stored or deflated). With `forceZip64` it is laid out exactly as numpy's
 * `np.savez` writes it through CPython's zipfile (`zipf.open(name, 'w', force_zip64=True)`, gh-10776):
 * each local header has sizes 0xffffffff and a ZIP64 extra (id 1: usize, csize), "version needed" 4.5,
 * time 1980-01-01 00:00 (a ZipInfo made from a name keeps that default), made by Unix 4.5, external
 * attributes 0o600 << 16; the central directory carries no ZIP64 extra while sizes and offsets fit.
 * Without it: version 2.0 headers with the sizes in place. For tests and demo data.
 */
export function encodeZip(entries: Record<string, Uint8Array>, opts: { deflate?: boolean; forceZip64?: boolean } = {}): Uint8Array {
  const locals: Uint8Array[] = [];
  const centrals: Uint8Array[] = [];
  const z64 = opts.forceZip64 === true;
  const version = z64 ? 45 : 20;
  const dosDate = z64 ? (1 << 5) | 1 : 0;
  let offset = 0;
  for (const [entryName, data] of Object.entries(entries)) {
    const nameBytes = new TextEncoder().encode(entryName);
    const body = opts.deflate ? new Uint8Array(deflateRawSync(data)) : data;
    const crc = crc32(data);
    const extraLen = z64 ? 20 : 0;
    const local = new Uint8Array(30 + nameBytes.length + extraLen);
    const l = new DataView(local.buffer);
    l.setUint32(0, 0x04034b50, true); l.setUint16(4, version, true); l.setUint16(8, opts.deflate ? 8 : 0, true);
    l.setUint16(12, dosDate, true);
    l.setUint32(14, crc, true);
    l.setUint32(18, z64 ? 0xffffffff : body.length, true); l.setUint32(22, z64 ? 0xffffffff : data.length, true);
    l.setUint16(26, nameBytes.length, true); l.setUint16(28, extraLen, true);
    local.set(nameBytes, 30);
    if (z64) {
      const x = 30 + nameBytes.length;
      l.setUint16(x, 1, true); l.setUint16(x + 2, 16, true);
      l.setBigUint64(x + 4, BigInt(data.length), true); l.setBigUint64(x + 12, BigInt(body.length), true);
    }
    const central = new Uint8Array(46 + nameBytes.length);
    const c = new DataView(central.buffer);
    c.setUint32(0, 0x02014b50, true); c.setUint16(4, z64 ? (3 << 8) | version : 20, true); c.setUint16(6, version, true);
    c.setUint16(10, opts.deflate ? 8 : 0, true); c.setUint16(14, dosDate, true);
    c.setUint32(16, crc, true); c.setUint32(20, body.length, true); c.setUint32(24, data.length, true);
    c.setUint16(28, nameBytes.length, true); if (z64) c.setUint32(38, 0o600 << 16, true); c.setUint32(42, offset, true);
    central.set(nameBytes, 46);
    locals.push(local, body);
    centrals.push(central);
    offset += local.length + body.length;
  }
  const cdSize = centrals.reduce((n, x) => n + x.length, 0);
  const end = new Uint8Array(22);
  const e = new DataView(end.buffer);
  e.setUint32(0, 0x06054b50, true); e.setUint16(8, centrals.length, true); e.setUint16(10, centrals.length, true);
  e.setUint32(12, cdSize, true); e.setUint32(16, offset, true);
  const parts = [...locals, ...centrals, end];
  const out = new Uint8Array(parts.reduce((n, x) => n + x.length, 0));
  let o = 0;
  for (const part of parts) { out.set(part, o); o += part.length; }
  return out;
}

/** `np.savez(path, **arrays)`: each value is a whole .npy file, stored as `<key>.npy` in insertion order. */
export function encodeNpz(arrays: Record<string, Uint8Array>): Uint8Array {
  return encodeZip(Object.fromEntries(Object.entries(arrays).map(([k, v]) => [`${k}.npy`, v])), { forceZip64: true });
}
