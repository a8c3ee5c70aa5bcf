import type { RecordingObject } from '../../core/protocol/dataObjects';
import { dtypeSize, servedDtypeOf, toFloat64, viewAs } from './dtypes';
import { loadText, readRange } from './files';
import { makeRecordingReader } from './gather';
import { rawBinarySource } from './rawBinary';
import { FormatError, type OpenFile, type RandomAccessFile, type RecordingReader, type SourceDtype } from './types';
import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { exists, readJsonFile } from './detectTools';

/**
 * MDA (MountainSort multi-dimensional array): int32 dtype code, int32 bytes per entry, int32 ndims
 * (negative: dims are int64), then the dims; column-major data follows, little-endian.
 * Codes: -2 uint8, -3 float32, -4 int16, -5 int32, -6 uint16, -7 float64, -8 uint32 (-1 complex64 is
 * not read). A recording is M×N (channel fastest), which is exactly the interleaved [frame][channel] layout.
 */
export const mdaDtypeCodes: Record<number, SourceDtype> = {
  [-2]: 'uint8', [-3]: 'float32', [-4]: 'int16', [-5]: 'int32', [-6]: 'uint16', [-7]: 'float64', [-8]: 'uint32',
};

export interface MdaHeader { dtype: SourceDtype; dims: number[]; headerBytes: number; dataBytes: number }

/** Parses and checks the header against the file size; every inconsistency is a FormatError naming the file. */
export async function readMdaHeader(file: RandomAccessFile): Promise<MdaHeader> {
  if (file.size < 12) throw new FormatError(file.path, `${file.size} bytes is too short for an MDA header (12 bytes at least)`);
  const first = new DataView((await file.read(0, 12)).buffer);
  const code = first.getInt32(0, true);
  const bytesPerEntry = first.getInt32(4, true);
  const ndimsRaw = first.getInt32(8, true);
  if (code === -1) throw new FormatError(file.path, 'is a complex float32 MDA, which recordings and sortings never use');
  const dtype = mdaDtypeCodes[code];
  if (!dtype) throw new FormatError(file.path, `is not an MDA file: unknown dtype code ${code} (expected -2…-8)`);
  if (bytesPerEntry !== dtypeSize[dtype]) throw new FormatError(file.path, `MDA header says ${dtype} with ${bytesPerEntry} bytes per entry (expected ${dtypeSize[dtype]})`);
  const ndims = Math.abs(ndimsRaw);
  if (ndims < 1 || ndims > 50) throw new FormatError(file.path, `MDA header has ${ndimsRaw} dimensions (expected 1…50)`);
  const dimBytes = ndimsRaw < 0 ? 8 : 4;
  const headerBytes = 12 + ndims * dimBytes;
  if (file.size < headerBytes) throw new FormatError(file.path, `${file.size} bytes is too short for its ${headerBytes}-byte MDA header (truncated)`);
  const dv = new DataView((await file.read(12, ndims * dimBytes)).buffer);
  const dims: number[] = [];
  for (let i = 0; i < ndims; i++) {
    const d = dimBytes === 8 ? Number(dv.getBigInt64(i * 8, true)) : dv.getInt32(i * 4, true);
    if (d < 0 || !Number.isSafeInteger(d)) throw new FormatError(file.path, `MDA header has a negative or huge dimension ${d}`);
    dims.push(d);
  }
  const dataBytes = dims.reduce((a, b) => a * b, 1) * bytesPerEntry;
  if (file.size !== headerBytes + dataBytes) {
    const how = file.size < headerBytes + dataBytes ? 'truncated' : 'trailing bytes';
    throw new FormatError(file.path, `header says ${dims.join('×')} ${dtype} (${dataBytes} data bytes after the ${headerBytes}-byte header) but the file has ${file.size} bytes (${how})`);
  }
  return { dtype, dims, headerBytes, dataBytes };
}

/** A whole (small) MDA array as doubles, column-major as stored. */
export async function readMdaArray(file: RandomAccessFile): Promise<{ header: MdaHeader; data: Float64Array }> {
  const header = await readMdaHeader(file);
  const bytes = await readRange(file, header.headerBytes, header.dataBytes);
  return { header, data: toFloat64(viewAs(bytes, header.dtype)) };
}

/** geom.csv: one `x,y` line per channel (SpikeForest). */
export function parseGeomCsv(text: string, name: string): [number, number][] {
  const rows: [number, number][] = [];
  for (const [i, line] of text.split(/\r?\n/).entries()) {
    if (!line.trim()) continue;
    const v = line.split(',').map((s) => Number(s.trim()));
    if (v.length < 2 || v.some((x) => !Number.isFinite(x))) throw new FormatError(name, `line ${i + 1} is not "x,y": ${JSON.stringify(line)}`);
    rows.push([v[0], v[1]]);
  }
  return rows;
}

