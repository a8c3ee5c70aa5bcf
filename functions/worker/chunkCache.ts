/**
 * Chunks a warm worker instance has read, most recently used last, up to `maxBytes`. Chunks are
 * content-addressed and written once, so a cached copy can never be stale: the 30 autocorrelograms
 * and 30 average waveforms of a first view all start from the same sorting chunk, read once per
 * instance instead of once per task. Misses (a chunk not uploaded yet) are not cached.
 */
export function cachedChunkReader(read: (path: string) => Promise<Uint8Array | null>, maxBytes: number) {
  const cache = new Map<string, Uint8Array>();
  const stats = { hits: 0, misses: 0, bytes: 0 };
  const cached = async (path: string): Promise<Uint8Array | null> => {
    const got = cache.get(path);
    if (got) {
      stats.hits++;
      cache.delete(path); // most recent last
      cache.set(path, got);
      return got;
    }
    stats.misses++;
    const bytes = await read(path);
    if (bytes && bytes.byteLength <= maxBytes && !cache.has(path)) {
      cache.set(path, bytes);
      stats.bytes += bytes.byteLength;
      for (const [k, v] of cache) {
        if (stats.bytes <= maxBytes) break;
        cache.delete(k);
        stats.bytes -= v.byteLength;
      }
    }
    return bytes;
  };
  return Object.assign(cached, { stats: () => ({ ...stats }) });
}
