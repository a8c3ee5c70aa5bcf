import { useCallback, useEffect, useMemo, useState, useSyncExternalStore } from 'react';
import { stableStringify } from '../../core/protocol';
import type { TaskSpec } from '../../core/tasks/viewKwargs';
import { useApp } from '../app/context';
import { TaskClient, type TaskRecord } from './taskClient';

/**
 * The record of a task (starting it when new), re-rendering when it changes. `spec` null: nothing
 * asked yet (e.g. inputs still loading). Without a connected backend the record stays undefined and
 * the caller shows why (useBackendProblem).
 */
export function useTask(spec: TaskSpec | null): TaskRecord | undefined {
  const { client } = useApp();
  const key = spec ? stableStringify(spec) : '';
  // eslint-disable-next-line react-hooks/exhaustive-deps
  const stable = useMemo(() => spec, [key]);
  const hash = useMemo(() => (stable ? TaskClient.hashOf(stable) : ''), [stable]);
  useEffect(() => {
    if (stable && client) client.request(stable);
  }, [stable, client]);
  const subscribe = useCallback((fn: () => void) => (hash && client ? client.subscribe(hash, fn) : () => {}), [hash, client]);
  return useSyncExternalStore(subscribe, () => (hash && client ? client.get(hash) : undefined));
}

/** Several tasks at once (e.g. one per unit), in the order of `specs`. */
export function useTasks(specs: readonly TaskSpec[]): (TaskRecord | undefined)[] {
  const { client } = useApp();
  const key = stableStringify(specs);
  // eslint-disable-next-line react-hooks/exhaustive-deps
  const stable = useMemo(() => specs, [key]);
  const hashes = useMemo(() => stable.map((s) => TaskClient.hashOf(s)), [stable]);
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
  return hashes.map((h) => client?.get(h));
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