type MdaRecordingObject = Extract<RecordingObject, { recording_format: 'mda' }>;

/** `mda {raw, geom, params:{samplerate}}`: channel ids are 0…M-1 (as 2021's MdaRecordingExtractor), groups 0, gain unknown. */
export async function openMdaRecording(obj: MdaRecordingObject, open: OpenFile): Promise<RecordingReader> {
  const d = obj.data;
  const geom = typeof d.geom === 'string' ? parseGeomCsv(await loadText(open, d.geom), d.geom) : d.geom.map((p) => [p[0], p[1]] as [number, number]);
  const file = await open(d.raw);
  try {
    const h = await readMdaHeader(file);
    if (h.dims.length !== 2 && !(h.dims.length > 2 && h.dims.slice(2).every((x) => x === 1))) {
      throw new FormatError(file.path, `is a ${h.dims.join('×')} MDA; a recording is M channels × N frames`);
    }
    const [M, N] = h.dims;
    if (geom.length !== M) throw new FormatError(file.path, `has ${M} channels but geom has ${geom.length} rows`);
    const ids = Array.from({ length: M }, (_, i) => i);
    return makeRecordingReader({
      sampleRateHz: d.params.samplerate,
      numFrames: N,
      channelIds: ids,
      channelGroups: ids.map(() => 0),
      geom,
      dtype: servedDtypeOf(h.dtype),
      sourceDtype: h.dtype,
      gainUvPerBit: null,
    }, rawBinarySource({ file, dataOffset: h.headerBytes, numColumns: M, dtype: h.dtype, numFrames: N }), new Map(ids.map((i) => [i, i])));
  } catch (err) {
    await file.close();
    throw err;
  }
}

const codeOf: Partial<Record<SourceDtype, number>> = Object.fromEntries(Object.entries(mdaDtypeCodes).map(([c, t]) => [t, Number(c)]));

/** The MDA header for `dims` of `dtype` (32-bit dims unless a dim exceeds int32). */
export function mdaHeaderBytes(dtype: SourceDtype, dims: number[]): Uint8Array {
  const code = codeOf[dtype];
  if (code === undefined) throw new Error(`MDA cannot store ${dtype}`);
  const big = dims.some((x) => x > 2 ** 31 - 1);
  const out = new Uint8Array(12 + dims.length * (big ? 8 : 4));
  const dv = new DataView(out.buffer);
  dv.setInt32(0, code, true);
  dv.setInt32(4, dtypeSize[dtype], true);
  dv.setInt32(8, big ? -dims.length : dims.length, true);
  dims.forEach((x, i) => (big ? dv.setBigInt64(12 + i * 8, BigInt(x), true) : dv.setInt32(12 + i * 4, x, true)));
  return out;
}

/** A whole MDA file (header + data) from a typed array already in column-major order. */
export function encodeMda(dtype: SourceDtype, dims: number[], data: ArrayBufferView): Uint8Array {
  const header = mdaHeaderBytes(dtype, dims);
  const out = new Uint8Array(header.length + data.byteLength);
  out.set(header);
  out.set(new Uint8Array(data.buffer, data.byteOffset, data.byteLength), header.length);
  return out;
}

// ---------------------------------------------------------------- detection (workspace add-recording)

/** `params.json` beside an MDA file (SpikeForest layout), or null when there is none. */
export async function readParamsJson(dir: string): Promise<Record<string, unknown> | null> {
  const p = join(dir, 'params.json');
  if (!(await exists(p))) return null;
  return (await readJsonFile(p)) as Record<string, unknown>;
}

/** `raw.mda` with `geom.csv` + `params.json` beside it. */
export async function mdaRecordingObject(rawPath: string): Promise<RecordingObject> {
  const dir = dirname(rawPath);
  const params = await readParamsJson(dir);
  if (!params || typeof params.samplerate !== 'number') throw new FormatError(join(dir, 'params.json'), 'is missing or has no samplerate; an MDA recording needs params.json {"samplerate": …} beside raw.mda');
  const geomPath = join(dir, 'geom.csv');
  if (!(await exists(geomPath))) throw new FormatError(dir, 'has no geom.csv beside raw.mda');
  const geom = parseGeomCsv(await readFile(geomPath, 'utf8'), geomPath);
  return { recording_format: 'mda', data: { raw: rawPath, geom, params: { samplerate: params.samplerate } } };
}
