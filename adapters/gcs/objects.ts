import { gzipSync } from 'node:zlib';
import type { Bucket, File } from '@google-cloud/storage';

/** Small helpers over @google-cloud/storage that the functions share. */

const RESUMABLE_MIN_BYTES = 8 * 1024 * 1024;

/**
 * The HTTP status of a storage client error, whichever shape it comes in: the client's ApiError
 * and the JSON error body of a resumable upload's final PUT carry `code`; a GaxiosError (a request
 * gaxios itself refused, e.g. opening a resumable session) carries `status` and `response.status`
 * with `code` unset or a Node error code such as 'ECONNRESET'.
 */
export function httpStatusOf(err: unknown): number | undefined {
  const e = err as { code?: unknown; status?: unknown; response?: { status?: unknown } } | null | undefined;
  for (const v of [e?.code, e?.status, e?.response?.status]) {
    if (typeof v === 'number' && Number.isInteger(v)) return v;
    if (typeof v === 'string' && /^[1-5][0-9][0-9]$/.test(v)) return Number(v);
  }
  return undefined;
}

export function isPreconditionFailed(err: unknown): boolean {
  return httpStatusOf(err) === 412;
}
export function isNotFound(err: unknown): boolean {
  return httpStatusOf(err) === 404;
}

/** The object's bytes and generation in one request, or null when it does not exist. */
export async function readWithGeneration(file: File): Promise<{ bytes: Buffer; generation: string } | null> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let generation = '';
    file.createReadStream({ validation: false, decompress: true })
      .on('response', (res: { headers: Record<string, string> }) => { generation = res.headers['x-goog-generation'] ?? ''; })
      .on('data', (c: Buffer) => chunks.push(c))
      .on('end', () => resolve({ bytes: Buffer.concat(chunks), generation }))
      .on('error', (err) => (isNotFound(err) ? resolve(null) : reject(err)));
  });
}

export async function exists(file: File): Promise<boolean> {
  const [e] = await file.exists();
  return e;
}

export interface WriteOptions {
  contentType?: string;
  cacheControl?: string;
  /** 0 = only if absent; a generation = only if unchanged. Undefined = unconditional. */
  ifGenerationMatch?: number | string;
  /** gzip-encode the stored bytes (`Content-Encoding: gzip`) when they are at least this long. */
  gzipMinBytes?: number;
  /** zlib level (default 6). */
  gzipLevel?: number;
}

/**
 * Writes an object (multipart, or resumable when large). Returns false when a
 * precondition failed (412), so callers can tell "someone else wrote it first" from a real error.
 */
export async function writeObject(bucket: Bucket, path: string, data: string | Buffer, opts: WriteOptions = {}): Promise<boolean> {
  let bytes = typeof data === 'string' ? Buffer.from(data) : data;
  let contentEncoding: string | undefined;
  if (opts.gzipMinBytes !== undefined && bytes.length >= opts.gzipMinBytes) {
    bytes = gzipSync(bytes, { level: opts.gzipLevel ?? 6 });
    contentEncoding = 'gzip';
  }
  const file = bucket.file(path);
  const contentType = opts.contentType ?? 'application/json';
  const preconditionOpts = opts.ifGenerationMatch === undefined ? undefined : { ifGenerationMatch: Number(opts.ifGenerationMatch) };
  try {
    // One request for small objects; large ones (big chunks) go resumable so a broken upload resumes.
    if (bytes.length > RESUMABLE_MIN_BYTES) {
      // The session is opened by createResumableUpload: save() opens its own without credentials
      // on a custom endpoint (nodejs-storage 7.x drops useAuthWithCustomEndpoint there), which
      // the emulator would refuse as anonymous. The session URI then carries the upload, as on GCS.
      const [uri] = await file.createResumableUpload({ metadata: { contentType, cacheControl: opts.cacheControl, contentEncoding }, preconditionOpts });
      await file.save(bytes, { uri, resumable: true, contentType, preconditionOpts });
    } else {
      await file.save(bytes, { resumable: false, contentType, metadata: { cacheControl: opts.cacheControl, contentEncoding }, preconditionOpts });
    }
    return true;
  } catch (err) {
    if (isPreconditionFailed(err)) return false;
    throw err;
  }
}
