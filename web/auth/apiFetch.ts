import { apiErrorSchema } from '../../core/protocol';

/**
 * Signed-in calls to the API (`Authorization: Bearer <Firebase ID token>`), with the refusals handled
 * once here: a 401 saying the token expired is retried once with a fresh token (Firebase refreshes it
 * when asked with `forceRefresh`), a 429 waits for its `Retry-After` (capped) and retries, and every
 * other refusal becomes an `ApiError` carrying the API's `{error, message}`.
 */
export class ApiError extends Error {
  constructor(message: string, readonly status: number, readonly code: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'ApiError';
  }
}

export type GetIdToken = (forceRefresh?: boolean) => Promise<string>;

export interface ApiFetchDeps {
  apiUrl: string;
  getIdToken: GetIdToken;
  fetch: typeof fetch;
  sleep?: (ms: number) => Promise<void>;
}

/** 429s retried before giving up, and the longest wait honoured per retry. */
export const MAX_RATE_LIMIT_RETRIES = 3;
export const MAX_RETRY_AFTER_SEC = 30;

/** Seconds from a Retry-After header (delta-seconds or an HTTP date); 1 when absent or unreadable. */
export function retryAfterSec(header: string | null, nowMs = Date.now()): number {
  if (!header) return 1;
  const n = Number(header);
  if (Number.isFinite(n) && n >= 0) return Math.min(n, MAX_RETRY_AFTER_SEC);
  const at = Date.parse(header);
  return Number.isFinite(at) ? Math.min(Math.max(0, (at - nowMs) / 1000), MAX_RETRY_AFTER_SEC) : 1;
}

export async function apiFetchJson<T>(deps: ApiFetchDeps, path: string, init: { method: 'GET' | 'POST' | 'PUT'; body?: unknown; what: string }): Promise<T> {
  const url = `${deps.apiUrl.replace(/\/+$/, '')}${path}`;
  const sleep = deps.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  let refreshed = false;
  let rateLimited = 0;
  for (;;) {
    const token = await deps.getIdToken(refreshed);
    let res: Response;
    try {
      res = await deps.fetch(url, {
        method: init.method,
        headers: { authorization: `Bearer ${token}`, ...(init.body !== undefined ? { 'content-type': 'application/json' } : {}) },
        ...(init.body !== undefined ? { body: JSON.stringify(init.body) } : {}),
      });
    } catch (err) {
      throw new ApiError(`Could not reach the API at ${deps.apiUrl} to ${init.what} (${(err as Error).message})`, 0, 'network', { cause: err });
    }
    if (res.ok) return (await res.json()) as T;
    const parsed = apiErrorSchema.safeParse(await res.json().catch(() => null));
    const code = parsed.success ? parsed.data.error : 'http_error';
    const message = parsed.success ? parsed.data.message : `The API refused to ${init.what} (${res.status} ${res.statusText})`;
    if (res.status === 401 && !refreshed && /expired/i.test(message)) {
      refreshed = true;
      continue;
    }
    if (res.status === 429 && rateLimited < MAX_RATE_LIMIT_RETRIES) {
      rateLimited += 1;
      await sleep(retryAfterSec(res.headers.get('retry-after')) * 1000);
      continue;
    }
    throw new ApiError(message, res.status, code);
  }
}
