import type { IncomingHttpHeaders } from 'node:http';
import { jsonTooDeep } from '../../core/protocol/jsonBounds';
import { SORTINGVIEW_VERSION } from '../../core/version';
import { taskFunctionIds } from '../../core/tasks/catalog';
import type { RateLimiter } from '../../core/rateLimit';
import { listPermissions, myPermissions, setPermission } from './acl';
import { clientAddress } from './clientAddress';
import { appendToFeed, FEED_ID, SUBFEED_HASH, type FeedsDeps } from './feeds';
import { HttpError, httpErrorOf } from './httpError';
import { requestTask, type TaskRequestDeps } from './tasks';

/** Request bodies larger than this are refused (413) before they are parsed. */
export const MAX_BODY_BYTES = 1024 * 1024;

/** The part of an HTTP request the API reads, as functions-framework (Express) hands it over. */
export interface ApiRequest {
  method: string;
  path: string;
  /** The connection's peer (Google's front end in production; see clientAddress.ts for the caller). */
  socket?: { remoteAddress?: string };
  headers: IncomingHttpHeaders;
  body?: unknown;
  rawBody?: Buffer;
  /** Set by `acceptUnparsableJson` when the framework could not parse a JSON body. */
  bodyParseError?: Error;
  /** Set by `acceptUnparsableJson` when the body was over the limit and was not read. */
  bodyTooLarge?: { length?: number; limit?: number };
}
export interface ApiResponse {
  status(code: number): ApiResponse;
  set(name: string, value: string): ApiResponse;
  json(body: unknown): void;
  end(): void;
}

export interface ApiDeps extends TaskRequestDeps {
  appOrigins: string[];
  /** Per-caller limit on task requests; undefined = none. */
  rateLimiter?: RateLimiter;
  /** Proxies of ours in front that append to X-Forwarded-For (clientAddress.ts): 1 on Cloud Functions. */
  trustedProxyHops: number;
  /** Feeds and permissions (sign-in, ACL, appends); absent = those routes answer 503. */
  feeds?: FeedsDeps;
  log(entry: Record<string, unknown>): void;
}

/** The `api` function: routes, CORS, body checks, and one place where every error becomes `{error, message}`. */
export function createApiHandler(deps: ApiDeps) {
  return async (req: ApiRequest, res: ApiResponse): Promise<void> => {
    setCors(req.headers.origin, deps.appOrigins, res);
    try {
      if (req.method === 'OPTIONS') {
        res.status(204).end();
        return;
      }
      const route = `${req.method} ${req.path.replace(/\/+$/, '')}`;
      if (route === 'GET /v1/health') {
        res.status(200).json({ ok: true, version: SORTINGVIEW_VERSION, taskFunctionIds: taskFunctionIds({ diagnosticTasks: deps.diagnosticTasks }) });
        return;
      }
      if (route === 'POST /v1/tasks') {
        const caller = `addr:${clientAddress(req, deps.trustedProxyHops)}`;
        limit(deps, res, caller, 'Too many task requests from your address');
        res.status(200).json(await requestTask(readJsonBody(req), deps, caller));
        return;
      }
      if (await handleFeedRoutes(req, res, deps)) return;
      if (['/v1/health', '/v1/tasks'].includes(req.path.replace(/\/+$/, ''))) {
        throw new HttpError(405, 'method_not_allowed', `${req.method} is not allowed on ${req.path}`);
      }
      throw new HttpError(404, 'not_found', `No such endpoint: ${req.method} ${req.path}. Endpoints: POST /v1/tasks, GET /v1/health, POST /v1/feeds/<feedId>/<subfeedHash>/messages, GET|PUT /v1/workspaces/<feedId>/permissions, GET /v1/workspaces/<feedId>/permissions/me`);
    } catch (err) {
      const answer = httpErrorOf(err);
      if (answer) {
        res.status(answer.status).json({ error: answer.code, message: answer.message });
        return;
      }
      deps.log({ severity: 'ERROR', message: 'api: unexpected error', error: String((err as Error)?.stack ?? err) });
      res.status(500).json({ error: 'internal', message: `Internal error: ${(err as Error)?.message ?? String(err)}` });
    }
  };
}

/**
 * Feeds and permissions (functions/api/feeds.ts, acl.ts): the caller is verified here, at the edge,
 * then rate-limited per user. Returns false when the path is none of these routes.
 */
