// multipart/related bodies of `uploadType=multipart`: part 1 is the JSON object resource,
// part 2 the media with its own Content-Type. Parsed on Buffers (media is binary).
import { invalid } from './errors';

export interface MultipartPart {
  headers: Record<string, string>;
  body: Buffer;
}

export function boundaryOf(contentType: string | undefined): string {
  const m = /^\s*multipart\/related\s*;(?:.*;)?\s*boundary=(?:"([^"]+)"|([^;\s]+))/i.exec(contentType ?? '');
  const boundary = m?.[1] ?? m?.[2];
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

export function parseMultipart(body: Buffer, boundary: string): MultipartPart[] {
  const delimiter = Buffer.from(`--${boundary}`);
  const parts: MultipartPart[] = [];
  let at = body.indexOf(delimiter);
  if (at < 0) throw invalid('Multipart body is malformed: boundary not found.');
  for (;;) {
    const afterDelimiter = at + delimiter.length;
    if (body.subarray(afterDelimiter, afterDelimiter + 2).toString() === '--') return parts; // close delimiter
    const headerStart = body.indexOf('\n', afterDelimiter);
    if (headerStart < 0) throw invalid('Multipart body is malformed: truncated part.');
    const crlfEnd = body.indexOf('\r\n\r\n', headerStart - 1);
    const lfEnd = body.indexOf('\n\n', headerStart - 1);
    const useCrlf = crlfEnd >= 0 && (lfEnd < 0 || crlfEnd <= lfEnd);
    const headerEnd = useCrlf ? crlfEnd : lfEnd;
    if (headerEnd < 0) throw invalid('Multipart body is malformed: part headers not terminated.');
    const bodyStart = headerEnd + (useCrlf ? 4 : 2);
    const next = body.indexOf(delimiter, bodyStart);
    if (next < 0) throw invalid('Multipart body is malformed: missing closing boundary.');
    // The line break before a delimiter belongs to the delimiter, not to the part body.
    let bodyEnd = next;
    if (body[bodyEnd - 1] === 0x0a) bodyEnd--;
    if (body[bodyEnd - 1] === 0x0d) bodyEnd--;
    parts.push({
      headers: parseHeaders(body.subarray(headerStart + 1, headerEnd).toString('utf8')),
      body: body.subarray(bodyStart, Math.max(bodyStart, bodyEnd)),
    });
    at = next;
  }
}
