import type { BlobStore } from '../../../core/ports/blobStore';
import { memoryBlobStore } from '../../../core/ports/memoryBlobStore';
import type { RateLimiter } from '../../../core/rateLimit';
import type { TaskStore } from '../../../core/tasks/taskStore';
import { createApiHandler, type ApiRequest } from '../app';
import { createIdTokenVerifier } from '../auth';
import { cachedSortingUnitIds } from '../feedsUnitIds';
import { workspaceCache } from '../feedsWorkspaces';

/**
 * Test seam (STYLE.md 9): the API handler in-process over the BlobStore port (memory stores by
 * default), with the token verifier given its certificates instead of fetching Google's. Task routes
 * are not wired (no TaskStore, no Pub/Sub).
 */
export interface InProcessApiOptions {
  projectId?: string;
  /** `kid` → PEM; tokens signed with other keys are refused. */
  certs?: Record<string, string>;
  /** As if FIREBASE_AUTH_EMULATOR_HOST were set. */
  acceptEmulatorTokens?: boolean;
  publicStore?: BlobStore;
  privateStore?: BlobStore;
  now?: () => number;
  rateLimiter?: RateLimiter;
  appOrigins?: string[];
}

export interface ApiAnswer {
  status: number;
  headers: Record<string, string>;
  /** The JSON body as the client sees it. */
  body: any;
}

export function inProcessApi(opts: InProcessApiOptions = {}) {
  const publicStore = opts.publicStore ?? memoryBlobStore();
  const privateStore = opts.privateStore ?? memoryBlobStore();
  const now = opts.now ?? Date.now;
  const logs: Record<string, unknown>[] = [];
  const handler = createApiHandler({
    store: undefined as unknown as TaskStore,
    publishTask: async () => { throw new Error('tasks are not wired in inProcessApi'); },
    backendExists: async () => false,
    dataRegistered: async () => false,
    appOrigins: opts.appOrigins ?? ['https://app.example.org'],
    rateLimiter: opts.rateLimiter,
    trustedProxyHops: 1, // as on Cloud Functions: the peer is Google's front end
    now,
    log: (e) => logs.push(e),
    feeds: {
      publicStore,
      privateStore,
      verifyUser: createIdTokenVerifier({
        projectId: opts.projectId ?? 'lab-project',
        acceptEmulatorTokens: opts.acceptEmulatorTokens ?? false,
        certs: async () => opts.certs ?? {},
        now,
      }),
      workspaces: workspaceCache(publicStore, now),
      sortingUnitIds: cachedSortingUnitIds(publicStore, now),
      now,
    },
  });

  async function call(method: string, path: string, o: { token?: string; body?: unknown; rawBody?: string; origin?: string; headers?: Record<string, string> } = {}): Promise<ApiAnswer> {
    const raw = o.rawBody ?? (o.body === undefined ? undefined : JSON.stringify(o.body));
    const req: ApiRequest = {
      method, path, socket: { remoteAddress: '35.191.0.1' },
      headers: {
        ...(o.token ? { authorization: `Bearer ${o.token}` } : {}),
        ...(o.origin ? { origin: o.origin } : {}),
        ...(raw !== undefined ? { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(raw)) } : {}),
        ...o.headers,
      },
      body: o.body ?? (raw !== undefined ? raw : undefined),
      rawBody: raw !== undefined ? Buffer.from(raw) : undefined,
    };
    const answer: ApiAnswer = { status: 0, headers: {}, body: undefined };
    const res = {
      status(code: number) { answer.status = code; return res; },
      set(name: string, value: string) { answer.headers[name.toLowerCase()] = value; return res; },
      json(body: unknown) { answer.body = JSON.parse(JSON.stringify(body)); },
      end() {},
    };
    await handler(req, res);
    return answer;
  }
  return { call, publicStore, privateStore, logs };
}
