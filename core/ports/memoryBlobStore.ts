import type { BlobStore, WriteBlobOptions } from './blobStore';

/** An in-memory BlobStore with the same precondition semantics as Cloud Storage. */
export function memoryBlobStore(): BlobStore & { objects: Map<string, Uint8Array> } {
  const objects = new Map<string, Uint8Array>();
  const generations = new Map<string, number>(); // beside `objects`; see generationOf
  let lastGeneration = 0;
  // An object a test put into `objects` directly gets its generation on first use.
  const generationOf = (path: string) => {
    let g = generations.get(path);
    if (g === undefined) generations.set(path, (g = ++lastGeneration));
    return g;
  };
  return {
    objects,
    async read(path) {
      const v = objects.get(path);
      return v ? v.slice() : null;
    },
    async readVersioned(path) {
      const v = objects.get(path);
      return v ? { bytes: v.slice(), generation: String(generationOf(path)) } : null;
    },
    async write(path, bytes, opts: WriteBlobOptions = {}) {
      if (opts.ifGenerationMatch !== undefined) {
        const want = Number(opts.ifGenerationMatch);
        if (want === 0 ? objects.has(path) : !objects.has(path) || generationOf(path) !== want) return false;
      }
      objects.set(path, typeof bytes === 'string' ? new TextEncoder().encode(bytes) : bytes.slice());
      generations.set(path, ++lastGeneration);
      return true;
    },
    async exists(path) {
      return objects.has(path);
    },
    async list(prefix) {
      return [...objects.keys()].filter((k) => k.startsWith(prefix)).sort();
    },
    async delete(path) {
      objects.delete(path);
      generations.delete(path);
    },
  };
}
