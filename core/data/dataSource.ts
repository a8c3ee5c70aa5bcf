import { decodeChunk, type ChunkHeader } from '../protocol/chunkEncoding';
import type { ChunkSpec } from '../protocol/messages';
import { chunkHash } from '../protocol/paths';
import { isStaleError, retryHint } from '../tasks/lifecycle';
import { TaskError } from '../taskError';

/**
 * Thrown by a task that needs chunks the private bucket does not hold yet. The worker answers it
 * with one batched request to the relay and status `waiting-for-data`; the re-published task then
 * runs again from the start and finds them. Tasks never know where bytes came from.
 */
export class NeedChunks extends Error {
  override name = 'NeedChunks';
  constructor(readonly specs: ChunkSpec[]) {
    super(`waiting for ${specs.length} chunk(s) from the relay`);
  }
}

export interface Chunk {
  header: ChunkHeader;
  payload: Uint8Array;
}

/** A stored chunk with the generation its bytes belong to (what a replacement is conditioned on). */
export interface StoredChunk {
  bytes: Uint8Array;
  generation: string;
}

/** Where chunk bytes are looked up (the private bucket in the worker). Plain bytes: no generation known. */
export type ChunkLookup = (spec: ChunkSpec) => Promise<Uint8Array | StoredChunk | null>;

export interface DataSourceOptions {
  /**
   * How long ago the chunk was stored at `generation` (ms), or null when it is no longer that
   * generation. Asked only for error chunks; without it an error chunk fails the task.
   */
  chunkAgeMs?(spec: ChunkSpec, generation: string): Promise<number | null>;
  /** The backoff after which an error chunk is produced again (lifecycle.ts). */
  errorRetryAfterMs?: number;
}

export class DataSource {
  /** Error chunks of this round found stale, by chunk hash: the generation the relay may replace. */
  private readonly stale = new Map<string, string>();

  constructor(private readonly lookup: ChunkLookup, private readonly opts: DataSourceOptions = {}) {}

  /**
   * All of `specs`, in order; or NeedChunks listing every missing one (one round trip, not one per
   * chunk). An error chunk fails the task with its message, unless it is older than the backoff: then
   * it counts as missing, and the relay is asked to produce it again (`replacements`). No error is final.
   */
  async require(specs: ChunkSpec[]): Promise<Chunk[]> {
    const found = await Promise.all(specs.map(async (spec) => {
      const got = await this.lookup(spec);
      if (got === null) return null;
      const { bytes, generation } = got instanceof Uint8Array ? { bytes: got, generation: undefined } : got;
      const chunk = decodeChunk(bytes);
      if (chunk.header.kind !== 'error') return chunk;
      if (generation !== undefined && this.opts.chunkAgeMs) {
        const age = await this.opts.chunkAgeMs(spec, generation);
        if (age === null) return null; // replaced since it was read: the next round reads it again
        if (isStaleError(age, this.opts.errorRetryAfterMs)) {
          this.stale.set(chunkHash(spec), generation);
          return null;
        }
      }
      return chunk;
    }));
    const missing = specs.filter((_, i) => found[i] === null);
    if (missing.length) throw new NeedChunks(missing);
    return found.map((chunk) => {
      const { header } = chunk!;
      if (header.kind === 'error') {
        throw new TaskError(header.errorKind === 'transient' ? `${header.message}. ${retryHint(this.opts.errorRetryAfterMs)}` : header.message);
      }
      return chunk!;
    });
  }

  /** For a relay request of `specs`: the stale error chunks among them, by index, with the generation read. */
  replacements(specs: ChunkSpec[]): { index: number; generation: string }[] {
    return specs.flatMap((spec, index) => {
      const generation = this.stale.get(chunkHash(spec));
      return generation ? [{ index, generation }] : [];
    });
  }

  async json<T = unknown>(spec: ChunkSpec): Promise<T> {
    const [chunk] = await this.require([spec]);
    if (chunk.header.kind !== 'json') throw new Error(`Expected a JSON chunk for ${spec.type}, got ${chunk.header.kind}`);
    return JSON.parse(new TextDecoder().decode(chunk.payload)) as T;
  }
}
