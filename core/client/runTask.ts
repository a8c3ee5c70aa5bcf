import { apiErrorSchema, taskResponseSchema, taskStatusObjectSchema, type ClientTaskStatus, type Kwargs } from '../protocol/messages';

/**
 * The client side of a task, shared by the browser and the CLI: ask the API, then read status and
 * result from the public bucket (a cached result costs the API call and one GET). I/O is injected.
 */
export interface TaskClientDeps {
  fetch: typeof fetch;
  sleep(ms: number): Promise<void>;
  now(): number;
}

export interface RunTaskOptions {
  apiUrl: string;
  backend: string;
  functionId: string;
  kwargs: Kwargs;
  onStatus?: (status: ClientTaskStatus, elapsedMs: number) => void;
  timeoutMs?: number;
  signal?: AbortSignal;
}

export class TaskFailed extends Error {
  override name = 'TaskFailed';
  constructor(message: string, readonly taskHash?: string) {
    super(message);
  }
}

/** Polls fast at first (most tasks take well under a second), then backs off to 1 s. */
export function pollDelayMs(attempt: number): number {
  return Math.min(1000, 50 * 2 ** Math.min(attempt, 5));
}

export async function runTask(opts: RunTaskOptions, deps: TaskClientDeps): Promise<{ taskHash: string; result: unknown }> {
  const started = deps.now();
  const elapsed = () => deps.now() - started;
  opts.onStatus?.('waiting', 0);
  const res = await deps.fetch(`${opts.apiUrl.replace(/\/+$/, '')}/v1/tasks`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ backend: opts.backend, functionId: opts.functionId, kwargs: opts.kwargs }),
    signal: opts.signal,
  });
  const body = await res.json().catch(() => null);
  if (!res.ok) {
    const err = apiErrorSchema.safeParse(body);
    throw new TaskFailed(err.success ? err.data.message : `The API answered ${res.status} ${res.statusText}`);
  }
  const answer = taskResponseSchema.parse(body);
  let status: ClientTaskStatus = answer.status;
  opts.onStatus?.(status, elapsed());
  for (let attempt = 0; status !== 'finished'; attempt++) {
    if (status === 'error') throw new TaskFailed(answer.errorMessage ?? 'The task failed', answer.taskHash);
    if (opts.timeoutMs !== undefined && elapsed() > opts.timeoutMs) throw new TaskFailed(`Timed out after ${opts.timeoutMs} ms (status: ${status})`, answer.taskHash);
    if (opts.signal?.aborted) throw new TaskFailed('Canceled', answer.taskHash);
    await deps.sleep(pollDelayMs(attempt));
    const s = await deps.fetch(answer.statusUrl, { cache: 'no-store', signal: opts.signal });
    if (s.status === 404) continue; // not written yet
    if (!s.ok) throw new TaskFailed(`Could not read the task status (${s.status})`, answer.taskHash);
    const parsed = taskStatusObjectSchema.parse(await s.json());
    if (parsed.status === 'error') throw new TaskFailed(parsed.errorMessage ?? 'The task failed', answer.taskHash);
    if (parsed.status !== status) opts.onStatus?.(parsed.status, elapsed());
    status = parsed.status;
  }
  const r = await deps.fetch(answer.resultUrl, { signal: opts.signal });
  if (!r.ok) throw new TaskFailed(`Problem getting return value for task (${r.status})`, answer.taskHash);
  return { taskHash: answer.taskHash, result: await r.json() };
}
