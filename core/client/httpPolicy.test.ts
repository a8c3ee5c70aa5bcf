import { describe, expect, it } from 'vitest';
import { ApiBusyError, ApiUnreachableError, backoffMs, busyText, DEFAULT_RETRY_LIMITS, fetchWithPolicy, retryAfterSec, type BusyWait, type HttpPolicyDeps } from './httpPolicy';

const answer = (status: number, headers: Record<string, string> = {}) => () => new Response(status === 204 ? null : '{}', { status, headers });
const refused = () => { throw new TypeError('Failed to fetch'); };

/** A scripted server: each call takes the next answer (a Response, or a thrown network error); the last one repeats. */
function scripted(answers: (() => Response)[], o: { probe?: 'answers' | 'fails'; random?: () => number } = {}) {
  const calls: string[] = [];
  const slept: number[] = [];
  const waits: BusyWait[] = [];
  const deps: HttpPolicyDeps = {
    fetch: (async (url: string) => {
      calls.push(url);
      return (answers.length > 1 ? answers.shift()! : answers[0])();
    }) as unknown as typeof fetch,
    sleep: async (ms) => { slept.push(ms); },
    random: o.random ?? (() => 0.5),
    onWait: (w) => waits.push(w),
    ...(o.probe ? { probe: async (url: string) => { calls.push(`probe ${url}`); if (o.probe === 'fails') throw new TypeError('Failed to fetch'); } } : {}),
  };
  return { deps, calls, slept, waits };
}

describe('fetchWithPolicy', () => {
  it('returns any answer that is not busy at once, errors included', async () => {
    for (const status of [200, 404, 500]) {
      const s = scripted([answer(status)]);
      expect((await fetchWithPolicy('http://api/x', {}, s.deps)).status).toBe(status);
      expect(s.slept).toEqual([]);
    }
  });

  it('waits the Retry-After of a 429 or 503, reporting each wait, then returns the answer', async () => {
    const s = scripted([answer(429, { 'retry-after': '2' }), answer(503, { 'retry-after': '3' }), answer(200)]);
    expect((await fetchWithPolicy('http://api/x', {}, s.deps)).status).toBe(200);
    expect(s.slept).toEqual([2000, 3000]);
    expect(s.waits).toEqual([{ reason: 'busy', retryInSec: 2, attempt: 1, status: 429 }, { reason: 'busy', retryInSec: 3, attempt: 2, status: 503 }]);
  });

  it('without Retry-After backs off exponentially with full jitter, within the cap', async () => {
    const s = scripted([answer(503)]);
    const last = await fetchWithPolicy('http://api/x', {}, s.deps);
    // random 0.5 of ceilings 1, 2, 4, 8, 16, 30 (capped) s; then it gives up with the last answer.
    expect(s.slept).toEqual([500, 1000, 2000, 4000, 8000, 15000]);
    expect(last.status).toBe(503);
    expect(s.calls).toHaveLength(DEFAULT_RETRY_LIMITS.maxRetries + 1);
  });

  it('keeps the jitter in [0, ceiling)', () => {
    const ceiling = [1000, 2000, 4000, 8000, 16000, 30000, 30000];
    for (let retry = 0; retry < ceiling.length; retry++) {
      expect(backoffMs(retry, () => 0)).toBe(0);
      expect(backoffMs(retry, () => 0.999999)).toBe(ceiling[retry] - 1);
    }
  });

  it('gives up when the total wait would pass its bound', async () => {
    const s = scripted([answer(429, { 'retry-after': '30' })]);
    const res = await fetchWithPolicy('http://api/x', {}, { ...s.deps, limits: { ...DEFAULT_RETRY_LIMITS, maxWaitMs: 70_000 } });
    expect(res.status).toBe(429);
    expect(s.slept).toEqual([30_000, 30_000]);
  });

  it('in a browser, a network error whose probe is answered is a busy server (Cloud Run\'s 429 without CORS): back off and retry', async () => {
    const s = scripted([refused, refused, answer(200)], { probe: 'answers' });
    expect((await fetchWithPolicy('http://api/v1/tasks', { method: 'POST' }, s.deps)).status).toBe(200);
    expect(s.calls).toEqual(['http://api/v1/tasks', 'probe http://api/v1/tasks', 'http://api/v1/tasks', 'probe http://api/v1/tasks', 'http://api/v1/tasks']);
    expect(s.waits).toEqual([{ reason: 'busy', retryInSec: 0.5, attempt: 1, status: null }, { reason: 'busy', retryInSec: 1, attempt: 2, status: null }]);
  });

  it('in a browser, a network error whose probe fails too is an unreachable server: fail at once, saying where', async () => {
    const s = scripted([refused], { probe: 'fails' });
    const err = await fetchWithPolicy('http://api/v1/tasks', {}, s.deps, 'the API at http://api').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ApiUnreachableError);
    expect((err as Error).message).toBe('The API at http://api cannot be reached (Failed to fetch): check the network connection and that the deployment is up.');
    expect(s.slept).toEqual([]);
  });

  it('without a probe (Node: no CORS), a network error is unreachable at once, with the reason Node hides in `cause`', async () => {
    const s = scripted([() => { throw new TypeError('fetch failed', { cause: Object.assign(new Error('connect'), { code: 'ECONNREFUSED' }) }); }]);
    await expect(fetchWithPolicy('http://api/x', {}, s.deps, 'the API at http://api')).rejects.toThrow('The API at http://api cannot be reached (fetch failed: ECONNREFUSED)');
    expect(s.calls).toEqual(['http://api/x']);
  });

  it('gives up on a server that keeps answering without CORS headers, saying what that means and what to check', async () => {
    const s = scripted([refused], { probe: 'answers', random: () => 0 });
    const err = await fetchWithPolicy('http://api/x', {}, s.deps, 'the API at http://api').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ApiBusyError);
    expect((err as Error).message).toMatch(/^The API at http:\/\/api answered without CORS headers 7 times over 0 s\. .*Cloud Run.*busy: try again in a minute\. .*CORS settings allow this web app's origin/);
  });

  it('passes an abort through without probing', async () => {
    const ctl = new AbortController();
    ctl.abort();
    const s = scripted([() => { throw new DOMException('aborted', 'AbortError'); }], { probe: 'answers' });
    await expect(fetchWithPolicy('http://api/x', { signal: ctl.signal }, s.deps)).rejects.toThrow('aborted');
    expect(s.calls).toEqual(['http://api/x']);
  });
});

describe('retryAfterSec', () => {
  it('reads seconds or a date, capped; null when absent or unreadable (then the backoff decides)', () => {
    expect(retryAfterSec('3')).toBe(3);
    expect(retryAfterSec('3600')).toBe(30);
    expect(retryAfterSec(null)).toBeNull();
    expect(retryAfterSec('')).toBeNull();
    expect(retryAfterSec('soon')).toBeNull();
    expect(retryAfterSec(new Date(10_000).toUTCString(), 5_000)).toBe(5);
  });
});

describe('busyText', () => {
  it('counts whole seconds up, never "0 s"', () => {
    expect([0.2, 1, 1.01, 29.5].map(busyText)).toEqual(['server busy, retrying in 1 s', 'server busy, retrying in 1 s', 'server busy, retrying in 2 s', 'server busy, retrying in 30 s']);
  });
});
