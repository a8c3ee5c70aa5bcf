import { localOpenFile, type ReadRecord } from './local';
import type { OpenFile, RandomAccessFile } from './types';

/**
 * Test seams: OpenFile implementations over memory (here) and over the local disk (local.ts) that
 * log every read, so tests can assert what a reader touched (coalescing, "never the whole file").
 */
export { localOpenFile, type ReadRecord };
export interface ReadLog { reads: ReadRecord[] }

export function newReadLog(): ReadLog {
  return { reads: [] };
}

function missing(path: string): Error {
  return Object.assign(new Error(`No such file: ${path}`), { code: 'ENOENT' });
}

/** Files held in memory, by path. Strings are stored as UTF-8. */
export function memoryOpenFile(files: Record<string, Uint8Array | string>, log?: ReadLog): OpenFile {
  return async (path) => {
    const content = files[path];
    if (content === undefined) throw missing(path);
    const bytes = typeof content === 'string' ? new TextEncoder().encode(content) : content;
    const f: RandomAccessFile = {
      path,
      size: bytes.length,
      async read(offset, length) {
        if (offset < 0 || length < 0 || offset + length > bytes.length) throw new Error(`read [${offset}, ${offset + length}) outside ${path} (${bytes.length} bytes)`);
        log?.reads.push({ path, offset, length });
        return bytes.slice(offset, offset + length);
      },
      close: async () => {},
    };
    return f;
  };
}

/** Little-endian bytes of a typed array. */
export function bytesOf(a: ArrayBufferView): Uint8Array {
  return new Uint8Array(a.buffer.slice(a.byteOffset, a.byteOffset + a.byteLength));
}

export function concatBytes(...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}
