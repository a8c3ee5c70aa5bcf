import type { BlobStore, VersionedBlob } from '../../core/ports/blobStore';
import { publicObjectUrl } from '../../core/protocol';

/**
 * The public bucket as a read-only BlobStore, over plain anonymous GETs (what every browser may do).
 * Feed readers (core/feeds) use it; writes go through the API, never from here.
 * `count.json` and status objects change, so they are never taken from the HTTP cache; everything
 * else in the public bucket is immutable once written.
 */
export class ReadOnlyStoreError extends Error {
  override name = 'ReadOnlyStoreError';
}

export function publicBlobStore(storageUrl: string, bucket: string, fetchFn: typeof fetch = (...a) => fetch(...a)): BlobStore {
  const url = (path: string) => publicObjectUrl(storageUrl, bucket, path);
  const mutable = (path: string) => path.endsWith('/count.json') || path.startsWith('task_status/') || path.startsWith('sortingview-backends/');
  async function get(path: string): Promise<Response | null> {
    let res: Response;
    try {
      res = await fetchFn(url(path), { cache: mutable(path) ? 'no-store' : 'default' });
    } catch (err) {
      throw new Error(`Could not reach the public bucket at ${storageUrl} (${(err as Error).message}): is the storage URL in config.json right, and does the bucket allow CORS GET from this origin?`, { cause: err });
    }
    if (res.status === 404) return null;
    if (!res.ok) throw new Error(`Reading ${path} from bucket ${bucket} failed: ${res.status} ${res.statusText}`);
    return res;
  }
  const readOnly = (op: string) => () => Promise.reject(new ReadOnlyStoreError(`The web app reads the public bucket only (${op} is not possible here)`));
  return {
    async read(path) {
      const res = await get(path);
      return res ? new Uint8Array(await res.arrayBuffer()) : null;
    },
    async readVersioned(path): Promise<VersionedBlob | null> {
      const res = await get(path);
      if (!res) return null;
      return { bytes: new Uint8Array(await res.arrayBuffer()), generation: res.headers.get('x-goog-generation') ?? '0' };
    },
    async exists(path) {
      return (await get(path)) !== null;
    },
    write: readOnly('write'),
    list: readOnly('list'),
    delete: readOnly('delete'),
  };
}
