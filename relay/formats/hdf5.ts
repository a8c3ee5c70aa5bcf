import { mkdtemp, open as fsOpen, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { isAbsolute, join } from 'node:path';
import type { Dataset, File as H5File, Group } from 'h5wasm';
import { toFloat64, type SampleArray } from './dtypes';
import { MAX_RANGE_READ_BYTES } from './files';
import { FormatError, type RandomAccessFile, type SourceDtype } from './types';

/**
 * HDF5 through h5wasm. Its Node build uses Emscripten's NODERAWFS: `new File(hostPath)` reads the
 * host file lazily with positional reads, so a 100 GB NWB costs only the bytes of the metadata and
 * the hyperslabs asked for. h5wasm calls are synchronous, so an async RandomAccessFile cannot back
 * them; the reader therefore needs a host path:
 *   1. `file.localPath` when the opener sets it (a whole local file, e.g. a kachery store file);
 *   2. `file.path` when it is an absolute path to a file of the same size (plain paths under --data-dir);
 *   3. otherwise (a `sha1://…?manifest=` file stored in chunks, or an opener without localPath) the
 *      bytes are copied through `read()` to a private temp file, up to HDF5_COPY_CAP_BYTES; a larger
 *      file is a FormatError that says to register the file by path.
 * h5wasm's throwing error handler is switched on, so HDF5 errors become exceptions (no stderr noise),
 * and h5wasm silently clips out-of-range hyperslabs, so every slice here is bounds-checked first.
 */
export const HDF5_COPY_CAP_BYTES = 512 * 1024 * 1024;

type H5Module = typeof import('h5wasm');
let h5: Promise<H5Module['default']> | null = null;

export function loadH5wasm(): Promise<H5Module['default']> {
  h5 ??= import('h5wasm/node').then(async (m) => {
    const mod = await m.default.ready;
    mod.activate_throwing_error_handler();
    return m.default;
  });
  return h5;
}

export interface Hdf5Handle {
  name: string;
  file: H5File;
  close(): Promise<void>;
}

const SIGNATURE = [0x89, 0x48, 0x44, 0x46, 0x0d, 0x0a, 0x1a, 0x0a];

async function hasSignature(file: RandomAccessFile): Promise<boolean> {
  for (let at = 0; at + 8 <= file.size && at <= 1 << 20; at = at === 0 ? 512 : at * 2) {
    const b = await file.read(at, 8);
    if (SIGNATURE.every((x, i) => b[i] === x)) return true;
  }
  return false;
}

/** The last "in func(): message" line of an HDF5 error stack, e.g. "truncated file: eof = …". */
export function hdf5Reason(err: unknown): string {
  const text = err instanceof Error ? err.message : String(err);
  const lines = [...text.matchAll(/in [\w.]+\(\): (.+)$/gm)].map((m) => m[1].trim());
  return lines.at(-1) ?? text.split('\n')[0];
}

async function hostPathOf(file: RandomAccessFile): Promise<string | null> {
  for (const p of [file.localPath, file.path]) {
    if (!p || !isAbsolute(p)) continue;
    const st = await stat(p).catch(() => null);
    if (st?.isFile() && st.size === file.size) return p;
  }
  return null;
}

async function copyToTemp(file: RandomAccessFile, capBytes: number): Promise<{ path: string; dir: string }> {
  if (file.size > capBytes) {
    throw new FormatError(file.path, `is a ${file.size}-byte HDF5 file that is not a single local file; h5wasm needs a host path, and copying is capped at ${capBytes} bytes. Register it by its path under a --data-dir instead.`);
  }
  const dir = await mkdtemp(join(tmpdir(), 'sortingview-h5-'));
  const path = join(dir, 'file.h5');
  const fh = await fsOpen(path, 'w', 0o600);
  try {
    for (let o = 0; o < file.size; o += MAX_RANGE_READ_BYTES) {
      const n = Math.min(MAX_RANGE_READ_BYTES, file.size - o);
      await fh.write(await file.read(o, n), 0, n, o);
    }
  } finally {
    await fh.close();
  }
  return { path, dir };
}

/** Opens an HDF5 file read-only; the RandomAccessFile stays owned by the caller. */
export async function openHdf5(file: RandomAccessFile, opts: { copyCapBytes?: number } = {}): Promise<Hdf5Handle> {
  if (!(await hasSignature(file))) throw new FormatError(file.path, 'is not an HDF5 file (no HDF5 signature)');
  const h5wasm = await loadH5wasm();
  let path = await hostPathOf(file);
  let tempDir: string | null = null;
  if (!path) {
    const t = await copyToTemp(file, opts.copyCapBytes ?? HDF5_COPY_CAP_BYTES);
    path = t.path;
    tempDir = t.dir;
  }
  let h: H5File;
  try {
    h = new h5wasm.File(path, 'r');
  } catch (err) {
    if (tempDir) await rm(tempDir, { recursive: true, force: true });
    throw new FormatError(file.path, `HDF5 cannot open it: ${hdf5Reason(err)}`, { cause: err });
  }
  return {
    name: file.path,
    file: h,
    async close() {
      h.close();
      if (tempDir) await rm(tempDir, { recursive: true, force: true });
    },
  };
}

function isDataset(x: unknown): x is Dataset {
  return typeof x === 'object' && x !== null && (x as { type?: string }).type === 'Dataset';
}

function isGroup(x: unknown): x is Group {
  return typeof x === 'object' && x !== null && ((x as { type?: string }).type === 'Group');
}

/** The entity at `path`, or null; HDF5 errors on the way are FormatErrors. */
export function h5get(h: Hdf5Handle, path: string): unknown {
  try {
    return h.file.get(path);
  } catch (err) {
    throw new FormatError(h.name, `HDF5 cannot read ${path}: ${hdf5Reason(err)}`, { cause: err });
  }
}

export function optionalDataset(h: Hdf5Handle, path: string): Dataset | null {
  const x = h5get(h, path);
  if (x === null || x === undefined) return null;
  if (!isDataset(x)) throw new FormatError(h.name, `${path} is not a dataset`);
  return x;
}

export function dataset(h: Hdf5Handle, path: string): Dataset {
  const d = optionalDataset(h, path);
  if (!d) throw new FormatError(h.name, `has no dataset ${path}`);
  return d;
}

export function optionalGroup(h: Hdf5Handle, path: string): Group | null {
  const x = h5get(h, path);
  if (x === null || x === undefined) return null;
  return isGroup(x) ? x : null;
}

export { isDataset, isGroup };

/** The on-disk sample type of a numeric dataset. */
export function datasetDtype(h: Hdf5Handle, d: Dataset): SourceDtype {
  const m = d.metadata;
  if (!m.littleEndian && m.size > 1) throw new FormatError(h.name, `${d.path} is big-endian, which is not read`);
  if (m.type === 1) {
    if (m.size === 4) return 'float32';
    if (m.size === 8) return 'float64';
  } else if (m.type === 0) {
    const bySize: Record<number, [SourceDtype, SourceDtype]> = { 1: ['int8', 'uint8'], 2: ['int16', 'uint16'], 4: ['int32', 'uint32'], 8: ['int64', 'uint64'] };
    const pair = bySize[m.size];
    if (pair) return m.signed ? pair[0] : pair[1];
  }
  throw new FormatError(h.name, `${d.path} has HDF5 type class ${m.type} size ${m.size}, not a numeric type this reader knows`);
}

export function shapeOf(d: Dataset): number[] {
  return d.shape ?? [];
}

/** Rows [start, end) of a 1-D or 2-D numeric dataset (all columns, or [c0, c1)), bounds-checked. */
export function sliceRows(h: Hdf5Handle, d: Dataset, start: number, end: number, cols?: [number, number]): SampleArray {
  const shape = shapeOf(d);
  if (start < 0 || end > shape[0] || start > end) throw new FormatError(h.name, `${d.path} has ${shape[0]} rows; rows [${start}, ${end}) do not exist`);
  const sel: ([number, number] | [])[] = shape.length === 1 ? [[start, end]] : [[start, end], cols ?? []];
  for (let i = 2; i < shape.length; i++) sel.push([]);
  let v: unknown;
  try {
    v = d.slice(sel as never);
  } catch (err) {
    throw new FormatError(h.name, `HDF5 cannot read ${d.path}[${start}:${end}]: ${hdf5Reason(err)}`, { cause: err });
  }
  if (!ArrayBuffer.isView(v)) throw new FormatError(h.name, `${d.path} is not a numeric dataset`);
  return v as SampleArray;
}

/** A whole numeric dataset (or scalar) as doubles. */
export function readNumbers(h: Hdf5Handle, d: Dataset): Float64Array {
  let v: unknown;
  try {
    v = d.value;
  } catch (err) {
    throw new FormatError(h.name, `HDF5 cannot read ${d.path}: ${hdf5Reason(err)}`, { cause: err });
  }
  if (typeof v === 'number') return new Float64Array([v]);
  if (typeof v === 'bigint') return new Float64Array([Number(v)]);
  if (ArrayBuffer.isView(v)) return toFloat64(v as SampleArray);
  throw new FormatError(h.name, `${d.path} is not numeric`);
}

export function readStrings(h: Hdf5Handle, d: Dataset): string[] {
  let v: unknown;
  try {
    v = d.value;
  } catch (err) {
    throw new FormatError(h.name, `HDF5 cannot read ${d.path}: ${hdf5Reason(err)}`, { cause: err });
  }
  if (typeof v === 'string') return [v];
  if (Array.isArray(v)) return v.map(String);
  throw new FormatError(h.name, `${d.path} is not a string dataset`);
}

export function attrValue(obj: Dataset | Group, name: string): unknown {
  const a = obj.attrs[name];
  return a ? a.value : undefined;
}

export function attrNumber(obj: Dataset | Group, name: string): number | undefined {
  const v = attrValue(obj, name);
  if (typeof v === 'number') return v;
  if (typeof v === 'bigint') return Number(v);
  if (ArrayBuffer.isView(v) && (v as unknown as ArrayLike<number>).length === 1) return Number((v as unknown as ArrayLike<number>)[0]);
  return undefined;
}

