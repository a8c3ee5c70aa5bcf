import type { StoredChunk } from '../../core/data/dataSource';
import { isErrorChunk } from '../../core/protocol/chunkEncoding';

/**
 * Chunks a warm worker instance has read, most recently used last, up to `maxBytes`. Good chunks are
 * content-addressed and written once, so a cached copy can never be stale: the 30 autocorrelograms
 * and 30 average waveforms of a first view all start from the same sorting chunk, read once per
 * instance instead of once per task. Misses (a chunk not uploaded yet) and error chunks (replaced when
 * asked again after the backoff) are never cached.
 */
export function cachedChunkReader(read: (path: string) => Promise<StoredChunk | null>, maxBytes: number) {
  const cache = new Map<string, StoredChunk>();
  const stats = { hits: 0, misses: 0, bytes: 0 };
  const cached = async (path: string): Promise<StoredChunk | null> => {
    const got = cache.get(path);
    if (got) {
      stats.hits++;
      cache.delete(path); // most recent last
      cache.set(path, got);
      return got;
    }
    stats.misses++;
    const chunk = await read(path);
    if (chunk && chunk.bytes.byteLength <= maxBytes && !cache.has(path) && !isErrorChunk(chunk.bytes)) {
      cache.set(path, chunk);
      stats.bytes += chunk.bytes.byteLength;
      for (const [k, v] of cache) {
        if (stats.bytes <= maxBytes) break;
        cache.delete(k);
        stats.bytes -= v.bytes.byteLength;
      }
    }
    return chunk;
  };
  return Object.assign(cached, { stats: () => ({ ...stats }) });
}
