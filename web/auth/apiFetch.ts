import { ApiBusyError, ApiUnreachableError, fetchWithPolicy, noCorsProbe, type BusyWait } from '../../core/client/httpPolicy';
import { apiErrorSchema } from '../../core/protocol';

/**
 * Signed-in calls to the API (`Authorization: Bearer <Firebase ID token>`), with the refusals handled
 * once here: a 401 saying the token expired is retried once with a fresh token (Firebase refreshes it
 * when asked with `forceRefresh`), a busy API (429/503, or no CORS headers at all) is waited out by
 * the shared policy (core/client/httpPolicy.ts), and every other refusal becomes an `ApiError`
 * carrying the API's `{error, message}`.
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
  random?: () => number;
  /** The API is busy and the call will be retried in `retryInSec` (for "Server busy, retrying in N s"). */
  onWait?: (wait: BusyWait) => void;
}

export async function apiFetchJson<T>(deps: ApiFetchDeps, path: string, init: { method: 'GET' | 'POST' | 'PUT'; body?: unknown; what: string }): Promise<T> {
  const url = `${deps.apiUrl.replace(/\/+$/, '')}${path}`;
  const policy = {
    fetch: deps.fetch,
    sleep: deps.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms))),
    random: deps.random ?? Math.random,
    // This module runs in the browser, where only a no-cors probe tells a busy Cloud Run from a dead API.
    probe: noCorsProbe(deps.fetch),
    onWait: deps.onWait,
  };
  let refreshed = false;
  for (;;) {
    const token = await deps.getIdToken(refreshed);
    let res: Response;
    try {
      res = await fetchWithPolicy(url, {
        method: init.method,
        headers: { authorization: `Bearer ${token}`, ...(init.body !== undefined ? { 'content-type': 'application/json' } : {}) },
        ...(init.body !== undefined ? { body: JSON.stringify(init.body) } : {}),
      }, policy, `the API at ${deps.apiUrl}`);
    } catch (err) {
      if (err instanceof ApiUnreachableError) throw new ApiError(`Could not ${init.what}: ${err.message}`, 0, 'network', { cause: err });
      if (err instanceof ApiBusyError) throw new ApiError(`Could not ${init.what}: ${err.message}`, 0, 'busy', { cause: err });
      throw err;
    }
    if (res.ok) return (await res.json()) as T;
    const parsed = apiErrorSchema.safeParse(await res.json().catch(() => null));
    const code = parsed.success ? parsed.data.error : 'http_error';
    const message = parsed.success ? parsed.data.message : `The API refused to ${init.what} (${res.status} ${res.statusText})`;
    if (res.status === 401 && !refreshed && /expired/i.test(message)) {
      refreshed = true;
      continue;
    }
    throw new ApiError(message, res.status, code);
  }
}
