// Small HTTP helpers: bounded streaming body reads and JSON/empty responses.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { parseError, payloadTooLarge } from './errors';

/** Reads the request body chunk by chunk, refusing (413) as soon as it passes `limitBytes`. */
export async function readBody(req: IncomingMessage, limitBytes: number): Promise<Buffer> {
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > limitBytes) {
    req.resume(); // discard, so the connection can still carry our error response
    throw payloadTooLarge(limitBytes);
  }
  // Listeners rather than for-await: leaving a for-await early destroys the request, and with it
  // the socket our 413 must travel on.
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let total = 0;
    const onData = (chunk: Buffer): void => {
      total += chunk.length;
      if (total > limitBytes) {
        cleanup();
        req.resume(); // keep draining (and discarding) the rest
        reject(payloadTooLarge(limitBytes));
        return;
      }
      chunks.push(chunk);
    };
    const onEnd = (): void => {
      cleanup();
      resolve(chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, total));
    };
    const onError = (err: Error): void => {
      cleanup();
      reject(err);
    };
    const onAborted = (): void => onError(Object.assign(new Error('aborted'), { code: 'ECONNRESET' }));
    const cleanup = (): void => {
      req.off('data', onData);
      req.off('end', onEnd);
      req.off('error', onError);
      req.off('close', onClose);
    };
    // A client that disconnects mid-body ends the request with 'close' but no 'end'.
    const onClose = (): void => {
      if (!req.complete) onAborted();
    };
    req.on('data', onData);
    req.on('end', onEnd);
    req.on('error', onError);
    req.on('close', onClose);
  });
}

/** Parses a JSON body; an empty body is `undefined`, malformed JSON is a 400 parseError. */
export function parseJson(body: Buffer): unknown {
  const text = body.toString('utf8').trim();
  if (text === '') return undefined;
  try {
    return JSON.parse(text);
  } catch (err) {
    throw parseError(`Parse Error: the request body is not valid JSON (${(err as Error).message}).`);
  }
}

export async function readJson(req: IncomingMessage, limitBytes: number): Promise<unknown> {
  return parseJson(await readBody(req, limitBytes));
}

// teeny-request (used by the client) parses a body as JSON only when Content-Type is exactly
// `application/json` or `application/json; charset=utf-8` (lower case), so use the latter.
export const JSON_TYPE = 'application/json; charset=utf-8';

export function sendJson(res: ServerResponse, status: number, value: unknown, headers: Record<string, string> = {}): void {
  const body = Buffer.from(JSON.stringify(value));
  res.writeHead(status, { ...headers, 'Content-Type': JSON_TYPE, 'Content-Length': String(body.length) });
  res.end(body);
}

export function sendEmpty(res: ServerResponse, status: number, headers: Record<string, string> = {}): void {
  res.writeHead(status, { ...headers, 'Content-Length': '0' });
  res.end();
}
