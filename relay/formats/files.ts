import { FormatError, type OpenFile, type RandomAccessFile } from './types';

/** Whole-file reads of metadata and spike files are capped; recordings are read by range only. */
export const MAX_WHOLE_FILE_BYTES = 1024 * 1024 * 1024;
/** No single range read is larger than this (relay/data refuses reads over 256 MiB). */
export const MAX_RANGE_READ_BYTES = 64 * 1024 * 1024;

/** True for the error an OpenFile throws when a file does not exist (see types.ts). */
export function isMissingFileError(err: unknown): boolean {
  if (!(err instanceof Error)) return false;
  const code = (err as { code?: unknown }).code;
  return code === 'ENOENT' || /ENOENT|No such file/i.test(err.message);
}

/** Opens an optional file: null when it does not exist, any other failure is rethrown. */
export async function tryOpen(open: OpenFile, path: string): Promise<RandomAccessFile | null> {
  try {
    return await open(path);
  } catch (err) {
    if (isMissingFileError(err)) return null;
    throw err;
  }
}

/** Reads `length` bytes at `offset` in pieces no larger than MAX_RANGE_READ_BYTES. */
export async function readRange(file: RandomAccessFile, offset: number, length: number): Promise<Uint8Array> {
  if (offset + length > file.size) {
    throw new FormatError(file.path, `needs bytes [${offset}, ${offset + length}) but the file has ${file.size} bytes (truncated?)`);
  }
  if (length <= MAX_RANGE_READ_BYTES) return file.read(offset, length);
  const out = new Uint8Array(length);
  for (let done = 0; done < length; done += MAX_RANGE_READ_BYTES) {
    const n = Math.min(MAX_RANGE_READ_BYTES, length - done);
    out.set(await file.read(offset + done, n), done);
  }
  return out;
}

export async function readWholeFile(file: RandomAccessFile, maxBytes = MAX_WHOLE_FILE_BYTES): Promise<Uint8Array> {
  if (file.size > maxBytes) throw new FormatError(file.path, `is ${file.size} bytes; whole-file reads are capped at ${maxBytes}`);
  return readRange(file, 0, file.size);
}

/** Opens, reads whole, closes. */
export async function loadBytes(open: OpenFile, path: string, maxBytes = MAX_WHOLE_FILE_BYTES): Promise<Uint8Array> {
  const f = await open(path);
  try {
    return await readWholeFile(f, maxBytes);
  } finally {
    await f.close();
  }
}

export async function loadText(open: OpenFile, path: string, maxBytes = 64 * 1024 * 1024): Promise<string> {
  return new TextDecoder().decode(await loadBytes(open, path, maxBytes));
}

export async function loadJson(open: OpenFile, path: string): Promise<unknown> {
  const text = await loadText(open, path);
  try {
    return JSON.parse(text);
  } catch (err) {
    throw new FormatError(path, `is not valid JSON (${(err as Error).message})`, { cause: err });
  }
}

/** `folder` + `/` + `name` for plain paths (folder formats name files relative to their folder). */
export function joinPath(folder: string, name: string): string {
  if (name.startsWith('/')) return name;
  return `${folder.replace(/\/+$/, '')}/${name.replace(/^\.\//, '')}`;
}

export function dirName(path: string): string {
  const i = path.replace(/\/+$/, '').lastIndexOf('/');
  return i <= 0 ? '/' : path.slice(0, i);
}

/** Resolves `.` and `..` segments of an absolute path (params.py's dat_path is often `../x.bin`). */
export function normalizePath(path: string): string {
  const out: string[] = [];
  for (const seg of path.split('/')) {
    if (seg === '' || seg === '.') continue;
    if (seg === '..') out.pop();
    else out.push(seg);
  }
  return `/${out.join('/')}`;
}
