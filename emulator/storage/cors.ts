// CORS on the public port, behaving like a bucket CORS config of
// `[{origin: corsOrigins, method: [GET, HEAD], responseHeader: [...EXPOSED], maxAgeSeconds: 3600}]`.
// Without the exposed headers a browser's fetch could not read ETag, x-goog-generation, etc.
import type { IncomingMessage, ServerResponse } from 'node:http';

export const CORS_METHODS = ['GET', 'HEAD'];

export const EXPOSED_HEADERS = [
  'Content-Type',
  'Content-Length',
  'Content-Encoding',
  'Content-Range',
  'Content-Disposition',
  'Content-Language',
  'Cache-Control',
  'ETag',
  'Last-Modified',
  'Accept-Ranges',
  'x-goog-generation',
  'x-goog-metageneration',
  'x-goog-hash',
  'x-goog-stored-content-length',
  'x-goog-stored-content-encoding',
  'x-goog-storage-class',
];

const MAX_AGE_SECONDS = '3600';

function allowedOrigin(origin: string | undefined, allowed: readonly string[]): string | undefined {
  if (!origin) return undefined;
  if (allowed.includes(origin)) return origin;
  if (allowed.includes('*')) return '*';
  return undefined;
}

/**
 * Handles a preflight (OPTIONS with Access-Control-Request-Method). Returns true when it
 * answered the request. A preflight for an origin or method outside the policy gets 403
 * without CORS headers, so the browser blocks the real request.
 */
export function handlePreflight(req: IncomingMessage, res: ServerResponse, allowed: readonly string[]): boolean {
  const requestedMethod = req.headers['access-control-request-method'];
  if (req.method !== 'OPTIONS' || typeof requestedMethod !== 'string') return false;
  const origin = allowedOrigin(req.headers.origin, allowed);
  if (!origin || !CORS_METHODS.includes(requestedMethod.toUpperCase())) {
    res.writeHead(403, { 'Content-Length': '0', Vary: 'Origin' });
    res.end();
    return true;
  }
  const headers: Record<string, string> = {
    'Access-Control-Allow-Origin': origin,
    'Access-Control-Allow-Methods': CORS_METHODS.join(', '),
    'Access-Control-Max-Age': MAX_AGE_SECONDS,
    'Content-Length': '0',
    Vary: 'Origin',
  };
  const requestedHeaders = req.headers['access-control-request-headers'];
  if (typeof requestedHeaders === 'string' && requestedHeaders) headers['Access-Control-Allow-Headers'] = requestedHeaders;
  res.writeHead(200, headers);
  res.end();
  return true;
}

/** Adds CORS response headers to a simple (non-preflight) request from an allowed origin. */
export function applyCorsHeaders(req: IncomingMessage, res: ServerResponse, allowed: readonly string[]): void {
  const origin = allowedOrigin(req.headers.origin, allowed);
  res.setHeader('Vary', 'Origin');
  if (!origin) return;
  res.setHeader('Access-Control-Allow-Origin', origin);
  res.setHeader('Access-Control-Expose-Headers', EXPOSED_HEADERS.join(', '));
}

/** Exposes one more response header (x-goog-meta-*) if CORS headers are being sent. */
export function exposeHeader(res: ServerResponse, name: string): void {
  const current = res.getHeader('Access-Control-Expose-Headers');
  if (typeof current === 'string') res.setHeader('Access-Control-Expose-Headers', `${current}, ${name}`);
}
