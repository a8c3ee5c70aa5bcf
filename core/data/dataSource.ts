import { decodeChunk, type ChunkHeader } from '../protocol/chunkEncoding';
import type { ChunkSpec } from '../protocol/messages';
import { TaskError } from '../tasks/types';

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

/** Where chunk bytes are looked up (the private bucket in the worker). */
export type ChunkLookup = (spec: ChunkSpec) => Promise<Uint8Array | null>;

export class DataSource {
  constructor(private readonly lookup: ChunkLookup) {}

  /** All of `specs`, in order; or NeedChunks listing every missing one (one round trip, not one per chunk). */
  async require(specs: ChunkSpec[]): Promise<Chunk[]> {
    const found = await Promise.all(specs.map((s) => this.lookup(s)));
    const missing = specs.filter((_, i) => found[i] === null);
    if (missing.length) throw new NeedChunks(missing);
    return found.map((bytes) => {
      const chunk = decodeChunk(bytes!);
      if (chunk.header.kind === 'error') throw new TaskError(chunk.header.message);
      return chunk;
    });
  }

  async json<T = unknown>(spec: ChunkSpec): Promise<T> {
    const [chunk] = await this.require([spec]);
    if (chunk.header.kind !== 'json') throw new Error(`Expected a JSON chunk for ${spec.type}, got ${chunk.header.kind}`);
    return JSON.parse(new TextDecoder().decode(chunk.payload)) as T;
  }
}
