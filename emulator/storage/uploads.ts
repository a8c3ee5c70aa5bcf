// objects.insert on /upload/storage/v1/b/<bucket>/o: uploadType media, multipart and resumable,
// plus the resumable session's PUT (chunks, status queries) and DELETE (cancel).
// Client quirks this follows (@google-cloud/storage 7.x):
//  - `resumable: false` sends multipart/related with the JSON resource then the media;
//  - resumable POSTs the resource as JSON with preconditions in the query and reads `Location`;
//    the data PUT says `bytes 0-*/*` (one request) or, with chunkSize, `bytes S-E/*` per chunk
//    and `bytes S-E/T` last; the final request carries `X-Goog-Hash`, and the client re-checks
//    crc32c/md5 of the returned resource, deleting the object on mismatch.
import type { Ctx } from './context';
import { GcsError, invalid, metadataTooLarge, payloadTooLarge } from './errors';
import { crc32cBase64, md5Base64, parseGoogHash } from './hashes';
import { parseJson, readBody, readJson, sendEmpty, sendJson } from './http';
import { boundaryOf, parseMultipart } from './multipart';
import { MAX_CUSTOM_METADATA_BYTES, metaFromResource, uploadName } from './objectMeta';
import { parseConditions } from './preconditions';
import { objectResource } from './resources';
import { applyChunk, parseContentRange, sessionBytes } from './sessions';
import type { ObjectRecord } from './store';

interface ExpectedHashes {
  crc32c?: string;
  md5?: string;
}

function verifyHashes(data: Buffer, expected: ExpectedHashes): void {
  if (expected.crc32c) {
    const actual = crc32cBase64(data);
    if (actual !== expected.crc32c) throw invalid(`Provided CRC32C "${expected.crc32c}" doesn't match calculated CRC32C "${actual}".`);
  }
  if (expected.md5) {
    const actual = md5Base64(data);
    if (actual !== expected.md5) throw invalid(`Provided MD5 hash "${expected.md5}" doesn't match calculated MD5 hash "${actual}".`);
  }
}

function hashesFromResource(resource: unknown): ExpectedHashes {
  if (!resource || typeof resource !== 'object') return {};
  const r = resource as Record<string, unknown>;
  return {
    crc32c: typeof r.crc32c === 'string' ? r.crc32c : undefined,
    md5: typeof r.md5Hash === 'string' ? r.md5Hash : undefined,
  };
}

function respondObject(ctx: Ctx, o: ObjectRecord): void {
  sendJson(ctx.res, 200, objectResource(o, ctx.baseUrl));
}

export async function insertObject(ctx: Ctx): Promise<void> {
  const uploadType = ctx.query.get('uploadType');
  if (uploadType === 'media') return mediaUpload(ctx);
  if (uploadType === 'multipart') return multipartUpload(ctx);
  if (uploadType === 'resumable') return startResumable(ctx);
  throw invalid(`Unsupported uploadType ${JSON.stringify(uploadType)}: use media, multipart or resumable.`);
}

async function mediaUpload(ctx: Ctx): Promise<void> {
  const { bucket } = ctx.params;
  const name = uploadName(ctx.query, undefined);
  const conditions = parseConditions(ctx.query);
  const data = await readBody(ctx.req, ctx.deps.limits.maxObjectBytes);
  verifyHashes(data, parseGoogHash(ctx.req.headers['x-goog-hash']));
  const contentType = ctx.req.headers['content-type'] || undefined;
  const contentEncoding = ctx.query.get('contentEncoding') || undefined;
  respondObject(ctx, ctx.deps.store.putObject(bucket!, name, data, { contentType, contentEncoding }, conditions));
}

async function multipartUpload(ctx: Ctx): Promise<void> {
  const { bucket } = ctx.params;
  const boundary = boundaryOf(ctx.req.headers['content-type']);
  const conditions = parseConditions(ctx.query);
  const body = await readBody(ctx.req, ctx.deps.limits.maxObjectBytes + ctx.deps.limits.maxJsonBytes);
  const parts = parseMultipart(body, boundary);
  if (parts.length !== 2) throw invalid(`Multipart upload needs exactly 2 parts (resource, media); got ${parts.length}.`);
  const [resourcePart, mediaPart] = parts as [(typeof parts)[0], (typeof parts)[0]];
  if (mediaPart.body.length > ctx.deps.limits.maxObjectBytes) throw payloadTooLarge(ctx.deps.limits.maxObjectBytes);
  if (resourcePart.body.length > ctx.deps.limits.maxJsonBytes) throw resourceTooLarge(ctx.deps.limits.maxJsonBytes);
  const resource = parseJson(resourcePart.body);
  const name = uploadName(ctx.query, resource);
  const meta = metaFromResource(resource);
  meta.contentType ??= mediaPart.headers['content-type'];
  verifyHashes(mediaPart.body, { ...hashesFromResource(resource), ...parseGoogHash(ctx.req.headers['x-goog-hash']) });
  respondObject(ctx, ctx.deps.store.putObject(bucket!, name, Buffer.from(mediaPart.body), meta, conditions));
}

