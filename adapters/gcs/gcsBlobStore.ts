import type { Bucket } from '@google-cloud/storage';
import type { BlobStore } from '../../core/ports/blobStore';
import { exists, readWithGeneration, writeObject } from './objects';

/**
 * The BlobStore port over a Cloud Storage bucket. Shared by the functions and the relay CLI (both hold
 * credentials for the buckets); it is the one place either touches objects through the port.
 */
export function gcsBlobStore(bucket: Bucket): BlobStore {
  return {
    async read(path) {
      const got = await readWithGeneration(bucket.file(path));
      return got ? new Uint8Array(got.bytes.buffer, got.bytes.byteOffset, got.bytes.byteLength) : null;
    },
    async readVersioned(path) {
      const got = await readWithGeneration(bucket.file(path));
      if (!got) return null;
      if (!/^[1-9][0-9]*$/.test(got.generation)) throw new Error(`Cloud Storage returned no generation for ${path}`);
      return { bytes: new Uint8Array(got.bytes.buffer, got.bytes.byteOffset, got.bytes.byteLength), generation: got.generation };
    },
    write(path, bytes, opts = {}) {
      return writeObject(bucket, path, typeof bytes === 'string' ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength), opts);
    },
    exists: (path) => exists(bucket.file(path)),
    async list(prefix) {
      const [files] = await bucket.getFiles({ prefix, autoPaginate: true });
      return files.map((f) => f.name).sort();
    },
    async delete(path) {
      await bucket.file(path).delete({ ignoreNotFound: true });
    },
  };
}
