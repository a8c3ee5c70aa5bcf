import { curationSubfeedHash } from '../../core/feeds';
import type { CurationAction } from '../../core/reducers/curationActions';
import { apiFetchJson, type ApiFetchDeps } from '../auth/apiFetch';

/**
 * How the page appends curation actions: through the API's
 * `POST /v1/feeds/<feedId>/<curation subfeed hash>/messages {messages}` with the signed-in user's
 * Firebase ID token (DESIGN.md "Workspaces, curation, permissions"); the API checks the token and the
 * workspace ACL and writes each message at the next free position, which it returns: the page keeps
 * the action shown as pending until the log it polls reaches that position.
 *
 * Refusals arrive as `ApiError` (auth/apiFetch.ts) with the API's message: 403 means the user may not
 * edit (the page turns read-only), 400 an invalid action, 404 an unknown workspace or sorting. An
 * expired token is refreshed and a 429 waited out before that.
 */
export interface CurationWriter {
  append(feedId: string, sortingId: string, actions: CurationAction[]): Promise<{ positions: number[] }>;
}

/** `o.onWait` hears of a busy API (the page shows "server busy, retrying in N s"). */
export function apiCurationWriter(o: ApiFetchDeps): CurationWriter {
  return {
    async append(feedId, sortingId, actions) {
      const res = await apiFetchJson<{ positions?: unknown }>(o, `/v1/feeds/${feedId}/${curationSubfeedHash(sortingId)}/messages`,
        { method: 'POST', body: { messages: actions }, what: 'save the curation' });
      const positions = Array.isArray(res.positions) ? res.positions.filter((p): p is number => typeof p === 'number') : [];
      return { positions };
    },
  };
}
