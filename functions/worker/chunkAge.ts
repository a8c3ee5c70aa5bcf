import type { Bucket } from '@google-cloud/storage';
import { isNotFound } from '../../adapters/gcs/objects';

/**
 * How long ago `path` was stored at `generation`, by Cloud Storage's own `updated` time (the worker's
 * clock is Google's too; a relay's clock never enters), or null when the object is gone or is another
 * generation now. Asked only for error chunks, to decide whether one is older than the backoff.
 */
export async function objectAgeMs(bucket: Bucket, path: string, generation: string, now: number): Promise<number | null> {
  try {
    const [meta] = await bucket.file(path).getMetadata();
    if (String(meta.generation) !== generation || !meta.updated) return null;
    return Math.max(0, now - Date.parse(meta.updated));
  } catch (err) {
    if (isNotFound(err)) return null;
    throw err;
  }
}
