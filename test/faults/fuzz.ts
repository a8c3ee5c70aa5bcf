import { mulberry32 } from '../../core/random';

/** Seeded generators of hostile API requests (no fast-check in this repo: core/random.ts's mulberry32). */
export interface FuzzRequest {
  method: string;
  path: string;
  headers: Record<string, string>;
  body?: Buffer;
  what: string;
}

export function makeRng(seed: number) {
  const next = mulberry32(seed);
  const int = (n: number) => Math.floor(next() * n);
  const pick = <T>(xs: readonly T[]): T => xs[int(xs.length)];
  return { next, int, pick, chance: (p: number) => next() < p };
}
export type Rng = ReturnType<typeof makeRng>;

const UNICODE = ['é', '日本', '🧠', '\u202e', '\u0000', '\ufeff', '\ud800', '\udfff', 'Ω', '\u200b', '"', '\\', '<script>', '%00', '../', '\n'];
const FUNCTION_IDS = ['sortingview.get_backend_info.1', 'sortingview.test_sleep.1', 'recording_info.3', 'sorting_info.3', 'get_timeseries_segment.1',
  'fetch_correlogram_plot_data.6', 'sortingview.nope.1', 'get_backend_info', '', '__proto__', 'constructor.1', 'x'.repeat(300)];
const KEYS = ['backend', 'functionId', 'kwargs', 'messages', 'user', 'edit', '__proto__', 'constructor', 'prototype', 'recording_uri', 'sorting_uri',
  'seconds', 'type', 'unitId', 'unitIds', 'label', 'toString', 'hasOwnProperty', ''];

export function randomString(r: Rng, max = 40): string {
  const n = r.int(max);
  let s = '';
  for (let i = 0; i < n; i++) s += r.chance(0.3) ? r.pick(UNICODE) : String.fromCharCode(32 + r.int(95));
  return s;
}

export function randomJson(r: Rng, depth = 0): unknown {
  const k = r.int(depth > 4 ? 6 : 9);
  switch (k) {
    case 0: return null;
    case 1: return r.chance(0.5);
    case 2: return r.pick([0, -1, 1e308, -1e308, 5e-324, 2 ** 53 + 1, 1.5, -0, 42, 1e21]);
    case 3: return randomString(r);
    case 4: return r.pick(['local', 'nolab', '../etc', `sha1://${'ab'.repeat(20)}/x.json`, '/etc/passwd', 'file:///etc/passwd', 'gs://x/y', 'sha1://../../x']);
    case 5: return r.pick(FUNCTION_IDS);
    case 6: case 7: {
      const o: Record<string, unknown> = {};
      for (let i = r.int(5); i > 0; i--) o[r.chance(0.7) ? r.pick(KEYS) : randomString(r, 10)] = randomJson(r, depth + 1);
      return o;
    }
    default: return Array.from({ length: r.int(5) }, () => randomJson(r, depth + 1));
  }
}

/** A task request that is nearly right: the shape the API expects with one or more parts wrong. */
function nearTaskRequest(r: Rng): unknown {
  const req: Record<string, unknown> = { backend: r.chance(0.7) ? 'local' : randomJson(r), functionId: r.chance(0.8) ? r.pick(FUNCTION_IDS) : randomJson(r), kwargs: {} };
  const kwargs: Record<string, unknown> = {};
  for (let i = r.int(4); i > 0; i--) kwargs[r.pick(KEYS)] = randomJson(r, 2);
  req.kwargs = r.chance(0.85) ? kwargs : randomJson(r);
  if (r.chance(0.1)) req[randomString(r, 8)] = randomJson(r);
  if (r.chance(0.1)) delete req[r.pick(['backend', 'functionId', 'kwargs'])];
  return req;
}

function deepNesting(r: Rng): string {
  const depth = r.pick([100, 1000, 10_000, 100_000]);
  const open = r.chance(0.5) ? '[' : '{"a":';
  const close = open === '[' ? ']' : '}';
  return r.chance(0.5) ? `{"backend":"local","functionId":"sortingview.test_sleep.1","kwargs":${open.repeat(depth)}1${close.repeat(depth)}}` : `${open.repeat(depth)}1${close.repeat(depth)}`;
}

const hex = (r: Rng, n: number) => Array.from({ length: n }, () => '0123456789abcdef'[r.int(16)]).join('');

