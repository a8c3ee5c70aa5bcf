import { apiErrorSchema, taskResponseSchema, taskStatusObjectSchema, type ClientTaskStatus, type Kwargs } from '../protocol/messages';
import { fetchWithPolicy, type BusyWait, type HttpPolicyDeps, type Probe } from './httpPolicy';

/**
 * The client side of a task, shared by the browser and the CLI: ask the API, then read status and
 * result from the public bucket (a cached result costs the API call and one GET). I/O is injected;
 * every request follows the one retry policy of ./httpPolicy.ts.
 */
export interface TaskClientDeps {
  fetch: typeof fetch;
  sleep(ms: number): Promise<void>;
  now(): number;
  /** Jitter of the busy backoff; Math.random when not given. */
  random?: () => number;
  /** Browsers only: tells a busy server (answering without CORS headers) from an unreachable one. */
  probe?: Probe;
}

export interface RunTaskOptions {
  apiUrl: string;
  backend: string;
  functionId: string;
  kwargs: Kwargs;
  onStatus?: (status: ClientTaskStatus, elapsedMs: number) => void;
  /** The server is busy and the request will be retried in `retryInSec`. */
  onWait?: (wait: BusyWait) => void;
  timeoutMs?: number;
  signal?: AbortSignal;
}

export class TaskFailed extends Error {
  override name = 'TaskFailed';
  constructor(message: string, readonly taskHash?: string) {
    super(message);
  }
}

/**
 * Polls fast at first and after each change of status (most tasks take well under a second), then
 * backs off to 1 s. The first look comes 20 ms after the API answered: a cached or trivial task is
 * finished by then (bench round-trip), so a miss costs the request plus one short wait.
 */
export function pollDelayMs(attempt: number): number {
  return Math.min(1000, 20 * 2 ** Math.min(attempt, 6));
}

export async function runTask(opts: RunTaskOptions, deps: TaskClientDeps): Promise<{ taskHash: string; result: unknown }> {
  const started = deps.now();
  const elapsed = () => deps.now() - started;
  const policy: HttpPolicyDeps = { fetch: deps.fetch, sleep: deps.sleep, random: deps.random ?? Math.random, probe: deps.probe, onWait: opts.onWait };
  const api = `the API at ${opts.apiUrl}`;
  const get = (url: string, init: RequestInit) => fetchWithPolicy(url, { ...init, signal: opts.signal }, policy, `the public bucket at ${originOf(url)}`);
  opts.onStatus?.('waiting', 0);
  const res = await fetchWithPolicy(`${opts.apiUrl.replace(/\/+$/, '')}/v1/tasks`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ backend: opts.backend, functionId: opts.functionId, kwargs: opts.kwargs }),
    signal: opts.signal,
  }, policy, api);
  const body = await res.json().catch(() => null);
  if (!res.ok) {
    const err = apiErrorSchema.safeParse(body);
    if (err.success) throw new TaskFailed(err.data.message);
    // Still busy after the policy's retries (Cloud Run's own 429 has no JSON body).
    if (res.status === 429 || res.status === 503) throw new TaskFailed(`The API at ${opts.apiUrl} is busy (${res.status} ${res.statusText}): try again in a minute`);
    throw new TaskFailed(`The API answered ${res.status} ${res.statusText}`);
  }
  const answer = taskResponseSchema.parse(body);
  let status: ClientTaskStatus = answer.status;
  opts.onStatus?.(status, elapsed());
  for (let attempt = 0; status !== 'finished'; attempt++) {
    if (status === 'error') throw new TaskFailed(answer.errorMessage ?? 'The task failed', answer.taskHash);
    if (opts.timeoutMs !== undefined && elapsed() > opts.timeoutMs) throw new TaskFailed(`Timed out after ${opts.timeoutMs} ms (status: ${status})`, answer.taskHash);
    if (opts.signal?.aborted) throw new TaskFailed('Canceled', answer.taskHash);
    await deps.sleep(pollDelayMs(attempt));
    const s = await get(answer.statusUrl, { cache: 'no-store' });
    if (s.status === 404) continue; // not written yet
    if (!s.ok) throw new TaskFailed(`Could not read the task status (${s.status})`, answer.taskHash);
    const parsed = taskStatusObjectSchema.parse(await s.json());
    if (parsed.status === 'error') throw new TaskFailed(parsed.errorMessage ?? 'The task failed', answer.taskHash);
    if (parsed.status !== status) {
      opts.onStatus?.(parsed.status, elapsed());
      // A task that just started running (or got its data) usually finishes within a second: poll
      // fast again rather than at the 1 s the wait in the queue had backed off to.
      attempt = -1;
    }
    status = parsed.status;
  }
  const r = await get(answer.resultUrl, {});
  if (!r.ok) throw new TaskFailed(`Problem getting return value for task (${r.status})`, answer.taskHash);
  return { taskHash: answer.taskHash, result: await r.json() };
}

function originOf(url: string): string {
  try {
    return new URL(url).origin;
  } catch {
    return url;
  }
}
