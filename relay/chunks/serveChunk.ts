import { errorChunk, jsonChunk, encodeChunk } from '../../core/protocol/chunkEncoding';
import type { ChunkSpec } from '../../core/protocol';
import { DataAccessError, failureKind, type FailureKind } from '../data/errors';
import { readSmallFile, type OpenFile } from '../data/openFile';
import { NeedChunksFirst } from './pyramidTiles';

/** Whole-file chunks are for small files (objects, .npy, metrics); bulk data goes by traces/snippets. */
export const MAX_FILE_CHUNK_BYTES = 64 * 1024 * 1024;
export const MAX_OBJECT_BYTES = 16 * 1024 * 1024;

/** What a chunk kind needs beyond plain files: recordings and sortings, opened by the formats layer. */
export type FormatChunkServer = (spec: Exclude<ChunkSpec, { type: 'object' | 'file' }>) => Promise<Uint8Array>;

/**
 * How long the relay itself waits before trying a transient failure again (relay/data/errors.ts), then
 * answers with a `transient` error chunk: a store file being copied in or a disk hiccup gets a few
 * seconds, after which the user sees why and asking again (after the backoff) retries.
 */
export const TRANSIENT_RETRY_DELAYS_MS = [250, 1000, 3000];

export interface ServeChunkDeps {
  openFile: OpenFile;
  formats: FormatChunkServer;
  /** Takes the lab's paths out of an error chunk's message (errors.ts pathRedactor); the relay always passes one. */
  redact?: (message: string) => string;
  /** Injected for tests (default: TRANSIENT_RETRY_DELAYS_MS and setTimeout). */
  retryDelaysMs?: number[];
  sleep?: (ms: number) => Promise<void>;
}

/**
 * The bytes of one chunk. Everything wrong with the request, the data or the disk becomes an error
 * chunk whose message reaches the task's error, marked `input` or `transient` by where it was raised;
 * transient failures are first retried here. Nothing is final: the worker asks again for an error chunk
 * older than the backoff, and the relay replaces it.
 */
export async function serveChunk(spec: ChunkSpec, deps: ServeChunkDeps): Promise<{ bytes: Uint8Array; isError: boolean; errorKind?: FailureKind }> {
  const delays = deps.retryDelaysMs ?? TRANSIENT_RETRY_DELAYS_MS;
  const sleep = deps.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  for (let attempt = 0; ; attempt++) {
    try {
      return { bytes: await produce(spec, deps), isError: false };
    } catch (err) {
      if (err instanceof NeedChunksFirst) throw err; // not a failure: the service produces those first
      const kind = failureKind(err);
      if (kind === 'transient' && attempt < delays.length) {
        await sleep(delays[attempt]);
        continue;
      }
      const message = kind === 'transient'
        ? `${(err as Error)?.message ?? String(err)} (still failing after ${attempt + 1} tries at the relay)`
        : (err as Error)?.message ?? String(err);
      return { bytes: errorChunk(deps.redact ? deps.redact(message) : message, kind), isError: true, errorKind: kind };
    }
  }
}

async function produce(spec: ChunkSpec, deps: ServeChunkDeps): Promise<Uint8Array> {
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
