// runTaskMessage on the in-memory BlobStore: every branch of a delivery, including the ones that
// guard against messages that reached the topic without the API (hash mismatch, unregistered data,
// diagnostic tasks off), redeliveries (already finished) and the data rounds with the relay.
import { describe, expect, it } from 'vitest';
import { DataSource } from '../../core/data/dataSource';
import { memoryBlobStore } from '../../core/ports/memoryBlobStore';
import { taskHash, taskResultPath, taskStatusPath, type RelayMessage, type TaskMessage } from '../../core/protocol';
import { TaskStore } from '../../core/tasks/taskStore';
import { MAX_DATA_ROUNDS, runTaskMessage, type WorkerDeps } from './runTaskMessage';

const REC = `sha1://${'a'.repeat(40)}/rec.nwb`;

function setup(over: Partial<WorkerDeps> = {}) {
  const blobs = memoryBlobStore();
  const relayRequests: RelayMessage[] = [];
  const logs: Record<string, unknown>[] = [];
  let ids = 0;
  const deps: WorkerDeps = {
    store: new TaskStore(blobs, { name: 'pub', publicStorageUrl: 'https://storage.example' }),
    context: { now: () => 5, sleep: async () => {}, data: new DataSource(async () => null) },
    dataRegistered: async () => true,
    requestChunks: async (r) => { relayRequests.push(r); },
    newId: () => `req-${++ids}`,
    now: () => 1_000,
    diagnosticTasks: true,
    log: (e) => logs.push(e),
    ...over,
  };
  const statusOf = (m: TaskMessage) => {
    const b = blobs.objects.get(taskStatusPath(m.backend, m.taskHash));
    return b ? JSON.parse(new TextDecoder().decode(b)) : null;
  };
  const resultOf = (m: TaskMessage) => blobs.objects.get(taskResultPath(m.backend, m.taskHash));
  return { blobs, relayRequests, logs, deps, statusOf, resultOf };
}
function message(functionId: string, kwargs: Record<string, unknown>, over: Partial<TaskMessage> = {}): TaskMessage {
  return { taskHash: taskHash(functionId, kwargs), functionId, kwargs, backend: 'lab', kind: 'pure', attempt: 0, ...over };
}

describe('runTaskMessage', () => {
  it('runs a task: result first, then finished', async () => {
    const { deps, statusOf, resultOf } = setup();
    const m = message('sortingview.test_sleep.1', { seconds: 0 });
    expect(await runTaskMessage(m, deps)).toBe('finished');
    expect(statusOf(m)).toEqual({ status: 'finished', updated: 1_000 });
    expect(JSON.parse(new TextDecoder().decode(resultOf(m)!))).toEqual({ sleptSeconds: 0 });
  });

  it('on a redelivery of a finished pure task writes no result again and says finished', async () => {
    const { deps, blobs, statusOf } = setup();
    const m = message('sortingview.test_sleep.1', { seconds: 0 });
    blobs.objects.set(taskResultPath('lab', m.taskHash), new TextEncoder().encode('{"sleptSeconds":0}'));
    let ran = false;
    const watched = { ...deps, context: { ...deps.context, sleep: async () => { ran = true; } } };
    expect(await runTaskMessage(m, watched)).toBe('already-finished');
    expect(ran).toBe(false);
    expect(statusOf(m).status).toBe('finished');
  });

  it('refuses a message whose hash does not match its function and kwargs', async () => {
    const { deps, statusOf, resultOf } = setup();
    const m = message('sortingview.test_sleep.1', { seconds: 0 }, { taskHash: 'f'.repeat(40) });
    expect(await runTaskMessage(m, deps)).toBe('error');
    expect(statusOf(m)).toMatchObject({ status: 'error', errorMessage: 'Task hash does not match functionId and kwargs' });
    expect(resultOf(m)).toBeUndefined();
  });

  it('refuses unknown tasks, diagnostic tasks where they are off, invalid kwargs and unregistered data', async () => {
    const cases: [Partial<WorkerDeps>, TaskMessage, RegExp][] = [
      [{}, message('nope.1', {}), /Unable to find task function: nope\.1/],
      [{ diagnosticTasks: false }, message('sortingview.test_sleep.1', { seconds: 0 }), /diagnostic task, off in this deployment/],
      [{}, message('sortingview.test_sleep.1', { seconds: -1 }), /Invalid kwargs for sortingview\.test_sleep\.1/],
      [{ dataRegistered: async () => false }, message('recording_info.3', { recording_uri: REC }), /not registered/],
    ];
    for (const [over, m, why] of cases) {
      const { deps, statusOf, relayRequests } = setup(over);
      expect(await runTaskMessage(m, deps), m.functionId).toBe('error');
      expect(statusOf(m).errorMessage).toMatch(why);
      expect(relayRequests).toEqual([]); // the relay is never asked for anything
    }
  });

  it('writes waiting-for-data before it asks the relay: a fast answer (the task finished by another instance) is never overwritten', async () => {
    const seen: (string | null)[] = [];
    const { deps, statusOf } = setup({ requestChunks: async () => { seen.push(statusOf(m)?.status ?? null); } });
    const m = message('recording_info.3', { recording_uri: REC });
    expect(await runTaskMessage(m, deps)).toBe('waiting-for-data');
    expect(seen).toEqual(['waiting-for-data']);
  });

  it('asks the relay for missing chunks with the next attempt, and gives up after MAX_DATA_ROUNDS', async () => {
    const { deps, statusOf, relayRequests } = setup();
    const m = message('recording_info.3', { recording_uri: REC });
    expect(await runTaskMessage(m, deps)).toBe('waiting-for-data');
    expect(statusOf(m).status).toBe('waiting-for-data');
    expect(relayRequests).toHaveLength(1);
    expect(relayRequests[0]).toMatchObject({
      requestId: 'req-1', backend: 'lab',
      chunks: [{ type: 'recordingInfo', recording: REC }, { type: 'object', uri: REC }],
      reply: { taskHash: m.taskHash, task: { ...m, attempt: 1 } },
    });
    expect(relayRequests[0]!.replace).toBeUndefined();

    const last = { ...m, attempt: MAX_DATA_ROUNDS };
    expect(await runTaskMessage(last, deps)).toBe('error');
    expect(statusOf(m).errorMessage).toBe(`Gave up after ${MAX_DATA_ROUNDS} rounds of waiting for data from the relay "lab"`);
    expect(relayRequests).toHaveLength(1);
  });

  it('turns a task\'s own failure into status error (acked), and logs it', async () => {
    const { deps, statusOf, logs } = setup();
    const m = message('sortingview.test_error.1', { message: 'bad unit' }, { kind: 'query' });
    expect(await runTaskMessage(m, deps)).toBe('error');
    expect(statusOf(m)).toMatchObject({ status: 'error', errorMessage: 'bad unit' });
    expect(logs.some((l) => l.message === 'task failed')).toBe(true);
  });

  it('lets a failure of the bucket through, so the delivery fails and Pub/Sub retries it', async () => {
    const broken = memoryBlobStore();
    broken.write = async () => { throw new Error('503 from Cloud Storage'); };
    const { deps } = setup({ store: new TaskStore(broken, { name: 'pub', publicStorageUrl: 'https://storage.example' }) });
    await expect(runTaskMessage(message('sortingview.test_sleep.1', { seconds: 0 }), deps)).rejects.toThrow('503 from Cloud Storage');
  });
});
