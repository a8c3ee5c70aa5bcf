import { encodeResult, taskHash, type TaskMessage } from '../../core/protocol';
import { findTask } from '../../core/tasks/catalog';
import type { TaskContext } from '../../core/tasks/types';
import type { TaskStore } from '../shared/taskStore';

export interface WorkerDeps {
  store: TaskStore;
  context: TaskContext;
  now(): number;
  log(entry: Record<string, unknown>): void;
}

export type RunOutcome = 'finished' | 'already-finished' | 'error';

/**
 * Runs one task message. Safe to run twice for the same message (Pub/Sub is at-least-once): a pure
 * result is written once and never replaced, and the status only ever ends at `finished` or `error`.
 * The task's own failures become status `error` (returned, so the message is acked); failures of the
 * bucket are thrown, so the delivery fails and Pub/Sub retries it.
 */
export async function runTaskMessage(msg: TaskMessage, deps: WorkerDeps): Promise<RunOutcome> {
  const { store, now } = deps;
  const fail = async (errorMessage: string): Promise<RunOutcome> => {
    await store.writeStatus(msg.backend, msg.taskHash, { status: 'error', errorMessage, updated: now() });
    return 'error';
  };

  const task = findTask(msg.functionId);
  if (!task) return fail(`Unable to find task function: ${msg.functionId}`);
  if (taskHash(msg.functionId, msg.kwargs) !== msg.taskHash) return fail('Task hash does not match functionId and kwargs');
  const kwargs = task.kwargs.safeParse(msg.kwargs);
  if (!kwargs.success) return fail(`Invalid kwargs for ${msg.functionId}: ${kwargs.error.issues.map((i) => i.message).join('; ')}`);

  if (task.kind === 'pure' && (await store.hasResult(msg.backend, msg.taskHash))) {
    await store.writeStatus(msg.backend, msg.taskHash, { status: 'finished', updated: now() });
    return 'already-finished';
  }

  await store.writeStatus(msg.backend, msg.taskHash, { status: 'running', updated: now() });
  const started = now();
  let result: unknown;
  try {
    result = await task.run(kwargs.data, deps.context);
  } catch (err) {
    deps.log({ severity: 'WARNING', message: 'task failed', functionId: msg.functionId, taskHash: msg.taskHash, error: String(err) });
    return fail((err as Error)?.message ?? String(err));
  }
  // The result is in the bucket before `finished` is announced, so a reader that sees `finished` finds it.
  await store.writeResult(msg.backend, msg.taskHash, task.kind, JSON.stringify(encodeResult(result)));
  await store.writeStatus(msg.backend, msg.taskHash, { status: 'finished', updated: now() });
  deps.log({ severity: 'INFO', message: 'task finished', functionId: msg.functionId, taskHash: msg.taskHash, ms: now() - started });
  return 'finished';
}
