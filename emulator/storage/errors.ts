// GCS-shaped errors, thrown deep in the emulator and serialized once at the edge (server.ts).
// The JSON API answers `{error:{code,message,errors:[{domain,reason,message}]}}`; the XML API
// (the plain https://storage.googleapis.com/<bucket>/<object> form browsers use) answers XML.

export class GcsError extends Error {
  constructor(
    readonly status: number,
    readonly reason: string,
    message: string,
    /** Code used in XML API error bodies (e.g. NoSuchKey, AccessDenied). */
    readonly xmlCode: string = reason,
    /** Extra fields of the `errors[0]` entry (locationType/location for auth errors). */
    readonly extra: Record<string, string> = {},
    /** Response headers to send with the error (e.g. Content-Range on a 416). */
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
    this.name = 'GcsError';
  }
}

export const invalid = (message: string): GcsError =>
  new GcsError(400, 'invalid', message, 'InvalidArgument');

export const parseError = (message = 'Parse Error'): GcsError =>
  new GcsError(400, 'parseError', message, 'InvalidArgument');

export const bucketNotFound = (bucket: string): GcsError =>
  new GcsError(404, 'notFound', `The specified bucket does not exist: ${bucket}`, 'NoSuchBucket');

export const objectNotFound = (bucket: string, name: string): GcsError =>
  new GcsError(404, 'notFound', `No such object: ${bucket}/${name}`, 'NoSuchKey');

export const routeNotFound = (method: string, path: string): GcsError =>
  new GcsError(404, 'notFound', `Not Found: the storage emulator has no route for ${method} ${path}`, 'NotFound');

export const conditionNotMet = (detail: string): GcsError =>
  new GcsError(
    412,
    'conditionNotMet',
    `At least one of the pre-conditions you specified did not hold. (${detail})`,
    'PreconditionFailed',
  );

// GCS answers a failed ifGenerationNotMatch / ifMetagenerationNotMatch with 304, not 412
// (https://cloud.google.com/storage/docs/request-preconditions). A 304 carries no body.
export const notModified = (detail: string): GcsError =>
  new GcsError(304, 'notModified', `Not Modified (${detail})`, 'NotModified');

export const conflict = (message: string): GcsError => new GcsError(409, 'conflict', message, 'Conflict');

export const rangeNotSatisfiable = (sizeBytes: number): GcsError =>
  new GcsError(416, 'requestedRangeNotSatisfiable', 'The requested range cannot be satisfied.', 'InvalidRange', {}, {
    'Content-Range': `bytes */${sizeBytes}`,
  });

// GCS's words for an upload whose object resource is too big (nodejs-storage's system test
// "should throw original error message on non JSON response on large metadata" expects them).
export const metadataTooLarge = (detail: string): GcsError =>
  new GcsError(400, 'invalid', `Metadata part is too large. ${detail}`, 'MetadataTooLarge');

export const payloadTooLarge = (limitBytes: number): GcsError =>
  new GcsError(413, 'uploadTooLarge', `Request body exceeds the emulator limit of ${limitBytes} bytes.`, 'EntityTooLarge');

export function errorJson(err: GcsError): string {
  const entry = { domain: 'global', reason: err.reason, message: err.message, ...err.extra };
  return JSON.stringify({ error: { code: err.status, message: err.message, errors: [entry] } });
}

const xmlEscape = (s: string): string =>
  s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

export function errorXml(err: GcsError): string {
  const message = err.status === 403 ? 'Access denied.' : err.message;
  return (
    `<?xml version='1.0' encoding='UTF-8'?><Error><Code>${xmlEscape(err.xmlCode)}</Code>` +
    `<Message>${xmlEscape(message)}</Message><Details>${xmlEscape(err.message)}</Details></Error>`
  );
}
