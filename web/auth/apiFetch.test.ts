import { describe, expect, it } from 'vitest';
import { ApiError, apiFetchJson, retryAfterSec } from './apiFetch';

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

  it('waits for Retry-After on 429, a few times, then gives up with the message', async () => {
    const f = fake([json(429, { error: 'rate_limited', message: 'slow down' }, { 'retry-after': '2' }), json(200, {})]);
    await apiFetchJson(f.deps, '/v1/x', { method: 'GET', what: 'x' });
    expect(f.slept).toEqual([2000]);
    const g = fake(Array.from({ length: 4 }, () => json(429, { error: 'rate_limited', message: 'slow down' })));
    await expect(apiFetchJson(g.deps, '/v1/x', { method: 'GET', what: 'x' })).rejects.toMatchObject({ status: 429, message: 'slow down' });
    expect(g.slept).toEqual([1000, 1000, 1000]);
  });

  it('reports 403 with the API\'s message and code, and an unreachable API', async () => {
    const f = fake([json(403, { error: 'forbidden', message: 'a@b may not edit' })]);
    await expect(apiFetchJson(f.deps, '/v1/x', { method: 'GET', what: 'x' })).rejects.toMatchObject({ status: 403, code: 'forbidden', message: 'a@b may not edit' });
    const down = { ...f.deps, fetch: (async () => { throw new TypeError('Failed to fetch'); }) as unknown as typeof fetch };
    await expect(apiFetchJson(down, '/v1/x', { method: 'GET', what: 'save the curation' })).rejects.toThrow(/Could not reach the API at https:\/\/api\/ to save the curation \(Failed to fetch\)/);
  });
});

describe('retryAfterSec', () => {
  it('reads seconds or a date, capped, 1 s by default', () => {
    expect(retryAfterSec('3')).toBe(3);
    expect(retryAfterSec('3600')).toBe(30);
    expect(retryAfterSec(null)).toBe(1);
    expect(retryAfterSec('soon')).toBe(1);
    expect(retryAfterSec(new Date(10_000).toUTCString(), 5_000)).toBe(5);
  });
});
