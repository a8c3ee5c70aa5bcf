import type { GetIdToken } from './apiFetch';

/**
 * Where the signed-in user's ID token may go: only to this web app's own deployment API, the
 * `apiUrl` of its `config.json` (served from the app's own origin), never to the `apiUrl` a backend
 * config names. A Backend URI can point at a config in any bucket, and anyone holding a relay key can
 * write one: if tokens followed it, a link would hand the user's token to whoever wrote the config, and
 * replayed against the real API it would grant that user's edit rights (issue 14, item 1).
 *
 * A backend whose API is another deployment's stays viewable (task requests carry no token) but
 * read-only here, and the page says why.
 */
export interface OwnApi {
  /** The deployment's API, when signed-in calls may go to it for this backend; else null. */
  apiUrl: string | null;
  /** Why signed-in calls are off for this backend (null: they are on, or there is no backend yet). */
  reason: string | null;
}

/** `https://host/path/` and `https://host/path` are one API; anything else (scheme, host, port, path) is another. */
export function normalizeApiUrl(url: string): string | null {
  try {
    const u = new URL(url);
    if (u.protocol !== 'https:' && u.protocol !== 'http:') return null;
    return `${u.protocol}//${u.host}${u.pathname.replace(/\/+$/, '')}`;
  } catch {
    return null;
  }
}

export function ownApiFor(deploymentApiUrl: string | undefined, backend: { apiUrl: string } | null): OwnApi {
  const own = deploymentApiUrl ? normalizeApiUrl(deploymentApiUrl) : null;
  if (!own) return { apiUrl: null, reason: "Curation is read-only: this web app's config.json names no API of its own (apiUrl), so it sends sign-in tokens nowhere." };
  if (!backend) return { apiUrl: own, reason: null };
  if (normalizeApiUrl(backend.apiUrl) !== own) {
    return {
      apiUrl: null,
      reason: `Curation is read-only here: this backend belongs to another deployment (its API is ${backend.apiUrl}), and this app sends your sign-in only to its own API (${own}). Open the workspace in that deployment's web app to edit.`,
    };
  }
  return { apiUrl: own, reason: null };
}

/** The signed-in API calls of this page: the deployment's API with the user's token, or null. */
export function signedInApiDeps(own: OwnApi, getIdToken: GetIdToken | null): { apiUrl: string; getIdToken: GetIdToken; fetch: typeof fetch } | null {
  return own.apiUrl && getIdToken ? { apiUrl: own.apiUrl, getIdToken, fetch: (...a) => fetch(...a) } : null;
}
