import { NeedChunks } from '../../core/data/dataSource';
import { encodeResult, taskHash, type RelayMessage, type TaskMessage } from '../../core/protocol';
import { findTask, isDiagnosticTask } from '../../core/tasks/catalog';
import { relayCostRefusal } from '../../core/tasks/cost';
import { findUnregistered, unregisteredMessage, type IsRegistered } from '../../core/tasks/dataKwargs';
import type { TaskContext } from '../../core/tasks/types';
import type { TaskStore } from '../../core/tasks/taskStore';

export interface WorkerDeps {
  store: TaskStore;
  context: TaskContext;
  /** Whether the backend registered this data URI (the private bucket's `objects/<label>/`, dataKwargs.ts registryCheck). */
  dataRegistered: IsRegistered;
  /** Publishes a batched chunk request to `sortingview-relay` (attribute backend). */
  requestChunks(request: RelayMessage): Promise<void>;
  newId(): string;
  now(): number;
  /** test_sleep / test_error run only where the deployment turned them on (config.ts). */
  diagnosticTasks?: boolean;
  log(entry: Record<string, unknown>): void;
}

export type RunOutcome = 'finished' | 'already-finished' | 'waiting-for-data' | 'error';

/**
 * A task gets this many rounds of "ask the relay, run again". Real tasks need two or three (info,
 * then traces or snippets); more means the relay keeps answering without the chunk.
 */
export const MAX_DATA_ROUNDS = 8;

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

  const task = findTask(msg.functionId, { diagnosticTasks: deps.diagnosticTasks });
  if (!task) {
    // A message can reach the topic without the API (anyone who may publish): the worker decides again.
    if (isDiagnosticTask(msg.functionId)) return fail(`${msg.functionId} is a diagnostic task, off in this deployment (SORTINGVIEW_DIAGNOSTIC_TASKS=1 turns it on)`);
    return fail(`Unable to find task function: ${msg.functionId}`);
  }
  if (taskHash(msg.functionId, msg.kwargs) !== msg.taskHash) return fail('Task hash does not match functionId and kwargs');
  const kwargs = task.kwargs.safeParse(msg.kwargs);
  if (!kwargs.success) return fail(`Invalid kwargs for ${msg.functionId}: ${kwargs.error.issues.map((i) => i.message).join('; ')}`);
  // The API's registry check, again, before the relay is asked for anything: anyone who may publish to
  // the topic could otherwise have the relay read data nobody registered.
  const unregistered = await findUnregistered(task, kwargs.data as Record<string, unknown>, msg.backend, deps.dataRegistered);
  if (unregistered) return fail(unregisteredMessage(unregistered, msg.backend));
  // The API's cost check, again (a message may reach the topic without it); tasks whose estimate needs
  // the recording check it themselves once they have read its info.
  if (!task.relayCostUsesRecording) {
    const tooCostly = relayCostRefusal(msg.functionId, task.relayCost(kwargs.data, null));
    if (tooCostly) return fail(tooCostly);
  }

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
    if (err instanceof NeedChunks) {
      if (msg.attempt >= MAX_DATA_ROUNDS) return fail(`Gave up after ${MAX_DATA_ROUNDS} rounds of waiting for data from the relay "${msg.backend}"`);
      // Error chunks older than the backoff are among the missing: the relay replaces them (no error is final).
      const replace = deps.context.data.replacements(err.specs);
      // The status first: once the request is out, the relay and another worker instance can finish
      // the task (error or finished) before this write would land, and a later 'waiting-for-data'
      // would stand for ever.
      await store.writeStatus(msg.backend, msg.taskHash, { status: 'waiting-for-data', updated: now() });
      await deps.requestChunks({
        requestId: deps.newId(), backend: msg.backend, chunks: err.specs,
        reply: { taskHash: msg.taskHash, task: { ...msg, attempt: msg.attempt + 1 } },
        ...(replace.length ? { replace } : {}),
      });
      return 'waiting-for-data';
    }
    deps.log({ severity: 'WARNING', message: 'task failed', functionId: msg.functionId, taskHash: msg.taskHash, error: String(err) });
    return fail((err as Error)?.message ?? String(err));
  }
  // The result is in the bucket before `finished` is announced, so a reader that sees `finished` finds it.
  await store.writeResult(msg.backend, msg.taskHash, task.kind, JSON.stringify(encodeResult(result)));
  await store.writeStatus(msg.backend, msg.taskHash, { status: 'finished', updated: now() });
  deps.log({ severity: 'INFO', message: 'task finished', functionId: msg.functionId, taskHash: msg.taskHash, ms: now() - started });
  return 'finished';
}
