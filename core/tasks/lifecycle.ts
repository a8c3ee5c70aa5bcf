import type { TaskKind, TaskStatusObject } from '../protocol/messages';

/**
 * How long an in-flight status is trusted before a new request publishes again. Pub/Sub redelivers a
 * task whose worker died, so this only matters when a message is lost for good (ack deadline and
 * retries exhausted); it is longer than the worker's timeout (540 s) so a slow task is never doubled.
 */
export const IN_FLIGHT_STALE_MS = 10 * 60_000;

const inFlight = new Set(['queued', 'waiting-for-data', 'running']);

export type RequestDecision =
  | { action: 'answer-cached' }
  | { action: 'answer-in-flight'; status: TaskStatusObject }
  | { action: 'publish' };

/**
 * What the API does with a task request, given what the bucket holds.
 * - pure + result present → the cached result, nothing published;
 * - already queued/running (and not stale) → that status, nothing published (no duplicate work);
 * - otherwise publish (queries are answered fresh; an errored task may be retried).
 */
export function decideOnRequest(args: { kind: TaskKind; hasResult: boolean; status: TaskStatusObject | null; now: number }): RequestDecision {
  const { kind, hasResult, status, now } = args;
  if (kind === 'pure' && hasResult) return { action: 'answer-cached' };
  if (status && inFlight.has(status.status) && now - status.updated < IN_FLIGHT_STALE_MS) {
    return { action: 'answer-in-flight', status };
  }
  return { action: 'publish' };
}

/** Cache-Control of a result: pure results never change; the others are answers of the moment. */
export function resultCacheControl(kind: TaskKind): string {
  return kind === 'pure' ? 'public, max-age=31536000, immutable' : 'no-store';
}

/** Results larger than this are stored gzip-encoded (`Content-Encoding: gzip`); browsers inflate them. */
export const GZIP_RESULT_MIN_BYTES = 16 * 1024;
