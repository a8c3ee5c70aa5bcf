import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { build } from 'esbuild';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from './chromium';

/**
 * The shared HTTP policy (core/client/httpPolicy.ts) in real Chromium, where it matters: Cloud Run
 * answers 429 *without CORS headers* when all its instances are busy, so the page's fetch fails
 * exactly as if the API were down. A page on one loopback port runs the real TaskClient and
 * apiFetchJson (bundled with esbuild as the app is) against an "API" on another port that refuses
 * the first requests that way; only the no-cors probe tells that from an API that is not there.
 */

const BUSY_REQUESTS = 6;

interface Api {
  server: Server;
  url: string;
  /** Requests to /v1/… as "METHOD path [no-cors]", in order. */
  seen: string[];
  reset(): void;
}

const listen = (server: Server) => new Promise<string>((resolve) => server.listen(0, '127.0.0.1', () => resolve(`http://127.0.0.1:${(server.address() as AddressInfo).port}`)));
const close = (server: Server) => new Promise<void>((resolve) => server.close(() => resolve()));

/** An API whose first BUSY_REQUESTS requests to /v1/… get Cloud Run's busy answer: 429, no CORS headers. */
function busyApi(pageOrigin: () => string): Api {
  const seen: string[] = [];
  let busyLeft = BUSY_REQUESTS;
  const cors = { 'access-control-allow-origin': pageOrigin(), 'access-control-allow-methods': 'GET, POST, PUT, OPTIONS', 'access-control-allow-headers': 'Content-Type, Authorization' };
  const send = (res: ServerResponse, status: number, body: unknown) => res.writeHead(status, { ...cors, 'content-type': 'application/json' }).end(JSON.stringify(body));
  const handle = (req: IncomingMessage, res: ServerResponse, base: string) => {
    const path = req.url ?? '/';
    if (path.startsWith('/v1/')) {
      seen.push(`${req.method} ${path}${req.headers['sec-fetch-mode'] === 'no-cors' ? ' no-cors' : ''}`);
      if (busyLeft > 0) {
        busyLeft--;
        return res.writeHead(429, { 'content-type': 'text/html' }).end('<h1>429 Too Many Requests</h1>');
      }
    }
    if (req.method === 'OPTIONS') return res.writeHead(204, cors).end();
    if (path === '/v1/tasks') {
      const h = 'a9993e364706816aba3e25717850c26c9cd0d89d';
      return send(res, 200, { taskHash: h, status: 'finished', resultUrl: `${base}/bucket/result`, statusUrl: `${base}/bucket/status` });
    }
    if (path.startsWith('/v1/feeds/')) return send(res, 200, { positions: [0] });
    if (path === '/bucket/result') return send(res, 200, { answer: 42 });
    return send(res, 404, { error: 'not_found', message: 'no such object' });
  };
  const api: Api = {
    server: createServer((req, res) => handle(req, res, api.url)),
    url: '',
    seen,
    reset() {
      seen.length = 0;
      busyLeft = BUSY_REQUESTS;
    },
  };
  return api;
}

/** The page's request path: the real modules, with jitter 0.1 so that the backoff waits 0.1, 0.2, 0.4 s. */
const ENTRY = `
import { TaskClient, isDone } from './web/data/taskClient';
import { apiFetchJson } from './web/auth/apiFetch';
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const random = () => 0.1;
window.runTask = (apiUrl) => new Promise((resolve) => {
  const spec = { functionId: 'sortingview.get_backend_info.1', kwargs: {} };
  const client = new TaskClient({
    backend: { label: 'lab', apiUrl }, resultUrl: () => apiUrl + '/bucket/not-cached',
    deps: { fetch: (...a) => fetch(...a), sleep, now: () => performance.now(), random },
  });
  const hash = TaskClient.hashOf(spec);
  const busy = [];
  client.subscribe(hash, () => {
    const r = client.get(hash);
    if (r.busy && busy.at(-1) !== r.busy) busy.push(r.busy);
    if (isDone(r)) resolve({ status: r.status, error: r.error, result: r.result, busyRetryInSec: busy.map((b) => b.retryInSec) });
  });
  client.request(spec);
});
window.saveCuration = async (apiUrl) => {
  const waits = [];
  try {
    const res = await apiFetchJson({ apiUrl, getIdToken: async () => 'token', fetch: (...a) => fetch(...a), sleep, random, onWait: (w) => waits.push(w) },
      '/v1/feeds/f/s/messages', { method: 'POST', body: { messages: [] }, what: 'save the curation' });
    return { res, waits };
  } catch (err) {
    return { error: err.message, waits };
  }
};
`;

