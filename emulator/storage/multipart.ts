// multipart/related bodies of `uploadType=multipart`: part 1 is the JSON object resource,
// part 2 the media with its own Content-Type. Parsed on Buffers (media is binary).
import { invalid } from './errors';

export interface MultipartPart {
  headers: Record<string, string>;
  body: Buffer;
}

/**
 * `boundary=abc`, `boundary="a b"`, and `boundary='==…=='`: gcloud (apitools, Python's email
 * package) single-quotes it while its body uses the bare boundary. RFC 2046 would read the quotes
 * as part of the boundary; GCS accepts the form, so the emulator does too.
 */
export function boundaryOf(contentType: string | undefined): string {
  const m = /^\s*multipart\/related\s*;(?:.*;)?\s*boundary=(?:"([^"]+)"|'([^']+)'|([^;\s]+))/i.exec(contentType ?? '');
  const boundary = m?.[1] ?? m?.[2] ?? m?.[3];
  if (!boundary) {
    throw invalid(`Multipart upload needs Content-Type: multipart/related; boundary=…, got ${JSON.stringify(contentType ?? '')}.`);
  }
  return boundary;
}

function parseHeaders(block: string): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const line of block.split(/\r?\n/)) {
    const colon = line.indexOf(':');
    if (colon > 0) headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
  }
  return headers;
}

/**
 * Parts between `--boundary` lines. Line breaks are CRLF (the client library) or LF (gcloud): the
 * first delimiter line says which, and exactly that line break before each later delimiter
 * belongs to the delimiter, so media ending in CR or LF bytes keeps them.
 */
export function parseMultipart(body: Buffer, boundary: string): MultipartPart[] {
  const dashBoundary = `--${boundary}`;
  let at = body.indexOf(dashBoundary);
  if (at < 0) throw invalid('Multipart body is malformed: boundary not found.');
  const firstLineEnd = body.indexOf('\n', at + dashBoundary.length);
  if (firstLineEnd < 0) throw invalid('Multipart body is malformed: truncated part.');
  const eol = body[firstLineEnd - 1] === 0x0d ? '\r\n' : '\n';
  const delimiter = Buffer.from(`${eol}${dashBoundary}`);
  const headerEnd = Buffer.from(eol + eol);
  const parts: MultipartPart[] = [];
  at += dashBoundary.length; // just past the first "--boundary"
  for (;;) {
    if (body.subarray(at, at + 2).toString() === '--') return parts; // close delimiter
    const headerStart = body.indexOf('\n', at);
    if (headerStart < 0) throw invalid('Multipart body is malformed: truncated part.');
    // From the delimiter line's own line break, so a part without headers is found too.
    const end = body.indexOf(headerEnd, headerStart + 1 - eol.length);
    if (end < 0) throw invalid('Multipart body is malformed: part headers not terminated.');
    const bodyStart = end + headerEnd.length;
    const next = body.indexOf(delimiter, bodyStart - eol.length);
    if (next < 0) throw invalid('Multipart body is malformed: missing closing boundary.');
    parts.push({
      headers: parseHeaders(body.subarray(headerStart + 1, Math.max(headerStart + 1, end)).toString('utf8')),
      body: body.subarray(bodyStart, Math.max(bodyStart, next)),
    });
    at = next + delimiter.length;
  }
}