/** An object resource over the JSON limit is GCS's 400, not a 413: the metadata, not the media, is too big. */
const resourceTooLarge = (limitBytes: number): GcsError =>
  metadataTooLarge(`The object resource exceeds the emulator limit of ${limitBytes} bytes (custom metadata may hold ${MAX_CUSTOM_METADATA_BYTES}).`);

async function startResumable(ctx: Ctx): Promise<void> {
  const { bucket } = ctx.params;
  const limit = ctx.deps.limits.maxJsonBytes;
  const resource = await readJson(ctx.req, limit).catch((err: unknown) => {
    throw err instanceof GcsError && err.status === 413 ? resourceTooLarge(limit) : err;
  });
  const name = uploadName(ctx.query, resource);
  const meta = metaFromResource(resource);
  const headerType = ctx.req.headers['x-upload-content-type'];
  if (!meta.contentType && typeof headerType === 'string' && headerType) meta.contentType = headerType;
  // GCS checks preconditions only when the upload finalizes: opening a session with
  // ifGenerationMatch=0 on an existing object succeeds and the final PUT answers 412 (Google's
  // conformance scenario 2). The check then happens in putObject, in one step with the write.
  const conditions = parseConditions(ctx.query);
  const rawLength = ctx.req.headers['x-upload-content-length'];
  let declaredSize: number | undefined;
  if (typeof rawLength === 'string' && rawLength !== '') {
    if (!/^\d+$/.test(rawLength)) throw invalid(`Invalid X-Upload-Content-Length ${JSON.stringify(rawLength)}.`);
    declaredSize = Number(rawLength);
    if (declaredSize > ctx.deps.limits.maxObjectBytes) throw invalid(`Object of ${declaredSize} bytes exceeds the emulator limit of ${ctx.deps.limits.maxObjectBytes}.`);
  }
  const session = ctx.deps.sessions.create({ bucket: bucket!, name, meta, conditions, declaredSize });
  const location =
    `${ctx.baseUrl}/upload/storage/v1/b/${encodeURIComponent(bucket!)}/o?uploadType=resumable` +
    `&name=${encodeURIComponent(name)}&upload_id=${session.id}`;
  sendEmpty(ctx.res, 200, { Location: location, 'X-GUploader-UploadID': session.id });
}

function sessionFor(ctx: Ctx) {
  const id = ctx.query.get('upload_id');
  if (!id) throw invalid('Missing upload_id: PUT to the session URI returned in Location by the initiating POST.');
  const session = ctx.deps.sessions.get(id);
  if (!session || session.bucket !== ctx.params.bucket) {
    throw new GcsError(404, 'notFound', `No such upload session ${JSON.stringify(id)} (expired, cancelled or failed); start a new upload.`, 'NoSuchUpload');
  }
  return session;
}

export async function resumablePut(ctx: Ctx): Promise<void> {
  const session = sessionFor(ctx);
  const { maxObjectBytes } = ctx.deps.limits;
  const body = await readBody(ctx.req, maxObjectBytes);
  if (session.result) return respondObject(ctx, session.result);
  const range = parseContentRange(ctx.req.headers['content-range'] as string | undefined);
  const complete = applyChunk(session, range, body);
  if (session.received > maxObjectBytes) {
    ctx.deps.sessions.delete(session.id);
    throw invalid(`Upload exceeds the emulator limit of ${maxObjectBytes} bytes.`);
  }
  if (!complete) {
    const headers: Record<string, string> = {};
    if (session.received > 0) headers.Range = `bytes=0-${session.received - 1}`;
    return sendEmpty(ctx.res, 308, headers);
  }
  // Finalize. Everything from here to putObject is synchronous: the precondition check and
  // the write cannot interleave with another session finalizing the same name.
  const data = sessionBytes(session);
  try {
    if (session.declaredSize !== undefined && data.length !== session.declaredSize) {
      throw invalid(`Upload has ${data.length} bytes but X-Upload-Content-Length declared ${session.declaredSize}.`);
    }
    verifyHashes(data, parseGoogHash(ctx.req.headers['x-goog-hash']));
    session.result = ctx.deps.store.putObject(session.bucket, session.name, data, session.meta, session.conditions);
  } catch (err) {
    ctx.deps.sessions.delete(session.id);
    throw err;
  }
  session.chunks = [];
  respondObject(ctx, session.result);
}

/** DELETE on the session URI cancels the upload; GCS answers 499. */
export function resumableCancel(ctx: Ctx): void {
  const session = sessionFor(ctx);
  ctx.deps.sessions.delete(session.id);
  sendEmpty(ctx.res, 499);
}