async function handleFeedRoutes(req: ApiRequest, res: ApiResponse, deps: ApiDeps): Promise<boolean> {
  const path = req.path.replace(/\/+$/, '');
  const feed = /^\/v1\/feeds\/([^/]+)\/([^/]+)\/messages$/.exec(path);
  const perms = /^\/v1\/workspaces\/([^/]+)\/permissions(\/me)?$/.exec(path);
  if (!feed && !perms) return false;
  const allowed = feed ? ['POST'] : perms![2] ? ['GET'] : ['GET', 'PUT'];
  if (!allowed.includes(req.method)) throw new HttpError(405, 'method_not_allowed', `${req.method} is not allowed on ${req.path}; use ${allowed.join(' or ')}`);
  const feedId = (feed ?? perms)![1].toLowerCase();
  if (!FEED_ID.test(feedId)) throw new HttpError(400, 'bad_feed_id', `Not a feed id: ${JSON.stringify((feed ?? perms)![1])} (64 hex digits, the part after workspace://)`);
  const subfeedHash = feed?.[2].toLowerCase();
  if (feed && !SUBFEED_HASH.test(subfeedHash!)) throw new HttpError(400, 'bad_subfeed_hash', `Not a subfeed hash: ${JSON.stringify(feed[2])} (40 hex digits)`);
  const feeds = deps.feeds;
  if (!feeds) throw new HttpError(503, 'unavailable', 'Feeds and sign-in are not configured on this API instance.');

  // Per address before the token is checked (bad tokens cost a verification each), then per user.
  limit(deps, res, `addr:${clientAddress(req, deps.trustedProxyHops)}`, 'Too many requests from your address');
  const user = await feeds.verifyUser(req.headers.authorization);
  limit(deps, res, `user:${user.email.toLowerCase()}`, `Too many requests from ${user.email}`);
  if (feed) {
    res.status(200).json(await appendToFeed({ feedId, subfeedHash: subfeedHash!, user, readBody: () => readJsonBody(req, '{"messages": [ … ]}') }, feeds));
  } else if (perms![2]) {
    res.status(200).json(await myPermissions(feedId, user, feeds));
  } else if (req.method === 'PUT') {
    res.status(200).json(await setPermission(feedId, user, readJsonBody(req, '{"user": "<email>", "edit": true|false}'), feeds));
  } else {
    res.status(200).json(await listPermissions(feedId, user, feeds));
  }
  return true;
}

/** Takes a token for `key` or answers 429 with Retry-After. */
function limit(deps: ApiDeps, res: ApiResponse, key: string, what: string): void {
  if (!deps.rateLimiter || deps.rateLimiter.take(key, deps.now())) return;
  res.set('Retry-After', String(deps.rateLimiter.retryAfterSec(key)));
  throw new HttpError(429, 'rate_limited', `${what}; slow down and retry in a few seconds.`);
}

function readJsonBody(req: ApiRequest, expected = '{backend, functionId, kwargs}'): unknown {
  const declared = Number(req.headers['content-length'] ?? 0);
  const size = req.bodyTooLarge?.length ?? req.rawBody?.length ?? declared;
  if (req.bodyTooLarge || size > MAX_BODY_BYTES || declared > MAX_BODY_BYTES) {
    throw new HttpError(413, 'payload_too_large', `Request body is ${Math.max(size, declared)} bytes; the limit is ${MAX_BODY_BYTES}.`);
  }
  if (req.bodyParseError) throw new HttpError(400, 'malformed_json', `Request body is not valid JSON: ${req.bodyParseError.message}`);
  // Bodies sent without a JSON content type arrive as text or raw bytes: parse them ourselves.
  let body = req.body;
  if (typeof body === 'string' || Buffer.isBuffer(body)) {
    const text = body.toString();
    if (text.trim() === '') throw new HttpError(400, 'malformed_json', `Request body is empty; send a JSON object ${expected}.`);
    try {
      body = JSON.parse(text);
    } catch (err) {
      throw new HttpError(400, 'malformed_json', `Request body is not valid JSON: ${(err as Error).message}`);
    }
  }
  if (body === undefined || (typeof body === 'object' && body !== null && !Array.isArray(body) && Object.keys(body).length === 0 && !req.rawBody?.length)) {
    throw new HttpError(400, 'malformed_json', `Request body is empty; send a JSON object ${expected}.`);
  }
  // Every body may end up stored or hashed by recursive code: bound its depth before anything walks it.
  const tooDeep = jsonTooDeep(body, 'The request body');
  if (tooDeep) throw new HttpError(400, 'too_deep', tooDeep);
  return body;
}

function setCors(origin: string | undefined, allowed: string[], res: ApiResponse): void {
  if (!origin) return;
  if (allowed.includes('*')) res.set('Access-Control-Allow-Origin', '*');
  else if (allowed.includes(origin)) res.set('Access-Control-Allow-Origin', origin).set('Vary', 'Origin');
  else return;
  res.set('Access-Control-Allow-Methods', 'GET, POST, PUT, OPTIONS');
  res.set('Access-Control-Allow-Headers', 'Content-Type, Authorization');
  res.set('Access-Control-Max-Age', '3600');
  res.set('Access-Control-Expose-Headers', 'Retry-After');
}
