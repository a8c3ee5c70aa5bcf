import type { ZodError } from 'zod';
import { CurationError } from '../../core/curation/errors';
import { FeedError } from '../../core/feeds/errors';

/** A caller's mistake or a refusal: thrown deep, answered once at the edge as `{error, message}`. */
export class HttpError extends Error {
  override name = 'HttpError';
  constructor(readonly status: number, readonly code: string, message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}

/** "kwargs.seconds: Too big: expected number to be <=60; backend: …" — says which field and why. */
export function describeZodError(err: ZodError, prefix = ''): string {
  return err.issues
    .map((i) => {
      const path = [prefix, ...i.path.map(String)].filter(Boolean).join('.');
      return path ? `${path}: ${i.message}` : i.message;
    })
    .join('; ');
}

/**
 * The one place where an error thrown anywhere below the API's edge becomes an HTTP answer: our own
 * HttpErrors as they are, the feed and ACL stores' typed errors by their code, anything else null
 * (the edge logs it and answers 500 `internal`).
 */
export function httpErrorOf(err: unknown): HttpError | null {
  if (err instanceof HttpError) return err;
  const as = (status: number, code: string, message = (err as Error).message) => new HttpError(status, code, message, { cause: err });
  if (err instanceof FeedError) {
    switch (err.code) {
      case 'bad-uri':
      case 'bad-message': return as(400, 'invalid_action');
      case 'unknown-feed': return as(404, 'unknown_workspace');
      case 'ambiguous-write': return as(503, 'unavailable', `${err.message}. Reload the curation, then retry.`);
      default: return as(500, 'corrupt_feed');
    }
  }
  if (err instanceof CurationError) {
    switch (err.code) {
      case 'bad-permission-change': return as(400, 'invalid_request');
      case 'acl-contended': return as(503, 'unavailable');
      default: return as(500, 'corrupt_acl');
    }
  }
  return null;
}
