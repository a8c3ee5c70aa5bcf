/**
 * One retry policy for every request the browser and the CLI send to a deployment (the API, and the
 * task status and result objects). Pure apart from the injected fetch, sleep and randomness.
 *
 * - 429 and 503 are "busy": wait the server's Retry-After (capped) or, without one, an exponential
 *   backoff with full jitter (so a crowd of clients does not come back in step), then retry, within a
 *   bounded number of retries and total wait. The last answer is returned when giving up, so the
 *   caller reports the server's own message.
 * - A rejected fetch is a network failure. In a browser it is ambiguous: Cloud Run refuses with 429
 *   *without CORS headers* when all its instances are busy, and the browser hides that answer behind
 *   the same TypeError as an unreachable host. A caller in a browser passes `probe` (a `no-cors`
 *   request to the same URL): if it resolves, the server did answer, so it is busy and we back off as
 *   for a 429; if it rejects too, the server is unreachable. In Node there is no CORS, a 429 is seen as
 *   one, and a network failure is unreachable at once.
 */

/** The longest Retry-After honoured. */
export const MAX_RETRY_AFTER_SEC = 30;

export interface RetryLimits {
  /** Retries after the first attempt. */
  maxRetries: number;
  /** Total waiting before giving up. */
  maxWaitMs: number;
  /** Backoff ceiling of the first retry; it doubles on each retry up to `capMs`. */
  baseMs: number;
  capMs: number;
}

/** About a minute of expected waiting (full jitter halves the ceilings 1+2+4+8+16+30 s) before giving up. */
export const DEFAULT_RETRY_LIMITS: RetryLimits = { maxRetries: 6, maxWaitMs: 90_000, baseMs: 1000, capMs: 30_000 };

/** Statuses that mean "try again later". */
const BUSY_STATUSES = new Set([429, 503]);

export interface BusyWait {
  reason: 'busy';
  retryInSec: number;
  /** 1 for the first retry. */
  attempt: number;
  /** The status seen, or null when the browser saw an answer without CORS headers (Cloud Run's own 429). */
  status: number | null;
}

/** What the GUI's task status and the CLI's progress line say during a busy wait. */
export function busyText(retryInSec: number): string {
  return `server busy, retrying in ${Math.max(1, Math.ceil(retryInSec))} s`;
}

/** Resolves when the server at `url` answers at all (even without CORS headers); rejects when it cannot be reached. */
export type Probe = (url: string) => Promise<unknown>;

/** The browser's probe: an opaque `no-cors` request resolves whenever the server answered. */
export function noCorsProbe(f: typeof fetch): Probe {
  return (url) => f(url, { mode: 'no-cors', cache: 'no-store' });
}

export interface HttpPolicyDeps {
  fetch: typeof fetch;
  sleep(ms: number): Promise<void>;
  /** Uniform in [0, 1), for the jitter. */
  random(): number;
  /** Browser callers only (see above). */
  probe?: Probe;
  onWait?: (wait: BusyWait) => void;
  limits?: RetryLimits;
  /** Wall clock, for a Retry-After given as an HTTP date. */
  nowMs?: () => number;
}

export class ApiUnreachableError extends Error {
  override name = 'ApiUnreachableError';
  constructor(message: string, readonly url: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}

/** Gave up on a server that kept answering without CORS headers (busy, or CORS not allowing this origin). */
export class ApiBusyError extends Error {
  override name = 'ApiBusyError';
  constructor(message: string, readonly url: string) {
    super(message);
  }
}

/** Seconds from a Retry-After header (delta-seconds or an HTTP date), capped; null when absent or unreadable. */
export function retryAfterSec(header: string | null, nowMs = Date.now()): number | null {
  if (!header) return null;
  const n = Number(header);
  if (header.trim() !== '' && Number.isFinite(n) && n >= 0) return Math.min(n, MAX_RETRY_AFTER_SEC);
  const at = Date.parse(header);
  return Number.isFinite(at) ? Math.min(Math.max(0, (at - nowMs) / 1000), MAX_RETRY_AFTER_SEC) : null;
}

/** Full jitter: uniform in [0, min(cap, base·2^retry)). `retry` counts from 0. */
export function backoffMs(retry: number, random: () => number, limits: RetryLimits = DEFAULT_RETRY_LIMITS): number {
  return Math.floor(random() * Math.min(limits.capMs, limits.baseMs * 2 ** retry));
}

const capitalized = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

/** "fetch failed (ECONNREFUSED)": Node hides the reason in `cause`. */
function networkDetail(err: unknown): string {
  const message = err instanceof Error ? err.message : String(err);
  const code = (err as { cause?: { code?: unknown } })?.cause?.code;
  return typeof code === 'string' ? `${message}: ${code}` : message;
}

/**
 * `fetch(url, init)` under the policy. `where` names the server in messages, e.g. "the API at
 * https://…". Throws ApiUnreachableError, ApiBusyError, or the fetch's own error when `init.signal`
 * aborted it.
 */
export async function fetchWithPolicy(url: string, init: RequestInit, deps: HttpPolicyDeps, where: string = url): Promise<Response> {
  const limits = deps.limits ?? DEFAULT_RETRY_LIMITS;
  let waitedMs = 0;
  for (let retry = 0; ; retry++) {
    let res: Response | null = null;
    try {
      res = await deps.fetch(url, init);
    } catch (err) {
      if (init.signal?.aborted) throw err;
      const answered = deps.probe ? await deps.probe(url).then(() => true, () => false) : false;
      if (!answered) {
        throw new ApiUnreachableError(`${capitalized(where)} cannot be reached (${networkDetail(err)}): check the network connection and that the deployment is up.`, url, { cause: err });
      }
    }
    if (res && !BUSY_STATUSES.has(res.status)) return res;
    const after = res ? retryAfterSec(res.headers.get('retry-after'), deps.nowMs?.()) : null;
    const waitMs = after !== null ? after * 1000 : backoffMs(retry, deps.random, limits);
    if (retry >= limits.maxRetries || waitedMs + waitMs > limits.maxWaitMs) {
      if (res) return res;
      throw new ApiBusyError(
        `${capitalized(where)} answered without CORS headers ${retry + 1} times over ${Math.round(waitedMs / 1000)} s. ` +
        'That is how Cloud Run refuses requests while all its instances are busy: try again in a minute. ' +
        'If it persists, check that the API\'s CORS settings allow this web app\'s origin.', url);
    }
    // Free the connection of the answer we will not read.
    await res?.body?.cancel().catch(() => undefined);
    deps.onWait?.({ reason: 'busy', retryInSec: waitMs / 1000, attempt: retry + 1, status: res?.status ?? null });
    await deps.sleep(waitMs);
    waitedMs += waitMs;
  }
}
