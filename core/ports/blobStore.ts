/**
 * The few bucket operations that core logic (feeds, chunk caches) needs, as a port: the functions and
 * the relay pass a Cloud Storage adapter (`adapters/gcs/gcsBlobStore.ts`), tests may pass the
 * in-memory one. Both pass `test/contract/blobStore.case.ts`.
 */
export interface WriteBlobOptions {
  contentType?: string;
  cacheControl?: string;
  /**
   * 0 = only if absent; a generation (as `readVersioned` returned it) = only if the live object is still
   * that generation. The write returns false when the precondition fails (HTTP 412).
   */
  ifGenerationMatch?: number | string;
  /** Stored gzip-encoded when at least this many bytes (readers get the plain bytes back). */
  gzipMinBytes?: number;
  /** zlib level for that (default 6; 1 for bulk bytes read once, ~10× faster on noise-like samples). */
  gzipLevel?: number;
}

/** An object's bytes with the generation they belong to (Cloud Storage generations are decimal strings). */
export interface VersionedBlob {
  bytes: Uint8Array;
  generation: string;
}

export interface BlobStore {
  read(path: string): Promise<Uint8Array | null>;
  /** Bytes and generation in one read, for a compare-and-swap with `ifGenerationMatch`; null when absent. */
  readVersioned(path: string): Promise<VersionedBlob | null>;
  write(path: string, bytes: Uint8Array | string, opts?: WriteBlobOptions): Promise<boolean>;
  exists(path: string): Promise<boolean>;
  /** Names under a prefix, in lexicographic order. */
  list(prefix: string): Promise<string[]>;
  delete(path: string): Promise<void>;
}
