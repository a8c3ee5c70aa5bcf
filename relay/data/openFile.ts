import { open, type FileHandle } from 'node:fs/promises';
import { sha1Hex } from '../../core/protocol';
import { DataAccessError, isTransientCode, TransientDataError } from './errors';
import { parseSha1Uri, type KacheryStore, type Manifest } from './kachery';
import type { DataRoots } from './roots';

/** The port this module implements (declared once, in core/ports). */
export type { OpenFile, RandomAccessFile } from '../../core/ports/openFile';
import type { OpenFile, RandomAccessFile } from '../../core/ports/openFile';

/** No single read may be larger than this: a request for more is a bug or an attack, never a need. */
export const MAX_READ_BYTES = 256 * 1024 * 1024;

function checkRange(name: string, size: number, offset: number, length: number): void {
  if (!Number.isSafeInteger(offset) || !Number.isSafeInteger(length) || offset < 0 || length < 0) {
    throw new DataAccessError(`Bad byte range of ${name}: offset ${offset}, length ${length}`);
  }
  if (length > MAX_READ_BYTES) throw new DataAccessError(`Refused a ${length}-byte read of ${name}: the limit is ${MAX_READ_BYTES} per read`);
  if (offset + length > size) throw new DataAccessError(`Byte range [${offset}, ${offset + length}) is outside ${name} (${size} bytes)`);
}

async function readFully(fh: FileHandle, buf: Uint8Array, position: number, name: string): Promise<void> {
  let done = 0;
  while (done < buf.length) {
    const { bytesRead } = await fh.read(buf, done, buf.length - done, position + done);
    if (bytesRead === 0) throw new DataAccessError(`${name} is shorter than expected (truncated while reading?)`);
    done += bytesRead;
  }
}

export async function openLocalFile(path: string, displayName = path): Promise<RandomAccessFile> {
  const fh = await open(path, 'r').catch((err) => {
    // Not there yet, or the disk failed: may work when asked again. EACCES, EISDIR…: someone must fix it.
    const E = isTransientCode(err.code) ? TransientDataError : DataAccessError;
    throw new E(`Cannot open ${displayName}: ${err.code ?? err.message}`, { cause: err });
  });
  const size = (await fh.stat()).size;
  return {
    path: displayName,
    // HDF5 (h5wasm) reads host files lazily by path; without it a sha1:// NWB would be copied first.
    localPath: path,
    size,
    async read(offset, length) {
      checkRange(displayName, size, offset, length);
      const buf = new Uint8Array(length);
      await readFully(fh, buf, offset, displayName);
      return buf;
    },
    async readInto(offset, target) {
      checkRange(displayName, size, offset, target.length);
      await readFully(fh, target, offset, displayName);
    },
    close: () => fh.close(),
  };
}

/** A file kachery stored as chunk files (a `?manifest=` URI): ranges are served across chunks. */
export async function openChunkedFile(name: string, manifest: Manifest, chunkPaths: string[]): Promise<RandomAccessFile> {
  const handles = new Map<number, FileHandle>();
  const handle = async (i: number) => {
    let h = handles.get(i);
    if (!h) {
      h = await open(chunkPaths[i], 'r');
      handles.set(i, h);
    }
    return h;
  };
  return {
    path: name,
    size: manifest.size,
    async read(offset, length) {
      checkRange(name, manifest.size, offset, length);
      const out = new Uint8Array(length);
      const end = offset + length;
      for (let i = 0; i < manifest.chunks.length; i++) {
        const c = manifest.chunks[i];
        if (c.end <= offset || c.start >= end) continue;
        const from = Math.max(offset, c.start);
        const to = Math.min(end, c.end);
        await readFully(await handle(i), out.subarray(from - offset, to - offset), from - c.start, name);
      }
      return out;
    },
    async close() {
      for (const h of handles.values()) await h.close();
      handles.clear();
    },
  };
}

/** Resolves `sha1://…` in the kachery store and plain paths under the data roots; refuses the rest. */
export function createOpenFile(deps: { store: KacheryStore | null; roots: DataRoots }): OpenFile {
  return async (uriOrPath) => {
    if (uriOrPath.startsWith('sha1://')) {
      if (!deps.store) throw new DataAccessError(`Cannot resolve ${uriOrPath}: this relay has no kachery storage directory`);
      const uri = parseSha1Uri(uriOrPath);
      const located = await deps.store.locate(uri);
      return located.kind === 'file' ? openLocalFile(located.path, uriOrPath) : openChunkedFile(uriOrPath, located.manifest, located.chunkPaths);
    }
    if (/^[a-z][a-z0-9+.-]*:\/\//i.test(uriOrPath)) throw new DataAccessError(`Unsupported URI scheme: ${uriOrPath}`);
    // Named in messages relative to its root (roots.describe), never by the lab's absolute path.
    return openLocalFile(await deps.roots.check(uriOrPath), deps.roots.describe(uriOrPath));
  };
}

/**
 * Reads a whole small file (objects, JSON, .npy), capped; a `sha1://` URI's bytes must hash to it, so a
 * corrupted store is caught rather than served.
 */
export async function readSmallFile(openFile: OpenFile, uriOrPath: string, maxBytes: number): Promise<Uint8Array> {
  const f = await openFile(uriOrPath);
  try {
    if (f.size > maxBytes) throw new DataAccessError(`${uriOrPath} is ${f.size} bytes; whole-file reads are capped at ${maxBytes} (ask for traces or byte ranges instead)`);
    const bytes = await f.read(0, f.size);
    if (uriOrPath.startsWith('sha1://')) {
      const { sha1 } = parseSha1Uri(uriOrPath);
      if (sha1Hex(bytes) !== sha1) throw new DataAccessError(`${uriOrPath}: the stored bytes do not hash to ${sha1} (corrupt kachery store)`);
    }
    return bytes;
  } finally {
    await f.close();
  }
}
