import { curationSubfeedHash } from '../../core/feeds';
import { apiErrorSchema } from '../../core/protocol';
import type { CurationAction } from '../../core/reducers/curationActions';

/**
 * How the page appends curation actions: through the API's
 * `POST /v1/feeds/<feedId>/<curation subfeed hash>/messages {messages}` with the signed-in user's
 * Firebase ID token (DESIGN.md "Workspaces, curation, permissions"); the API checks the token and the
 * workspace ACL and writes each message at the next free position.
 *
 * Sign-in in the web app is another issue. Until it supplies an ID token, `curationWriterFor` returns
 * no writer, the curation controls are disabled and the page says why; the labels and merges in the
 * log are shown read-only. With a token, every control (labels, merges, close/reopen, undo/redo)
 * works unchanged through `apiCurationWriter`.
 */
export interface CurationWriter {
  append(feedId: string, sortingId: string, actions: CurationAction[]): Promise<void>;
}

export const READ_ONLY_REASON = 'Curation is read-only here: editing needs sign-in, which this deployment does not offer yet. ' +
  'Labels and merges are shown from the curation log; the controls will work once sign-in and edit permissions are available.';

export function apiCurationWriter(o: { apiUrl: string; getIdToken: () => Promise<string>; fetch: typeof fetch }): CurationWriter {
  return {
    async append(feedId, sortingId, actions) {
      const url = `${o.apiUrl.replace(/\/+$/, '')}/v1/feeds/${feedId}/${curationSubfeedHash(sortingId)}/messages`;
      let res: Response;
      try {
        res = await o.fetch(url, {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: `Bearer ${await o.getIdToken()}` },
          body: JSON.stringify({ messages: actions }),
        });
      } catch (err) {
        throw new Error(`Could not reach the API at ${o.apiUrl} to save the curation (${(err as Error).message})`, { cause: err });
      }
      if (res.ok) return;
      const body = apiErrorSchema.safeParse(await res.json().catch(() => null));
      throw new Error(body.success ? body.data.message : `The API refused the curation change (${res.status} ${res.statusText})`);
    },
  };
}

/** The writer for this page, or why there is none. `getIdToken` comes from sign-in (null: not signed in). */
export function curationWriterFor(backend: { apiUrl: string } | null, getIdToken: (() => Promise<string>) | null = null): { writer: CurationWriter | null; reason: string | null } {
  if (!backend) return { writer: null, reason: 'Curation cannot be saved without a backend (its API appends to the log).' };
  if (!getIdToken) return { writer: null, reason: READ_ONLY_REASON };
  return { writer: apiCurationWriter({ apiUrl: backend.apiUrl, getIdToken, fetch: (...a) => fetch(...a) }), reason: null };
}