let browser: Browser;
let page: Page;
let site: Server;
let siteUrl: string;
let api: Api;

beforeAll(async () => {
  const bundled = await build({ stdin: { contents: ENTRY, resolveDir: process.cwd(), loader: 'js' }, bundle: true, platform: 'browser', format: 'esm', write: false, logLevel: 'warning' });
  const js = bundled.outputFiles[0].text;
  site = createServer((req, res) => {
    if (req.url === '/page.js') return res.writeHead(200, { 'content-type': 'text/javascript' }).end(js);
    return res.writeHead(200, { 'content-type': 'text/html' }).end('<!doctype html><title>busy API</title><script type="module" src="/page.js"></script>');
  });
  siteUrl = await listen(site);
  api = busyApi(() => siteUrl);
  api.url = await listen(api.server);
  browser = await launchChromium();
  page = await browser.newPage();
  await page.goto(siteUrl);
  await page.waitForFunction(() => 'runTask' in window);
}, 60_000);
afterAll(async () => {
  await browser?.close();
  await Promise.all([site, api?.server].filter(Boolean).map((s) => close(s!)));
});

describe('a busy API in the browser (Cloud Run\'s 429 without CORS headers)', () => {
  it('a task reports "busy" waits, then succeeds', async () => {
    api.reset();
    const out = await page.evaluate((u) => (window as unknown as { runTask(u: string): Promise<unknown> }).runTask(u), api.url) as
      { status: string; error?: string; result: unknown; busyRetryInSec: number[] };
    expect(out.error).toBeUndefined();
    expect(out).toMatchObject({ status: 'finished', result: { answer: 42 } });
    // Each refused attempt: the CORS preflight (429, no CORS: the fetch fails), then the no-cors probe (answered).
    expect(out.busyRetryInSec).toEqual([0.1, 0.2, 0.4]);
    expect(api.seen.slice(0, BUSY_REQUESTS)).toEqual(Array.from({ length: 3 }, () => ['OPTIONS /v1/tasks', 'GET /v1/tasks no-cors']).flat());
    expect(api.seen.slice(BUSY_REQUESTS)).toEqual(['OPTIONS /v1/tasks', 'POST /v1/tasks']);
  });

  it('a curation write reports "busy" waits, then saves', async () => {
    api.reset();
    const out = await page.evaluate((u) => (window as unknown as { saveCuration(u: string): Promise<unknown> }).saveCuration(u), api.url) as
      { res?: unknown; error?: string; waits: { reason: string; retryInSec: number; status: number | null }[] };
    expect(out.error).toBeUndefined();
    expect(out.res).toEqual({ positions: [0] });
    expect(out.waits).toEqual([0.1, 0.2, 0.4].map((retryInSec, i) => ({ reason: 'busy', retryInSec, attempt: i + 1, status: null })));
  });

  it('an API port that is closed is "unreachable", said at once', async () => {
    const gone = createServer();
    const goneUrl = await listen(gone);
    await close(gone);
    const t0 = Date.now();
    const task = await page.evaluate((u) => (window as unknown as { runTask(u: string): Promise<unknown> }).runTask(u), goneUrl) as { status: string; error: string; busyRetryInSec: number[] };
    expect(task).toMatchObject({ status: 'error', busyRetryInSec: [] });
    expect(task.error).toBe(`The API at ${goneUrl} cannot be reached (Failed to fetch): check the network connection and that the deployment is up.`);
    const save = await page.evaluate((u) => (window as unknown as { saveCuration(u: string): Promise<unknown> }).saveCuration(u), goneUrl) as { error: string; waits: unknown[] };
    expect(save).toEqual({ error: `Could not save the curation: The API at ${goneUrl} cannot be reached (Failed to fetch): check the network connection and that the deployment is up.`, waits: [] });
    expect(Date.now() - t0).toBeLessThan(5000);
  });
});
