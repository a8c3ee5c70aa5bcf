import type { TaskKind, TaskStatusObject } from '../protocol/messages';

/**
 * How long an in-flight status is trusted before a new request publishes again. Pub/Sub redelivers a
 * task whose worker died, so this only matters when a message is lost for good (ack deadline and
 * retries exhausted); it is longer than the worker's timeout (540 s) so a slow task is never doubled.
 */
export const IN_FLIGHT_STALE_MS = 10 * 60_000;

/**
 * No error is final (DESIGN.md "Trust"): an errored task is answered with its error for this long, and
 * asked for again after it, it runs again, and the worker has the relay produce its failed chunks again
 * (an error chunk older than this is replaced; dataSource.ts). Short enough that whoever fixed a `.link`
 * or copied a store file in sees the view work on the next try; long enough that a page of 60 views
 * reloading, or a script retrying in a loop, does not make the relay redo a failing read each time.
 * A deployment may set `SORTINGVIEW_ERROR_RETRY_SEC` (functions/shared/config.ts); the tests use 1–2 s.
 */
export const ERROR_RETRY_AFTER_MS = 20_000;

const inFlight = new Set(['queued', 'waiting-for-data', 'running']);

export type RequestDecision =
  | { action: 'answer-cached' }
  | { action: 'answer-in-flight'; status: TaskStatusObject }
  | { action: 'answer-error'; status: TaskStatusObject }
  | { action: 'publish' };

/**
 * What the API does with a task request, given what the bucket holds.
 * - pure + result present → the cached result, nothing published;
 * - already queued/running (and not stale) → that status, nothing published (no duplicate work);
 * - failed less than `errorRetryAfterMs` ago → that error, nothing published;
 * - otherwise publish (queries are answered fresh; an error older than the backoff is retried).
 */
export function decideOnRequest(args: { kind: TaskKind; hasResult: boolean; status: TaskStatusObject | null; now: number; errorRetryAfterMs?: number }): RequestDecision {
  const { kind, hasResult, status, now } = args;
  if (kind === 'pure' && hasResult) return { action: 'answer-cached' };
  if (status && inFlight.has(status.status) && now - status.updated < IN_FLIGHT_STALE_MS) {
    return { action: 'answer-in-flight', status };
  }
  if (status?.status === 'error' && now - status.updated < (args.errorRetryAfterMs ?? ERROR_RETRY_AFTER_MS)) {
    return { action: 'answer-error', status };
  }
  return { action: 'publish' };
}

/** Whether a stored error chunk of this age is asked for again rather than failing the task (same backoff). */
export function isStaleError(ageMs: number, errorRetryAfterMs = ERROR_RETRY_AFTER_MS): boolean {
  return ageMs >= errorRetryAfterMs;
}

/** What a user is told about a failure that may pass: when asking again will try again. */
export function retryHint(errorRetryAfterMs = ERROR_RETRY_AFTER_MS): string {
  return `Asking again after ${Math.ceil(errorRetryAfterMs / 1000)} s tries again.`;
}

/**
 * Cache-Control of a result: pure results never change; the others are answers of the moment. Only
 * finished results are written at all: an error lives in the task's status (`no-store`), never here.
 */
export function resultCacheControl(kind: TaskKind): string {
  return kind === 'pure' ? 'public, max-age=31536000, immutable' : 'no-store';
}

/** Results larger than this are stored gzip-encoded (`Content-Encoding: gzip`); browsers inflate them. */
export const GZIP_RESULT_MIN_BYTES = 16 * 1024;
