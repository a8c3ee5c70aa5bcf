// Object downloads: JSON API `alt=media` and the XML/public form GET /<bucket>/<object>.
// Headers follow GCS, because the client validates against them: `x-goog-hash` carries the
// stored bytes' crc32c/md5, and `x-goog-stored-content-encoding` tells the client whether the
// bytes it receives are the stored ones (only then does it check the hash).
// Decompressive transcoding: an object stored with Content-Encoding gzip is served as stored
// (with Content-Encoding: gzip) to a client that accepts gzip, and gunzipped for one that does
// not; transcoded responses ignore Range, as on GCS.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { gunzip } from 'node:zlib';
import { promisify } from 'node:util';
import { exposeHeader } from './cors';
import { rangeNotSatisfiable } from './errors';
import { parseRange } from './range';
import { objectEtag } from './resources';
import type { ObjectRecord } from './store';

const gunzipAsync = promisify(gunzip);

export interface MediaOptions {
  /** XML/public-URL form (browser caching defaults) rather than the JSON API. */
  xml: boolean;
  bucketPublic: boolean;
}

export function acceptsGzip(header: string | undefined): boolean {
  if (!header) return false;
  return header.split(',').some((part) => {
    const [coding = '', ...params] = part.split(';').map((s) => s.trim());
    if (!['gzip', 'x-gzip', '*'].includes(coding.toLowerCase())) return false;
    const q = params.find((p) => p.toLowerCase().startsWith('q='));
    return q === undefined || Number(q.slice(2)) > 0;
  });
}

const HEADER_TOKEN = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;

function setMetaHeaders(res: ServerResponse, metadata: Record<string, string> | undefined): void {
  for (const [key, value] of Object.entries(metadata ?? {})) {
    if (!HEADER_TOKEN.test(key)) continue; // not representable as a header name
    const name = `x-goog-meta-${key}`;
    res.setHeader(name, /^[\t\x20-\x7e]*$/.test(value) ? value : encodeURIComponent(value));
    exposeHeader(res, name);
  }
}

function cacheControlFor(o: ObjectRecord, opts: MediaOptions): string {
  if (o.cacheControl) return o.cacheControl;
  // GCS defaults: publicly readable objects are cacheable for an hour (a classic surprise for
  // files that change, hence project objects set Cache-Control explicitly); JSON downloads are not.
  if (!opts.xml) return 'no-cache, no-store, max-age=0, must-revalidate';
  return opts.bucketPublic ? 'public, max-age=3600' : 'private, max-age=0';
}

export async function sendMedia(req: IncomingMessage, res: ServerResponse, o: ObjectRecord, opts: MediaOptions): Promise<void> {
  const etag = opts.xml ? `"${Buffer.from(o.md5Hash, 'base64').toString('hex')}"` : objectEtag(o);
  const headers: Record<string, string> = {
    'Content-Type': o.contentType,
    'Cache-Control': cacheControlFor(o, opts),
    ETag: etag,
    'Last-Modified': new Date(o.updated).toUTCString(),
    'x-goog-generation': String(o.generation),
    'x-goog-metageneration': String(o.metageneration),
    'x-goog-hash': `crc32c=${o.crc32c},md5=${o.md5Hash}`,
    'x-goog-stored-content-length': String(o.data.length),
    'x-goog-stored-content-encoding': o.contentEncoding ?? 'identity',
    'x-goog-storage-class': 'STANDARD',
  };
  if (o.contentDisposition) headers['Content-Disposition'] = o.contentDisposition;
  if (o.contentLanguage) headers['Content-Language'] = o.contentLanguage;
  setMetaHeaders(res, o.metadata);

  if (req.headers['if-none-match'] === etag) {
    res.writeHead(304, headers);
    res.end();
    return;
  }

  if (o.contentEncoding === 'gzip' && !acceptsGzip(req.headers['accept-encoding'])) {
    const plain = await gunzipAsync(o.data).catch(() => undefined);
    if (plain) {
      headers['Warning'] = '214 UploadServer gunzipped';
      headers['Content-Length'] = String(plain.length);
      res.writeHead(200, headers);
      res.end(plain);
      return;
    }
    // Not actually gzip: serve the stored bytes untouched rather than fail, as GCS does.
  }
  if (o.contentEncoding) headers['Content-Encoding'] = o.contentEncoding;
  headers['Accept-Ranges'] = 'bytes';

  const size = o.data.length;
  const range = parseRange(typeof req.headers.range === 'string' ? req.headers.range : undefined, size);
  if (range.kind === 'unsatisfiable') {
    throw rangeNotSatisfiable(size);
  }
  if (range.kind === 'partial') {
    headers['Content-Range'] = `bytes ${range.start}-${range.end}/${size}`;
    headers['Content-Length'] = String(range.end - range.start + 1);
    res.writeHead(206, headers);
    res.end(o.data.subarray(range.start, range.end + 1));
    return;
  }
  headers['Content-Length'] = String(size);
  res.writeHead(200, headers);
  res.end(o.data);
}
