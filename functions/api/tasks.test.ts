// requestTask on the in-memory BlobStore: validation, the cache, the in-flight answer, the race for
// `queued`, a failed publish, and the retry of a stale error.
import { describe, expect, it } from 'vitest';
import { memoryBlobStore } from '../../core/ports/memoryBlobStore';
import { taskHash, taskResultPath, taskStatusPath, type TaskMessage } from '../../core/protocol';
import { ERROR_RETRY_AFTER_MS } from '../../core/tasks/lifecycle';
import { TaskStore } from '../../core/tasks/taskStore';
import { HttpError } from './httpError';
import { requestTask, type TaskRequestDeps } from './tasks';

const SLEEP = 'sortingview.test_sleep.1';
const kwargs = { seconds: 1 };
const hash = taskHash(SLEEP, kwargs);

function setup(over: Partial<TaskRequestDeps> = {}) {
  const blobs = memoryBlobStore();
  const published: TaskMessage[] = [];
  let t = 1_000_000;
  const deps: TaskRequestDeps = {
    store: new TaskStore(blobs, { name: 'pub', publicStorageUrl: 'https://storage.example' }),
    publishTask: async (m) => { published.push(m); },
    backendExists: async (label) => label === 'lab',
    dataRegistered: async () => true,
    diagnosticTasks: true,
    now: () => t,
    ...over,
  };
  return { blobs, published, deps, advance: (ms: number) => { t += ms; } };
}
const ask = (deps: TaskRequestDeps, body: unknown = { backend: 'lab', functionId: SLEEP, kwargs }) => requestTask(body, deps, 'caller-1');
const status = (blobs: ReturnType<typeof memoryBlobStore>) => JSON.parse(new TextDecoder().decode(blobs.objects.get(taskStatusPath('lab', hash))!));

describe('requestTask', () => {
  it('queues and publishes a new task once, with its URLs and a hashed caller', async () => {
    const { blobs, published, deps } = setup();
    expect(await ask(deps)).toEqual({
      taskHash: hash, status: 'queued',
      resultUrl: `https://storage.example/pub/${taskResultPath('lab', hash)}`, statusUrl: `https://storage.example/pub/${taskStatusPath('lab', hash)}`,
    });
    expect(published).toHaveLength(1);
    expect(published[0]).toMatchObject({ taskHash: hash, functionId: SLEEP, kwargs, backend: 'lab', kind: 'pure', attempt: 0 });
    expect(published[0]!.caller).toMatch(/^[0-9a-f]{16}$/);
    expect(status(blobs).status).toBe('queued');
    // Asked again while queued: the same answer, nothing published.
    expect((await ask(deps)).status).toBe('queued');
    expect(published).toHaveLength(1);
  });

  it('answers a cached pure result without publishing', async () => {
    const { blobs, published, deps } = setup();
    blobs.objects.set(taskResultPath('lab', hash), new TextEncoder().encode('{}'));
    expect((await ask(deps)).status).toBe('finished');
    expect(published).toEqual([]);
  });

  it('publishes once when two identical requests race: only one wins the write of queued', async () => {
    const { published, deps } = setup();
    const answers = await Promise.all([ask(deps), ask(deps)]);
    expect(answers.map((a) => a.status)).toEqual(['queued', 'queued']);
    expect(published).toHaveLength(1);
  });

  it('marks the task errored and answers 503 when the publish fails', async () => {
    const { blobs, deps } = setup({ publishTask: async () => { throw new Error('Pub/Sub unavailable'); } });
    const err = await ask(deps).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(HttpError);
    expect((err as HttpError).status).toBe(503);
    expect(status(blobs)).toMatchObject({ status: 'error', errorMessage: 'Could not queue the task: Pub/Sub unavailable' });
  });

  it('answers a fresh error as it is, and runs the task again after the backoff', async () => {
    const { blobs, published, deps, advance } = setup();
    await deps.store.writeStatus('lab', hash, { status: 'error', errorMessage: 'boom', updated: deps.now() });
    expect(await ask(deps)).toMatchObject({ status: 'error', errorMessage: 'boom' });
    expect(published).toEqual([]);
    advance(ERROR_RETRY_AFTER_MS + 1);
    expect((await ask(deps)).status).toBe('queued');
    expect(published).toHaveLength(1);
    expect(status(blobs).status).toBe('queued');
  });

  it.each([
    [{ backend: 'lab', kwargs }, 400, 'invalid_request'],
    [{ backend: 'lab', functionId: 'nope.1', kwargs: {} }, 404, 'unknown_task'],
    [{ backend: 'lab', functionId: SLEEP, kwargs: { seconds: 3600 } }, 400, 'invalid_kwargs'],
    [{ backend: 'other', functionId: SLEEP, kwargs }, 404, 'unknown_backend'],
  ])('refuses %j with %i %s and writes nothing', async (body, code, error) => {
    const { blobs, published, deps } = setup();
    const err = await ask(deps, body).catch((e: unknown) => e);
    expect(err).toMatchObject({ status: code, code: error });
    expect(blobs.objects.size).toBe(0);
    expect(published).toEqual([]);
  });

  it('does not know the diagnostic tasks where the deployment has them off', async () => {
    const { deps } = setup({ diagnosticTasks: false });
    const err = await ask(deps).catch((e: unknown) => e) as HttpError;
    expect(err.status).toBe(404);
    expect(err.message).toContain('SORTINGVIEW_DIAGNOSTIC_TASKS=1');
  });
});
