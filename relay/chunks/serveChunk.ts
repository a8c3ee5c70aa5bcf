import { errorChunk, jsonChunk, encodeChunk } from '../../core/protocol/chunkEncoding';
import type { ChunkSpec } from '../../core/protocol';
import { DataAccessError } from '../data/errors';
import { readSmallFile, type OpenFile } from '../data/openFile';

/** Whole-file chunks are for small files (objects, .npy, metrics); bulk data goes by traces/snippets. */
export const MAX_FILE_CHUNK_BYTES = 64 * 1024 * 1024;
export const MAX_OBJECT_BYTES = 16 * 1024 * 1024;

/** What a chunk kind needs beyond plain files: recordings and sortings, opened by the formats layer. */
export type FormatChunkServer = (spec: Exclude<ChunkSpec, { type: 'object' | 'file' }>) => Promise<Uint8Array>;

/**
 * The bytes of one chunk. Anything wrong with the request or the data becomes an error chunk whose
 * message reaches the task's error; only failures of the relay itself are thrown (and retried).
 */
export async function serveChunk(spec: ChunkSpec, deps: { openFile: OpenFile; formats: FormatChunkServer }): Promise<{ bytes: Uint8Array; isError: boolean }> {
  try {
    return { bytes: await produce(spec, deps), isError: false };
  } catch (err) {
    if (isInputError(err)) return { bytes: errorChunk((err as Error).message), isError: true };
    throw err;
  }
}

async function produce(spec: ChunkSpec, deps: { openFile: OpenFile; formats: FormatChunkServer }): Promise<Uint8Array> {
  switch (spec.type) {
    case 'object': {
      const bytes = await readSmallFile(deps.openFile, spec.uri, MAX_OBJECT_BYTES);
      let value: unknown;
      try {
        value = JSON.parse(new TextDecoder().decode(bytes));
      } catch {
        throw new DataAccessError(`${spec.uri} is not a JSON object`);
      }
      return jsonChunk(value);
    }
    case 'file': {
      const f = await deps.openFile(spec.uri);
      const size = f.size;
      await f.close();
      if (size > MAX_FILE_CHUNK_BYTES) {
        throw new DataAccessError(`${spec.uri} is ${size} bytes; file chunks are capped at ${MAX_FILE_CHUNK_BYTES}: ask for traces, snippets or minmax of the recording instead`);
      }
      return encodeChunk({ kind: 'bytes' }, await readSmallFile(deps.openFile, spec.uri, MAX_FILE_CHUNK_BYTES));
    }
    default:
      return deps.formats(spec);
  }
}

/**
 * Errors caused by the request or the data (refused paths, missing or corrupt files, bad ranges) as
 * opposed to the relay's own failures (bucket unreachable). Format readers throw plain Errors with a
 * message naming the file, so everything but system-level I/O failures counts as input.
 */
function isInputError(err: unknown): boolean {
  if (err instanceof DataAccessError) return true;
  const code = (err as NodeJS.ErrnoException)?.code;
  if (code && ['EMFILE', 'ENFILE', 'ENOMEM', 'ENOSPC'].includes(code)) return false;
  return err instanceof Error;
}
