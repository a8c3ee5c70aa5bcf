// A stand-in for the Identity Toolkit admin API (identitytoolkit.googleapis.com) that scripts/deploy
// reaches through gcloud's endpoint override, beside the stand-in gcloud and firebase. Strict where
// Google is: the bearer token and the quota project are required, a config must be initialised
// before it is read, a PATCH changes only the fields of its updateMask, a provider is created once.
// Errors have Google's JSON shape ({error: {code, message, status}}).
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export const FAKE_ACCESS_TOKEN = 'ya29.fake-access-token';

export interface IdpConfig { name: string; enabled: boolean; clientId: string; clientSecret: string }
export interface IdentityState {
  /** Absent until initializeAuth. */
  config?: { name: string; authorizedDomains: string[] };
  google?: IdpConfig;
  /** Every request, in order (bodies as sent). */
  requests: { method: string; path: string; body: unknown }[];
}

export interface FakeIdentityToolkit { url: string; state: IdentityState; close(): Promise<void> }

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve) => {
    let text = '';
    req.setEncoding('utf8').on('data', (d: string) => { text += d; }).on('end', () => resolve(text));
  });
}

export async function startFakeIdentityToolkit(project: string, initial: Partial<IdentityState> = {}): Promise<FakeIdentityToolkit> {
  const state: IdentityState = { requests: [], ...initial };
  const base = `projects/${project}`;
  const server: Server = createServer(async (req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    const text = await readBody(req);
    const send = (code: number, body: unknown) => {
      res.writeHead(code, { 'content-type': 'application/json' }).end(JSON.stringify(body));
    };
    const error = (code: number, status: string, message: string) => send(code, { error: { code, message, status } });
    let body: Record<string, unknown> | undefined;
    if (text) {
      if (req.headers['content-type'] !== 'application/json') return error(400, 'INVALID_ARGUMENT', 'a body needs content-type: application/json');
      try { body = JSON.parse(text); } catch { return error(400, 'INVALID_ARGUMENT', 'Invalid JSON payload received.'); }
    }
    state.requests.push({ method: req.method ?? '', path: `${url.pathname}${url.search}`, body });
    if (req.headers.authorization !== `Bearer ${FAKE_ACCESS_TOKEN}`) return error(401, 'UNAUTHENTICATED', 'Request had invalid authentication credentials.');
    if (req.headers['x-goog-user-project'] !== project) {
      return error(403, 'PERMISSION_DENIED', 'Your application is authenticating by using local Application Default Credentials. The identitytoolkit.googleapis.com API requires a quota project, which is not set by default.');
    }
    const mask = (url.searchParams.get('updateMask') ?? '').split(',').filter(Boolean);
    const onlyMasked = (allowed: string[]) => mask.length > 0 && mask.every((f) => allowed.includes(f)) && Object.keys(body ?? {}).every((k) => mask.includes(k));
    const route = `${req.method} ${url.pathname}`;

    if (route === `POST /v2/${base}/identityPlatform:initializeAuth`) {
      if (state.config) return error(400, 'INVALID_ARGUMENT', 'INVALID_PROJECT_ID: Identity Platform has already been enabled for this project.');
      state.config = { name: `${base}/config`, authorizedDomains: ['localhost', `${project}.firebaseapp.com`, `${project}.web.app`] };
      return send(200, {});
    }
    if (url.pathname === `/admin/v2/${base}/config`) {
      if (!state.config) return error(404, 'NOT_FOUND', 'CONFIGURATION_NOT_FOUND');
      if (req.method === 'GET') return send(200, state.config);
      if (req.method === 'PATCH') {
        if (!onlyMasked(['authorizedDomains']) || !Array.isArray(body?.authorizedDomains)) return error(400, 'INVALID_ARGUMENT', 'updateMask and body disagree');
        state.config.authorizedDomains = body.authorizedDomains as string[];
        return send(200, state.config);
      }
    }
    const idpName = `${base}/defaultSupportedIdpConfigs/google.com`;
    if (route === `POST /admin/v2/${base}/defaultSupportedIdpConfigs`) {
      if (url.searchParams.get('idpId') !== 'google.com') return error(400, 'INVALID_ARGUMENT', 'INVALID_PROVIDER_ID');
      if (!state.config) return error(404, 'NOT_FOUND', 'CONFIGURATION_NOT_FOUND');
      if (state.google) return error(409, 'ALREADY_EXISTS', 'DUPLICATE_DEFAULT_IDP_CONFIG');
      const { enabled, clientId, clientSecret } = body as Partial<IdpConfig>;
      if (typeof clientId !== 'string' || typeof clientSecret !== 'string') return error(400, 'INVALID_ARGUMENT', 'INVALID_CONFIG: clientId and clientSecret');
      state.google = { name: idpName, enabled: enabled === true, clientId, clientSecret };
      return send(200, state.google);
    }
    if (url.pathname === `/admin/v2/${idpName}`) {
      if (!state.google) return error(404, 'NOT_FOUND', 'CONFIGURATION_NOT_FOUND');
      if (req.method === 'GET') return send(200, state.google);
      if (req.method === 'PATCH') {
        if (!onlyMasked(['enabled', 'clientId', 'clientSecret'])) return error(400, 'INVALID_ARGUMENT', 'updateMask and body disagree');
        Object.assign(state.google, body);
        return send(200, state.google);
      }
    }
    return error(404, 'NOT_FOUND', `fake Identity Toolkit does not know ${route}`);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  server.unref();
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/`,
    state,
    close: () => new Promise((r) => server.close(() => r())),
  };
}
