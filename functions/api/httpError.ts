import type { ZodError } from 'zod';

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
