import { useCallback, useEffect, useMemo, useState, useSyncExternalStore } from 'react';
import type { TaskRequest } from '../../core/tasks/contract';
import { useApp } from '../app/context';
import { TaskClient, type TaskRecord } from './taskClient';

/**
 * The record of a task (starting it when new), re-rendering when it changes. `spec` null: nothing
 * asked yet (e.g. inputs still loading). Without a connected backend the record stays undefined and
 * the caller shows why (useBackendProblem).
 */
export function useTask<R>(spec: TaskRequest<R> | null): TaskRecord<R> | undefined {
  const { client } = useApp();
  // The request is rebuilt on every render; its task hash says when it is another task.
  const hash = spec ? TaskClient.hashOf(spec) : '';
  // eslint-disable-next-line react-hooks/exhaustive-deps
  const stable = useMemo(() => spec, [hash]);
  useEffect(() => {
    if (stable && client) client.request(stable);
  }, [stable, client]);
  const subscribe = useCallback((fn: () => void) => (hash && client ? client.subscribe(hash, fn) : () => {}), [hash, client]);
  // The client checked the result against `spec.result` (the same contract's guard) when it arrived.
  return useSyncExternalStore(subscribe, () => (hash && client ? client.get(hash) : undefined)) as TaskRecord<R> | undefined;
}

/** Several tasks at once (e.g. one per unit), in the order of `specs`. */
export function useTasks<R>(specs: readonly TaskRequest<R>[]): (TaskRecord<R> | undefined)[] {
  const { client } = useApp();
  const key = specs.map((s) => TaskClient.hashOf(s)).join(',');
  // eslint-disable-next-line react-hooks/exhaustive-deps
  const stable = useMemo(() => specs, [key]);
  const hashes = useMemo(() => (key ? key.split(',') : []), [key]);
  useEffect(() => {
    if (client) for (const s of stable) client.request(s);
  }, [stable, client]);
  const [, bump] = useState(0);
  useEffect(() => {
    if (!client) return;
    let scheduled = false;
    const onChange = () => {
      if (scheduled) return;
      scheduled = true;
      requestAnimationFrame(() => { scheduled = false; bump((n) => n + 1); });
    };
    const unsubs = hashes.map((h) => client.subscribe(h, onChange));
    return () => unsubs.forEach((u) => u());
  }, [hashes, client]);
  return hashes.map((h) => client?.get(h) as TaskRecord<R> | undefined);
}

/** Milliseconds since `startMs`, updated twice a second while `running`. */
export function useElapsed(startMs: number | undefined, running: boolean): number {
  const [now, setNow] = useState(() => performance.now());
  useEffect(() => {
    if (!running) return;
    const id = setInterval(() => setNow(performance.now()), 500);
    return () => clearInterval(id);
  }, [running]);
  return startMs === undefined ? 0 : Math.max(0, (running ? now : performance.now()) - startMs);
}
