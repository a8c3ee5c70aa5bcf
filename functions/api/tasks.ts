import { sha1Hex, taskHash, taskRequestSchema, type TaskMessage, type TaskResponse } from '../../core/protocol';
import { findTask, isDiagnosticTask } from '../../core/tasks/catalog';
import { relayCostRefusal, type RecordingFacts } from '../../core/tasks/cost';
import { findUnregistered, unregisteredMessage, type IsRegistered } from '../../core/tasks/dataKwargs';
import { decideOnRequest } from '../../core/tasks/lifecycle';
import type { TaskStore } from '../../core/tasks/taskStore';
import { describeZodError, HttpError } from './httpError';

export interface TaskRequestDeps {
  store: TaskStore;
  publishTask(message: TaskMessage): Promise<void>;
  /** Whether a backend of that label has announced itself. */
  backendExists(label: string): Promise<boolean>;
  /** Whether the backend's relay registered this data URI, in exactly this form (core/tasks/dataKwargs.ts registryCheck). */
  dataRegistered: IsRegistered;
  /** test_sleep / test_error are known only where the deployment turned them on (config.ts). */
  diagnosticTasks?: boolean;
  /** The facts of a recording from its cached recording_info.3 result, or null when none is cached (for relay cost estimates). */
  recordingFacts?(label: string, recordingUri: string): Promise<RecordingFacts | null>;
  /** How long an errored task is answered with its error before a request runs it again (lifecycle.ts ERROR_RETRY_AFTER_MS). */
  errorRetryAfterMs?: number;
  now(): number;
}

/**
 * `POST /v1/tasks`: validate, hash, answer from the cache or from the task in flight, else queue and
 * publish. Two identical requests racing both read "no status"; only one wins the
 * `ifGenerationMatch` write of `queued`, so only one publishes.
 */
export async function requestTask(
  body: unknown, deps: TaskRequestDeps,
  /** The caller's key (the rate limit's), hashed into the task message for the relay's fair queue. */
  callerKey?: string,
): Promise<TaskResponse> {
  const parsed = taskRequestSchema.safeParse(body);
  if (!parsed.success) throw new HttpError(400, 'invalid_request', `Invalid task request: ${describeZodError(parsed.error)}`);
  const { backend, functionId, kwargs } = parsed.data;

  const task = findTask(functionId, { diagnosticTasks: deps.diagnosticTasks });
  if (!task) {
    const why = isDiagnosticTask(functionId) ? ' It is a diagnostic task, off in this deployment (SORTINGVIEW_DIAGNOSTIC_TASKS=1 turns it on).' : '';
    throw new HttpError(404, 'unknown_task', `Unknown task function: ${functionId}.${why} GET /v1/health lists the task functions of this API.`);
  }
  const checked = task.kwargs.safeParse(kwargs);
  if (!checked.success) throw new HttpError(400, 'invalid_kwargs', `Invalid kwargs for ${functionId}: ${describeZodError(checked.error, 'kwargs')}`);
  if (!(await deps.backendExists(backend))) {
    throw new HttpError(404, 'unknown_backend', `No backend "${backend}" is registered in this deployment: start its relay with sortingview-start-backend --label ${backend}.`);
  }

  // Every kwarg that names data, as the task's schema declares them (not a hand list).
  const unregistered = await findUnregistered(task, checked.data as Record<string, unknown>, backend, deps.dataRegistered);
  if (unregistered) throw new HttpError(404, 'unregistered_data', `${unregisteredMessage(unregistered, backend)}.`);

  // What the relay would read for it, before anything is queued (core/tasks/cost.ts).
  const recordingUri = task.relayCostUsesRecording && typeof kwargs.recording_uri === 'string' ? kwargs.recording_uri : null;
  const facts = recordingUri && deps.recordingFacts ? await deps.recordingFacts(backend, recordingUri) : null;
  const tooCostly = relayCostRefusal(functionId, task.relayCost(checked.data, facts));
  if (tooCostly) throw new HttpError(400, 'too_costly', tooCostly);

  const hash = taskHash(functionId, kwargs);
  const { store } = deps;
  const answer = (status: TaskResponse['status'], errorMessage?: string): TaskResponse => ({
    taskHash: hash, status, resultUrl: store.resultUrl(backend, hash), statusUrl: store.statusUrl(backend, hash),
    ...(errorMessage ? { errorMessage } : {}),
  });

  const hasResult = task.kind === 'pure' ? await store.hasResult(backend, hash) : false;
  if (hasResult) return answer('finished');
  const { status, generation } = await store.readStatus(backend, hash);
  const decision = decideOnRequest({ kind: task.kind, hasResult, status, now: deps.now(), errorRetryAfterMs: deps.errorRetryAfterMs });
  if (decision.action === 'answer-in-flight') return answer(decision.status.status);
  // A fresh error is answered as it is; after the backoff the same request runs the task again.
  if (decision.action === 'answer-error') return answer('error', decision.status.errorMessage ?? 'The task failed');

  const won = await store.writeStatus(backend, hash, { status: 'queued', updated: deps.now() }, generation ?? 0);
  if (!won) return answer('queued'); // a concurrent request queued it a moment ago
  try {
    await deps.publishTask({ taskHash: hash, functionId, kwargs, backend, kind: task.kind, attempt: 0, ...(callerKey ? { caller: sha1Hex(callerKey).slice(0, 16) } : {}) });
  } catch (err) {
    const message = `Could not queue the task: ${(err as Error).message}`;
    await store.writeStatus(backend, hash, { status: 'error', errorMessage: message, updated: deps.now() });
    throw new HttpError(503, 'unavailable', `${message}. Try again shortly.`, { cause: err });
  }
  return answer('queued');
}
