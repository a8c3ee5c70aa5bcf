import { describe, expect, it } from 'vitest';
import { ApiError, apiFetchJson } from './apiFetch';

const json = (status: number, body: unknown, headers: Record<string, string> = {}) => new Response(JSON.stringify(body), { status, headers });

function fake(answers: Response[]) {
  const seen: { url: string; init: RequestInit }[] = [];
  const tokens: boolean[] = [];
  const slept: number[] = [];
  return {
    seen, tokens, slept,
    deps: {
      apiUrl: 'https://api/',
      getIdToken: async (force?: boolean) => { tokens.push(!!force); return force ? 'fresh' : 'stale'; },
      fetch: (async (url: string, init: RequestInit) => { seen.push({ url, init }); return answers.shift()!; }) as unknown as typeof fetch,
      sleep: async (ms: number) => { slept.push(ms); },
      random: () => 0.5,
    },
  };
}

describe('apiFetchJson', () => {
  it('sends the bearer token and the JSON body, and returns the answer', async () => {
    const f = fake([json(200, { ok: 1 })]);
    expect(await apiFetchJson(f.deps, '/v1/x', { method: 'PUT', body: { a: 1 }, what: 'x' })).toEqual({ ok: 1 });
    expect(f.seen[0].url).toBe('https://api/v1/x');
    expect((f.seen[0].init.headers as Record<string, string>).authorization).toBe('Bearer stale');
    expect(f.seen[0].init.body).toBe('{"a":1}');
  });

  it('refreshes the token once on a 401 saying it expired', async () => {
    const f = fake([json(401, { error: 'invalid_token', message: 'The ID token expired at …: get a fresh one' }), json(200, { positions: [0] })]);
    expect(await apiFetchJson(f.deps, '/v1/x', { method: 'POST', body: {}, what: 'x' })).toEqual({ positions: [0] });
    expect(f.tokens).toEqual([false, true]);
    expect((f.seen[1].init.headers as Record<string, string>).authorization).toBe('Bearer fresh');
  });

  it('does not retry other 401s, nor a second expiry', async () => {
    const f = fake([json(401, { error: 'unauthenticated', message: 'Sign in first' })]);
    await expect(apiFetchJson(f.deps, '/v1/x', { method: 'GET', what: 'x' })).rejects.toMatchObject({ status: 401, message: 'Sign in first' });
    const g = fake([json(401, { error: 'invalid_token', message: 'expired' }), json(401, { error: 'invalid_token', message: 'expired' })]);
    await expect(apiFetchJson(g.deps, '/v1/x', { method: 'GET', what: 'x' })).rejects.toBeInstanceOf(ApiError);
    expect(g.seen).toHaveLength(2);
  });

  it('waits for Retry-After on 429 (else the shared backoff), a few times, then gives up with the message', async () => {
    const f = fake([json(429, { error: 'rate_limited', message: 'slow down' }, { 'retry-after': '2' }), json(200, {})]);
    const waits: number[] = [];
    await apiFetchJson({ ...f.deps, onWait: (w) => waits.push(w.retryInSec) }, '/v1/x', { method: 'GET', what: 'x' });
    expect(f.slept).toEqual([2000]);
    expect(waits).toEqual([2]);
    const g = fake(Array.from({ length: 7 }, () => json(429, { error: 'rate_limited', message: 'slow down' })));
    await expect(apiFetchJson(g.deps, '/v1/x', { method: 'GET', what: 'x' })).rejects.toMatchObject({ status: 429, message: 'slow down' });
    expect(g.slept).toEqual([500, 1000, 2000, 4000, 8000, 15000]);
  });

  it('treats a failed request whose no-cors probe is answered as a busy API (Cloud Run\'s 429 has no CORS headers), and retries', async () => {
    const seen: RequestInit[] = [];
    const answers: (() => Response)[] = [() => { throw new TypeError('Failed to fetch'); }, () => json(200, {}), () => json(200, { positions: [3] })];
    const f = fake([]);
    const deps = { ...f.deps, fetch: (async (_url: string, init: RequestInit) => { seen.push(init); return answers.shift()!(); }) as unknown as typeof fetch };
    expect(await apiFetchJson(deps, '/v1/x', { method: 'POST', body: {}, what: 'save the curation' })).toEqual({ positions: [3] });
    expect(seen.map((i) => i.mode ?? i.method)).toEqual(['POST', 'no-cors', 'POST']);
    expect(f.slept).toEqual([500]);
  });

  it('reports 403 with the API\'s message and code, and an unreachable API', async () => {
    const f = fake([json(403, { error: 'forbidden', message: 'a@b may not edit' })]);
    await expect(apiFetchJson(f.deps, '/v1/x', { method: 'GET', what: 'x' })).rejects.toMatchObject({ status: 403, code: 'forbidden', message: 'a@b may not edit' });
    const down = { ...f.deps, fetch: (async () => { throw new TypeError('Failed to fetch'); }) as unknown as typeof fetch };
    await expect(apiFetchJson(down, '/v1/x', { method: 'GET', what: 'save the curation' })).rejects.toMatchObject({
      status: 0, code: 'network', message: 'Could not save the curation: The API at https://api/ cannot be reached (Failed to fetch): check the network connection and that the deployment is up.',
    });
  });
});
