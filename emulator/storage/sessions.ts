// Resumable upload sessions (https://cloud.google.com/storage/docs/performing-resumable-uploads).
// A session holds the object's metadata and preconditions from the initiating POST and the bytes
// persisted so far. Each PUT carries `Content-Range: bytes S-E/T`, `bytes S-*/T` (the client's
// single-request streaming form; `*/*` total means "this request ends the upload") or
// `bytes */T` (a status query). Bytes the server already holds are skipped, so a client that
// resends an overlapping chunk after a lost response is fine. The session URI is a capability:
// whoever holds it may upload, as on GCS.
import { randomUUID } from 'node:crypto';
import { invalid } from './errors';
import type { Conditions } from './preconditions';
import type { ObjectMeta, ObjectRecord } from './store';

export type ContentRange =
  | { kind: 'query'; total?: number }
  | { kind: 'data'; start: number; end?: number; total?: number };

/**
 * Without a Content-Range header, one PUT carries the whole object. `bytes 0--1/0` is what the
 * client sends for an empty final chunk (its end byte is start + length - 1).
 */
export function parseContentRange(header: string | undefined): ContentRange {
  if (header === undefined) return { kind: 'data', start: 0 };
  const m = /^\s*bytes\s+(?:(\*)|(\d+)-(-1|\d+|\*))\/(\d+|\*)\s*$/i.exec(header);
  if (!m) throw invalid(`Invalid Content-Range ${JSON.stringify(header)}: expected "bytes S-E/T", "bytes S-*/T" or "bytes */T".`);
  const total = m[4] === '*' ? undefined : Number(m[4]);
  if (m[1]) return { kind: 'query', total };
  const start = Number(m[2]);
  const end = m[3] === '*' ? undefined : Number(m[3]);
  if (end !== undefined && end < start - 1) throw invalid(`Invalid Content-Range ${JSON.stringify(header)}: end before start.`);
  return { kind: 'data', start, end, total };
}

export interface UploadSession {
  id: string;
  bucket: string;
  name: string;
  meta: ObjectMeta;
  conditions: Conditions;
  /** From X-Upload-Content-Length on the initiating POST, if given. */
  declaredSize?: number;
  chunks: Buffer[];
  received: number;
  createdAtMs: number;
  /** Set once the upload finalized; later PUTs answer with this object. */
  result?: ObjectRecord;
}

/**
 * Appends `body` at `range.start`, dropping bytes already persisted. Returns true when the upload
 * is complete: the total is known and reached, or the range was open-ended with an unknown total.
 */
export function applyChunk(s: UploadSession, range: ContentRange, body: Buffer): boolean {
  if (range.kind === 'query') {
    if (body.length > 0) throw invalid('A status query (Content-Range: bytes */T) must have an empty body.');
    return range.total !== undefined && range.total === s.received;
  }
  if (range.end !== undefined && range.end - range.start + 1 !== body.length) {
    throw invalid(`Content-Range covers ${range.end - range.start + 1} bytes but the body has ${body.length}.`);
  }
  if (range.start > s.received) {
    throw invalid(`Content-Range starts at ${range.start} but only ${s.received} bytes were persisted; query the status and resend from there.`);
  }
  const fresh = body.subarray(s.received - range.start);
  if (fresh.length > 0) {
    s.chunks.push(Buffer.from(fresh)); // copy: the request buffer may be pooled
    s.received += fresh.length;
  }
  const total = range.total ?? s.declaredSize;
  if (total !== undefined && s.received > total) {
    throw invalid(`Upload has ${s.received} bytes, more than the declared total of ${total}.`);
  }
  if (range.total !== undefined) return s.received === range.total;
  return range.end === undefined; // "bytes S-*/*": this request carried the rest of the object
}

export function sessionBytes(s: UploadSession): Buffer {
  return Buffer.concat(s.chunks, s.received);
}

/** Holds sessions; abandoned ones expire (GCS keeps them a week; the emulator a day by default). */
export class Sessions {
  private readonly sessions = new Map<string, UploadSession>();

  constructor(
    private readonly now: () => number = Date.now,
    private readonly ttlMs = 24 * 3600 * 1000,
  ) {}

  create(init: Omit<UploadSession, 'id' | 'chunks' | 'received' | 'createdAtMs'>): UploadSession {
    this.expire();
    const session: UploadSession = { ...init, id: randomUUID().replace(/-/g, ''), chunks: [], received: 0, createdAtMs: this.now() };
    this.sessions.set(session.id, session);
    return session;
  }

  get(id: string): UploadSession | undefined {
    return this.sessions.get(id);
  }

  delete(id: string): void {
    this.sessions.delete(id);
  }

  clear(): void {
    this.sessions.clear();
  }

  private expire(): void {
    const cutoff = this.now() - this.ttlMs;
    for (const [id, s] of this.sessions) if (s.createdAtMs < cutoff) this.sessions.delete(id);
  }
}
