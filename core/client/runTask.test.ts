import { describe, expect, it } from 'vitest';
import { pollDelayMs, runTask } from './runTask';

const h = 'a9993e364706816aba3e25717850c26c9cd0d89d';
const json = (status: number, body: unknown) => new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });

/** A scripted server: the real fetch Response objects, answers chosen per URL. */
function scripted(routes: Record<string, (() => Response)[]>) {
  const calls: string[] = [];
  const f = (async (url: string) => {
    calls.push(url);
    const queue = routes[url];
    if (!queue?.length) throw new Error(`unexpected ${url}`);
    return queue.length > 1 ? queue.shift()!() : queue[0]();
  }) as unknown as typeof fetch;
  return { f, calls };
}
const deps = (f: typeof fetch) => ({ fetch: f, sleep: async () => {}, now: () => 0 });
const answer = (status: string) => json(200, { taskHash: h, status, resultUrl: 'http://b/result', statusUrl: 'http://b/status' });

describe('runTask', () => {
  it('reads a cached result with one GET', async () => {
    const { f, calls } = scripted({ 'http://api/v1/tasks': [() => answer('finished')], 'http://b/result': [() => json(200, { x: 1 })] });
    expect(await runTask({ apiUrl: 'http://api/', backend: 'b', functionId: 'f.1', kwargs: {} }, deps(f))).toEqual({ taskHash: h, result: { x: 1 } });
    expect(calls).toEqual(['http://api/v1/tasks', 'http://b/result']);
  });

  it('polls the status through queued and running, reporting each', async () => {
    const { f } = scripted({
      'http://api/v1/tasks': [() => answer('queued')],
      'http://b/status': [() => new Response('', { status: 404 }), () => json(200, { status: 'running', updated: 1 }), () => json(200, { status: 'finished', updated: 2 })],
      'http://b/result': [() => json(200, 'ok')],
    });
    const seen: string[] = [];
    await runTask({ apiUrl: 'http://api', backend: 'b', functionId: 'f.1', kwargs: {}, onStatus: (s) => seen.push(s) }, deps(f));
    expect(seen).toEqual(['waiting', 'queued', 'running', 'finished']);
  });

  it('polls fast again after a change of status, not at the 1 s a long queue backed off to', async () => {
    const queued = Array.from({ length: 8 }, () => () => json(200, { status: 'queued', updated: 1 }));
    const { f } = scripted({
      'http://api/v1/tasks': [() => answer('queued')],
      'http://b/status': [...queued, () => json(200, { status: 'running', updated: 2 }), () => json(200, { status: 'running', updated: 2 }), () => json(200, { status: 'finished', updated: 3 })],
      'http://b/result': [() => json(200, 'ok')],
    });
    const slept: number[] = [];
    await runTask({ apiUrl: 'http://api', backend: 'b', functionId: 'f.1', kwargs: {} }, { ...deps(f), sleep: async (ms: number) => { slept.push(ms); } });
    expect(slept).toEqual([20, 40, 80, 160, 320, 640, 1000, 1000, 1000, 20, 40]);
  });

  it('fails with the task error message, and with the API message on a 4xx', async () => {
    const { f } = scripted({ 'http://api/v1/tasks': [() => answer('queued')], 'http://b/status': [() => json(200, { status: 'error', errorMessage: 'boom', updated: 1 })] });
    await expect(runTask({ apiUrl: 'http://api', backend: 'b', functionId: 'f.1', kwargs: {} }, deps(f))).rejects.toMatchObject({ name: 'TaskFailed', message: 'boom', taskHash: h });
    const { f: f2 } = scripted({ 'http://api/v1/tasks': [() => json(404, { error: 'unknown_task', message: 'Unknown task function: x.1' })] });
    await expect(runTask({ apiUrl: 'http://api', backend: 'b', functionId: 'x.1', kwargs: {} }, deps(f2))).rejects.toThrow('Unknown task function: x.1');
  });

  it('waits out a busy API and a busy bucket under the shared policy, reporting each wait', async () => {
    const { f, calls } = scripted({
      'http://api/v1/tasks': [() => new Response('Rate exceeded.', { status: 429, headers: { 'retry-after': '2' } }), () => answer('queued')],
      'http://b/status': [() => new Response('', { status: 503 }), () => json(200, { status: 'finished', updated: 1 })],
      'http://b/result': [() => json(200, 'ok')],
    });
    const waits: number[] = [];
    const r = await runTask({ apiUrl: 'http://api', backend: 'b', functionId: 'f.1', kwargs: {}, onWait: (w) => waits.push(w.retryInSec) }, { ...deps(f), random: () => 0.5 });
    expect(r.result).toBe('ok');
    expect(waits).toEqual([2, 0.5]);
    expect(calls.filter((c) => c === 'http://api/v1/tasks')).toHaveLength(2);
  });

  it('says the API is busy when Cloud Run keeps refusing (no JSON body), and where it cannot be reached', async () => {
    const { f } = scripted({ 'http://api/v1/tasks': [() => new Response('Rate exceeded.', { status: 429, statusText: 'Too Many Requests' })] });
    await expect(runTask({ apiUrl: 'http://api', backend: 'b', functionId: 'f.1', kwargs: {} }, { ...deps(f), random: () => 0 }))
      .rejects.toMatchObject({ name: 'TaskFailed', message: 'The API at http://api is busy (429 Too Many Requests): try again in a minute' });
    const down = (async () => { throw new TypeError('fetch failed'); }) as unknown as typeof fetch;
    await expect(runTask({ apiUrl: 'http://api', backend: 'b', functionId: 'f.1', kwargs: {} }, deps(down))).rejects.toThrow(/^The API at http:\/\/api cannot be reached \(fetch failed\)/);
  });

  it('backs off from 20 ms to 1 s', () => {
    expect([0, 1, 2, 3, 4, 5, 6, 20].map(pollDelayMs)).toEqual([20, 40, 80, 160, 320, 640, 1000, 1000]);
  });
});
