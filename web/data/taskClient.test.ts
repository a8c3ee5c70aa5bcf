import { describe, expect, it } from 'vitest';
import { encodeResult, ndarray, taskHash } from '../../core/protocol';
import { z } from 'zod';
import { ndarrayOf, type TaskRequest } from '../../core/tasks/contract';
import { isDone, TaskClient, type TaskRecord } from './taskClient';

/** A fake bucket + API: results by hash, statuses that advance on each poll. */
function fakeBackend(o: { cached?: string[]; statuses?: string[]; apiSaysFinished?: boolean; rateLimited?: number; corsless?: number; apiDown?: boolean; fail?: string } = {}) {
  const results = new Map<string, unknown>();
  const calls: string[] = [];
  let inFlight = 0;
  let maxInFlight = 0;
  let limited = o.rateLimited ?? 0;
  let corsless = o.corsless ?? 0;
  const statusSeq = new Map<string, string[]>();
  const json = (v: unknown, status = 200, headers: Record<string, string> = {}) => new Response(JSON.stringify(v), { status, headers });
  const fetchFn = (async (input: RequestInfo | URL, init?: RequestInit) => {
    const url = String(input);
    calls.push(`${init?.mode === 'no-cors' ? 'PROBE' : init?.method ?? 'GET'} ${url}`);
    if (url.startsWith('https://api/') && o.apiDown) throw new TypeError('Failed to fetch');
    // What the browser makes of Cloud Run's 429 without CORS headers: the request fails, a no-cors probe gets an (opaque) answer.
    if (init?.mode === 'no-cors') return new Response(null, { status: 200 });
    if (url === 'https://api/v1/tasks' && corsless > 0) {
      corsless--;
      throw new TypeError('Failed to fetch');
    }
    if (url.startsWith('https://bucket/result/')) {
      const h = url.slice('https://bucket/result/'.length);
      return results.has(h) ? json(results.get(h)) : new Response('', { status: 404 });
    }
    if (url.startsWith('https://bucket/status/')) {
      const h = url.slice('https://bucket/status/'.length);
      const seq = statusSeq.get(h)!;
      const status = seq.length > 1 ? seq.shift()! : seq[0];
      if (status === 'finished') {
        results.set(h, encodeResult({ x: ndarray('float32', [2], new Float32Array([1, 2])) }));
        inFlight--;
      }
      return json({ status, updated: 0, ...(status === 'error' ? { errorMessage: o.fail } : {}) });
    }
    if (url === 'https://api/v1/tasks') {
      if (limited > 0) { limited--; return json({ error: 'rate_limited', message: 'slow down' }, 429, { 'retry-after': '1' }); }
      const body = JSON.parse(String(init!.body));
      const h = taskHash(body.functionId, body.kwargs);
      inFlight++;
      maxInFlight = Math.max(maxInFlight, inFlight);
      if (o.apiSaysFinished) {
        results.set(h, encodeResult({ ok: true }));
        inFlight--;
        return json({ taskHash: h, status: 'finished', resultUrl: `https://bucket/result/${h}`, statusUrl: `https://bucket/status/${h}` });
      }
      statusSeq.set(h, [...(o.statuses ?? ['running', 'finished'])]);
      return json({ taskHash: h, status: 'queued', resultUrl: `https://bucket/result/${h}`, statusUrl: `https://bucket/status/${h}` });
    }
    throw new Error(`unexpected ${url}`);
  }) as typeof fetch;
  for (const h of o.cached ?? []) results.set(h, encodeResult({ cached: ndarray('int32', [1], new Int32Array([7])) }));
  let t = 0;
  const client = (maxConcurrent?: number) => new TaskClient({
    backend: { label: 'lab', apiUrl: 'https://api' }, resultUrl: (h) => `https://bucket/result/${h}`, maxConcurrent,
    deps: { fetch: fetchFn, sleep: async (ms) => { t += ms; }, now: () => t, random: () => 0.5 },
  });
  return { client, calls, maxInFlight: () => maxInFlight, sleptMs: () => t };
}

const spec = (n: number, result: TaskRequest['result'] = z.unknown()): TaskRequest => ({ functionId: 'fetch_average_waveform.2', kwargs: { recording_uri: 'r', sorting_uri: 's', unit_id: n }, result });

async function settle(c: TaskClient, specs: TaskRequest[]): Promise<TaskRecord[]> {
  for (let i = 0; i < 1000; i++) {
    const recs = specs.map((s) => c.get(TaskClient.hashOf(s)));
    if (recs.every(isDone)) return recs as TaskRecord[];
    await new Promise((r) => setTimeout(r, 0));
  }
  throw new Error('tasks did not settle');
}