function randomPath(r: Rng): string {
  const feed = r.chance(0.5) ? hex(r, 64) : randomSegment(r);
  const sub = r.chance(0.5) ? hex(r, 40) : randomSegment(r);
  return r.pick([
    '/v1/tasks', '/v1/tasks', '/v1/tasks', '/v1/tasks/', '/v1/health', `/v1/feeds/${feed}/${sub}/messages`, `/v1/workspaces/${feed}/permissions`,
    `/v1/workspaces/${feed}/permissions/me`, '//v1//tasks', '/v1/%2e%2e/tasks', '/v1/tasks%00', '/v1/tasks?x=1&x=2', '/v1/tasks#frag',
    '/%2e%2e/%2e%2e/etc/passwd', '/v1/..%2f..%2fetc', '/v1/feeds/%2e%2e/%2e%2e/messages', '/%ff%fe', `/${'a/'.repeat(2000)}`,
    '/v1/tasks;jsessionid=1', '/V1/TASKS', `/v1/${randomSegment(r)}`, `/${randomSegment(r)}`, '/v1/feeds//messages', '/?' + 'q='.repeat(500),
  ]);
}

function randomSegment(r: Rng): string {
  return encodeURIComponent(randomString(r, 20).replace(/[\ud800-\udfff]/g, 'x')) || '%20';
}

const CONTENT_TYPES = ['application/json', 'application/json', 'application/json; charset=utf-8', 'text/plain', 'application/octet-stream',
  'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', 'application/json; charset=utf-16', 'application/json; charset=klingon',
  'application/*', '', 'application/merge-patch+json'];

export function randomRequest(r: Rng): FuzzRequest {
  const method = r.pick(['POST', 'POST', 'POST', 'POST', 'GET', 'PUT', 'DELETE', 'PATCH', 'OPTIONS', 'HEAD']);
  const path = randomPath(r);
  const headers: Record<string, string> = {};
  // A caller may write any X-Forwarded-For; the rate limit must not care (functions/api/clientAddress.ts).
  if (r.chance(0.5)) headers['x-forwarded-for'] = r.pick([`10.${r.int(256)}.${r.int(256)}.${r.int(256)}`, 'unknown', '::1, ::1', `${'9.'.repeat(500)}9`, '']);
  const ct = r.pick(CONTENT_TYPES);
  if (ct) headers['content-type'] = ct;
  if (r.chance(0.3)) headers.authorization = r.pick(['Bearer ', 'Bearer x', `Bearer ${'a'.repeat(5000)}`, 'Basic dXNlcjpwYXNz', `Bearer e30.e30.`, `Bearer ${Buffer.from('{"alg":"none"}').toString('base64url')}.${Buffer.from(JSON.stringify(randomJson(r))).toString('base64url')}.`]);
  if (r.chance(0.05)) headers.origin = r.pick(['http://evil.example', 'null', randomSegment(r)]);
  if (r.chance(0.05)) headers['content-encoding'] = r.pick(['gzip', 'deflate', 'br', 'identity', 'bogus']);
  let body: Buffer | undefined;
  let what: string;
  const kind = r.int(100);
  if (method === 'GET' || method === 'HEAD') { what = 'no body'; }
  else if (kind < 40) { what = 'near task request'; body = Buffer.from(JSON.stringify(nearTaskRequest(r))); }
  else if (kind < 65) { what = 'random json'; body = Buffer.from(JSON.stringify(randomJson(r)) ?? 'null'); }
  else if (kind < 72) { what = 'deep nesting'; body = Buffer.from(deepNesting(r)); }
  else if (kind < 76) { what = 'huge body'; body = Buffer.alloc(r.pick([1_048_577, 1_500_000, 3_000_000]), r.pick(['a', '[', ' ', '{'])); }
  else if (kind < 78) { what = 'huge json string'; body = Buffer.from(JSON.stringify({ backend: 'local', functionId: 'sortingview.test_sleep.1', kwargs: { pad: 'x'.repeat(1_100_000) } })); }
  else if (kind < 86) { what = 'broken json'; const s = JSON.stringify(nearTaskRequest(r)); body = Buffer.from(s.slice(0, r.int(s.length))); }
  else if (kind < 92) { what = 'random bytes'; body = Buffer.from(Array.from({ length: r.int(200) }, () => r.int(256))); }
  else if (kind < 96) { what = 'feed append'; body = Buffer.from(JSON.stringify({ messages: Array.from({ length: r.int(4) }, () => randomJson(r, 2)) })); }
  else { what = 'permission change'; body = Buffer.from(JSON.stringify({ user: randomJson(r), edit: randomJson(r) })); }
  return { method, path, headers, body, what };
}
