// The request edge shared by both ports: CORS (public port), admin endpoints (trusted port),
// route matching, identity and permission checks, counting, and the one place where errors
// become GCS-shaped responses. Anything not a GcsError is a bug and answers 500.
import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import { authorize, resolveCaller, type PortKind } from './access';
import type { Ctx, Deps } from './context';
import { applyCorsHeaders, handlePreflight } from './cors';
import { bucketNotFound, errorJson, errorXml, GcsError, invalid, routeNotFound } from './errors';
import { readBody, sendJson } from './http';
import { STS_PATH, StsError } from './identity';
import { matchRoute } from './routes';

export function createRequestListener(deps: Deps, port: PortKind): RequestListener {
  return (req, res) => {
    // A client that hangs up mid-request must not take the process down.
    req.on('error', () => undefined);
    res.on('error', () => undefined);
    if (deps.log) {
      const log = deps.log;
      res.on('finish', () => log(`${port} ${req.method} ${req.url} ${res.statusCode} ${req.headers['content-range'] ?? ''}`.trim()));
    }
    void handle(deps, port, req, res);
  };
}

async function handle(deps: Deps, port: PortKind, req: IncomingMessage, res: ServerResponse): Promise<void> {
  let xml = false;
  try {
    if (port === 'public') {
      if (handlePreflight(req, res, deps.corsOrigins)) return;
      applyCorsHeaders(req, res, deps.corsOrigins);
    }
    const rawUrl = req.url ?? '/';
    const queryAt = rawUrl.indexOf('?');
    const rawPath = queryAt < 0 ? rawUrl : rawUrl.slice(0, queryAt);
    const query = new URLSearchParams(queryAt < 0 ? '' : rawUrl.slice(queryAt + 1));
    const method = (req.method ?? 'GET').toUpperCase();

    if (rawPath === STS_PATH && method === 'POST') return await tokenExchange(deps, req, res);
    if (rawPath.startsWith('/_emulator/')) {
      if (port !== 'trusted') throw routeNotFound(method, rawPath);
      return admin(deps, method, rawPath, res);
    }

    const match = matchRoute(method, rawPath);
    if (!match) throw routeNotFound(method, rawPath);
    const { route, params } = match;
    xml = route.xml === true;
    const caller = resolveCaller(port, req.headers.authorization, xml, deps.identities, deps.iam);
    const host = req.headers.host;
    if (!host) throw invalid('Missing Host header.');
    const ctx: Ctx = { req, res, deps, query, params, baseUrl: `http://${host}`, caller, xml };

    if (route.permission) {
      const bucket = params.bucket === undefined ? undefined : deps.store.findBucket(params.bucket);
      if (params.bucket !== undefined && !bucket) throw bucketNotFound(params.bucket);
      // Uploads name their object in the query (the client always sends `name` there).
      const object = params.object ?? (route.permission === 'storage.objects.create' ? query.get('name') ?? undefined : undefined);
      authorize(caller, route.permission, bucket, xml, object);
      // As on GCS, replacing an object also takes storage.objects.delete (objectCreator alone only
      // adds); a write that must not replace (ifGenerationMatch=0) fails its precondition instead.
      if (route.permission === 'storage.objects.create' && object !== undefined && query.get('ifGenerationMatch') !== '0'
        && deps.store.findObject(bucket!.name, object)) {
        authorize(caller, 'storage.objects.delete', bucket, xml, object);
      }
    }
    ctx.op = typeof route.op === 'function' ? route.op(ctx) : route.op;
    await route.handle(ctx);
    // GCS does not charge for 307, 4xx and 5xx responses.
    if (ctx.op && res.statusCode < 400 && res.statusCode !== 307) deps.counters.record(ctx.op);
  } catch (err) {
    // The client hung up (mid-body, usually): nobody is left to answer.
    if (req.destroyed && !req.complete) {
      res.destroy();
      return;
    }
    sendError(res, err, xml);
  }
}

/** Google's STS token exchange for the local principals (identity.ts); errors as RFC 6749 JSON. */
async function tokenExchange(deps: Deps, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const form = new URLSearchParams((await readBody(req, deps.limits.maxJsonBytes)).toString('utf8'));
  try {
    sendJson(res, 200, deps.identities.exchange(form));
  } catch (err) {
    if (!(err instanceof StsError)) throw err;
    sendJson(res, 400, { error: err.error, error_description: err.message });
  }
}

function admin(deps: Deps, method: string, path: string, res: ServerResponse): void {
  if (method === 'GET' && path === '/_emulator/counters') return sendJson(res, 200, deps.counters.snapshot());
  if (method === 'POST' && path === '/_emulator/reset') {
    deps.reset();
    return sendJson(res, 200, { reset: true });
  }
  throw routeNotFound(method, path);
}

function sendError(res: ServerResponse, err: unknown, xml: boolean): void {
  if (res.headersSent) {
    res.destroy(err instanceof Error ? err : undefined);
    return;
  }
  let gcs: GcsError;
  if (err instanceof GcsError) {
    gcs = err;
  } else {
    console.error('[storage-emulator] internal error:', err);
    gcs = new GcsError(500, 'backendError', `Internal error in the storage emulator: ${(err as Error)?.message ?? String(err)}`, 'InternalError');
  }
  // A CORS response keeps its Access-Control-* headers; everything else from the handler goes.
  for (const name of res.getHeaderNames()) {
    if (!name.startsWith('access-control-') && name !== 'vary') res.removeHeader(name);
  }
  if (gcs.status === 304) {
    res.writeHead(304, gcs.headers);
    res.end();
    return;
  }
  const body = Buffer.from(xml ? errorXml(gcs) : errorJson(gcs));
  res.writeHead(gcs.status, {
    ...gcs.headers,
    'Content-Type': xml ? 'application/xml; charset=UTF-8' : 'application/json; charset=utf-8',
    'Content-Length': String(body.length),
  });
  res.end(body);
}