describe('TaskClient', () => {
  it('reads a cached result from the bucket without calling the API', async () => {
    const h = TaskClient.hashOf(spec(1));
    const b = fakeBackend({ cached: [h] });
    const c = b.client();
    c.request(spec(1));
    const [r] = await settle(c, [spec(1)]);
    expect(r).toMatchObject({ status: 'finished', source: 'bucket' });
    expect((r.result as { cached: { data: Int32Array } }).cached.data[0]).toBe(7);
    expect(b.calls.some((x) => x.startsWith('POST'))).toBe(false);
  });

  it('checks each result against its contract: a result of another shape is an error that says what to do', async () => {
    const h = TaskClient.hashOf(spec(1));
    const b = fakeBackend({ cached: [h] }); // holds {cached: int32 ndarray}
    const c = b.client();
    const expectsFloat = spec(1, z.object({ cached: ndarrayOf('float32') }));
    c.request(expectsFloat);
    const [r] = await settle(c, [expectsFloat]);
    expect(r.status).toBe('error');
    expect(r.result).toBeUndefined();
    expect(r.error).toMatch(/^The result of fetch_average_waveform\.2 is not what this page expects \(cached: expected a float32 array\)\. Reload the page/);
    // The same shape passes (control).
    const c2 = fakeBackend({ cached: [h] }).client();
    const expectsInt = spec(1, z.object({ cached: ndarrayOf('int32', 1) }));
    c2.request(expectsInt);
    expect((await settle(c2, [expectsInt]))[0].status).toBe('finished');
  });

  it('asks the API once for identical requests, polls the status, then reads the result', async () => {
    const b = fakeBackend({ statuses: ['running', 'running', 'finished'] });
    const c = b.client();
    c.request(spec(2));
    c.request(spec(2));
    const [r] = await settle(c, [spec(2)]);
    expect(r.source).toBe('computed');
    expect(Array.from((r.result as { x: { data: Float32Array } }).x.data)).toEqual([1, 2]);
    expect(b.calls.filter((x) => x.startsWith('POST'))).toHaveLength(1);
  });

  it('never shows "finished" before the result is read (API cache answer)', async () => {
    const b = fakeBackend({ apiSaysFinished: true });
    const c = b.client();
    const seen: TaskRecord[] = [];
    const h = TaskClient.hashOf(spec(3));
    c.subscribe(h, () => seen.push(c.get(h)!));
    c.request(spec(3));
    await settle(c, [spec(3)]);
    expect(seen.every((r) => r.status !== 'finished' || r.result !== undefined)).toBe(true);
    expect(c.get(h)!.source).toBe('api-cache');
  });

  it('keeps a task\'s error message, and runs it again on retry', async () => {
    const b = fakeBackend({ statuses: ['running', 'error'], fail: 'Unit 3 is not in the sorting' });
    const c = b.client();
    c.request(spec(4));
    const [r] = await settle(c, [spec(4)]);
    expect(r).toMatchObject({ status: 'error', error: 'Unit 3 is not in the sorting' });
    c.retry(spec(4));
    expect(c.get(TaskClient.hashOf(spec(4)))!.status).not.toBe('error');
  });

  it('waits and retries when the API rate-limits (429)', async () => {
    const b = fakeBackend({ rateLimited: 2 });
    const c = b.client();
    c.request(spec(5));
    const [r] = await settle(c, [spec(5)]);
    expect(r.status).toBe('finished');
    expect(b.calls.filter((x) => x.startsWith('POST'))).toHaveLength(3);
    expect(b.sleptMs()).toBeGreaterThanOrEqual(2000); // Retry-After: 1, twice
    expect(c.get(TaskClient.hashOf(spec(5)))!.busy).toEqual({ retryInSec: 1, atMs: 1000 });
  });

  it('tells a busy API answering without CORS headers (retry, showing the wait) from an unreachable one (fail, saying where)', async () => {
    const b = fakeBackend({ corsless: 2 });
    const c = b.client();
    const h = TaskClient.hashOf(spec(6));
    const busy: unknown[] = [];
    c.subscribe(h, () => { const r = c.get(h)!; if (r.busy && busy.at(-1) !== r.busy) busy.push(r.busy); });
    c.request(spec(6));
    const [r] = await settle(c, [spec(6)]);
    expect(r.status).toBe('finished');
    expect(b.calls.filter((x) => x.endsWith('https://api/v1/tasks'))).toEqual(['POST https://api/v1/tasks', 'PROBE https://api/v1/tasks', 'POST https://api/v1/tasks', 'PROBE https://api/v1/tasks', 'POST https://api/v1/tasks']);
    expect(busy).toEqual([{ retryInSec: 0.5, atMs: 0 }, { retryInSec: 1, atMs: 500 }]);

    const down = fakeBackend({ apiDown: true });
    const d = down.client();
    d.request(spec(7));
    const [e] = await settle(d, [spec(7)]);
    expect(e).toMatchObject({ status: 'error', error: 'The API at https://api cannot be reached (Failed to fetch): check the network connection and that the deployment is up.' });
  });

  it('keeps at most maxConcurrent tasks in flight', async () => {
    const b = fakeBackend({ statuses: ['running', 'running', 'finished'] });
    const c = b.client(2);
    const specs = [10, 11, 12, 13, 14].map((n) => spec(n));
    for (const s of specs) c.request(s);
    expect(specs.map((s) => c.get(TaskClient.hashOf(s))!.status).filter((st) => st === 'pending')).toHaveLength(3);
    await settle(c, specs);
    expect(b.maxInFlight()).toBeLessThanOrEqual(2);
  });
});
