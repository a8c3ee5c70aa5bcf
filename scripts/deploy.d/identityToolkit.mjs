// The Identity Toolkit REST API (Firebase Authentication / Identity Platform's configuration), which
// neither gcloud nor firebase-tools can set: the Google provider and the authorized domains. Calls
// are traced like gcloud's, `+ PATCH https://… {body}`, with secrets replaced by "<redacted>"; with
// --dry-run they are only printed. The access token is gcloud's (`gcloud auth print-access-token`),
// and `x-goog-user-project` bills the calls to the project itself, which user credentials need.
//
// The endpoint follows gcloud's own override (CLOUDSDK_API_ENDPOINT_OVERRIDES_IDENTITYTOOLKIT), so a
// test or a private endpoint can stand in for Google.

export const IDENTITY_TOOLKIT_URL = 'https://identitytoolkit.googleapis.com/';

export class IdentityToolkitError extends Error {
  name = 'IdentityToolkitError';
}

/** Body fields never printed. */
const SECRET_FIELDS = new Set(['clientSecret']);
const redact = (body) => JSON.stringify(body, (k, v) => (SECRET_FIELDS.has(k) ? '<redacted>' : v));

/** What to do about a refusal, in the deployer's terms. */
function hintFor(status, message) {
  if (/billing/i.test(message)) {
    return 'Identity Platform needs a billing account on the project: link one (console → Billing), then run scripts/deploy again';
  }
  if (status === 401) return 'gcloud\'s login has expired: run `gcloud auth login`, then scripts/deploy again';
  if (status === 403) {
    return 'Your account may not change the project\'s sign-in settings: it needs roles/firebaseauth.admin (or Owner) on the project';
  }
  return undefined;
}

/**
 * @param {{dryRun: boolean, out: (line: string) => void, env?: NodeJS.ProcessEnv, fetch?: typeof fetch}} opts
 * @param {{project: string, accessToken: () => Promise<string>}} who
 */
export function createIdentityToolkit(opts, { project, accessToken }) {
  const env = opts.env ?? process.env;
  const base = (env.CLOUDSDK_API_ENDPOINT_OVERRIDES_IDENTITYTOOLKIT || IDENTITY_TOOLKIT_URL).replace(/\/*$/, '/');
  const doFetch = opts.fetch ?? fetch;
  let token;

  async function call(method, path, body) {
    const url = `${base}${path}`;
    opts.out(`+ ${method} ${url}${body === undefined ? '' : ` ${redact(body)}`}`);
    if (opts.dryRun) return { status: 0, json: null };
    token ??= await accessToken();
    let res;
    try {
      res = await doFetch(url, {
        method,
        headers: {
          authorization: `Bearer ${token}`,
          'x-goog-user-project': project,
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
        signal: AbortSignal.timeout(60_000),
      });
    } catch (err) {
      throw new IdentityToolkitError(`${method} ${url} failed: ${err.message}. Check the network, then run scripts/deploy again.`);
    }
    const text = await res.text();
    let json = null;
    try { json = text ? JSON.parse(text) : {}; } catch { /* not JSON: reported with the status below */ }
    return { status: res.status, json, text };
  }

  function refused(method, path, r) {
    const message = r.json?.error?.message ?? r.text?.slice(0, 500) ?? '';
    const hint = hintFor(r.status, message);
    return new IdentityToolkitError(`${method} ${base}${path}\nfailed (HTTP ${r.status}): ${message}${hint ? `\n${hint}` : ''}`);
  }

  return {
    dryRun: opts.dryRun,

    /** The resource, or null when it does not exist (and in a dry run, as in a new project). */
    async get(path) {
      const r = await call('GET', path);
      if (opts.dryRun) return null;
      if (r.status === 200) return r.json;
      if (r.status === 404 || /CONFIGURATION_NOT_FOUND|NOT_FOUND/.test(r.json?.error?.message ?? '')) return null;
      throw refused('GET', path, r);
    },

    /** A change (POST / PATCH); returns the answer, or null in a dry run. */
    async send(method, path, body) {
      const r = await call(method, path, body);
      if (opts.dryRun) return null;
      if (r.status >= 200 && r.status < 300) return r.json;
      throw refused(method, path, r);
    },
  };
}
