import type { ReactNode } from 'react';
import { busyText } from '../../core/client/httpPolicy';
import { BACKEND_ALIVE_MS, isBackendAlive } from '../../core/protocol';
import type { TaskRequest } from '../../core/tasks/contract';
import { useApp } from '../app/context';
import type { TaskRecord } from '../data/taskClient';
import { useElapsed } from '../data/useTask';

/**
 * What a view shows while its data is on the way, and when it failed: never a silent blank or an
 * endless spinner. Every state says what is happening, for how long, and what to do about an error.
 */
const statusText: Record<string, string> = {
  pending: 'waiting for a free request slot',
  waiting: 'asking the API',
  queued: 'queued',
  'waiting-for-data': 'waiting for the relay to send data',
  running: 'computing',
  finished: 'done',
  error: 'failed',
};

export function describeStatus(rec: TaskRecord | undefined): string {
  return rec ? statusText[rec.status] ?? rec.status : 'starting';
}

/**
 * "Server busy, retrying in N s" while a busy wait (core/client/httpPolicy.ts) is counting down,
 * `sinceBusyMs` after it began; null once the retry went out, so the line shows the status again.
 */
export function describeBusy(busy: TaskRecord['busy'], sinceBusyMs: number): string | null {
  if (!busy) return null;
  const leftSec = busy.retryInSec - sinceBusyMs / 1000;
  return leftSec > 0 ? busyText(leftSec) : null;
}

export function TaskStatusLine({ rec, label, spec, compact }: { rec: TaskRecord<unknown> | undefined; label: string; spec?: TaskRequest<unknown>; compact?: boolean }): ReactNode {
  const { client, backend, backendError } = useApp();
  const running = !!rec && rec.status !== 'finished' && rec.status !== 'error';
  const elapsed = useElapsed(rec?.startedMs ?? rec?.requestedMs, running);
  const sinceBusy = useElapsed(rec?.busy?.atMs, running);
  if (!client) {
    return <div className="task-status error" role="alert">{backendError ? `No backend: ${backendError}` : 'No backend chosen: pass ?backend=… or choose one on the home page.'}</div>;
  }
  if (rec?.status === 'error') {
    return (
      <div className="task-status error" role="alert" data-task={rec.functionId}>
        {compact ? null : <strong>{label}: </strong>}{rec.error}
        {spec ? <> <button type="button" className="link-button" onClick={() => client.retry(spec)}>Retry</button></> : null}
        {compact ? null : <div className="muted small">{rec.functionId} · task {rec.hash.slice(0, 10)}</div>}
      </div>
    );
  }
  if (rec?.status === 'finished') return null;
  const seconds = elapsed / 1000;
  const stale = backend && !isBackendAlive(backend, Date.now());
  const text = (running ? describeBusy(rec?.busy, sinceBusy) : null) ?? describeStatus(rec);
  return (
    <div className="task-status" data-task={rec?.functionId} role="status">
      <span className="spinner" aria-hidden="true" />
      {compact ? text : `${label}: ${text}`}{seconds >= 1 ? ` (${seconds.toFixed(0)} s)` : '…'}
      {running && seconds > 10 && stale ? <div className="warn small">The backend has not reported for over {BACKEND_ALIVE_MS / 1000} s: is its relay (sortingview-start-backend) running?</div> : null}
      {running && seconds > 60 && !stale ? <div className="muted small">Large computations can take minutes; the result is cached for everyone once done.</div> : null}
    </div>
  );
}

/** Renders `children(result)` once the task finished, and its status until then. */
export function TaskGate<T>({ rec, label, spec, children, compact }: {
  rec: TaskRecord<T> | undefined; label: string; spec?: TaskRequest<T>; compact?: boolean; children: (result: T) => ReactNode;
}): ReactNode {
  if (rec?.status === 'finished') return children(rec.result!);
  return <TaskStatusLine rec={rec} label={label} spec={spec} compact={compact} />;
}
