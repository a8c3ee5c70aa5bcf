import { useEffect, useState } from 'react';
import { stableStringify } from '../../core/protocol';
import { describeKwargs } from './taskArgs';
import { Dialog } from '../components/Dialog';
import { describeStatus } from '../components/TaskStatus';
import type { TaskClient, TaskRecord } from '../data/taskClient';
import { useApp } from './context';

/** Counts for the app bar, re-read at most every 250 ms while tasks change. */
function useTaskCounts(client: TaskClient | null): { running: number; done: number; failed: number } {
  const [counts, setCounts] = useState({ running: 0, done: 0, failed: 0 });
  useEffect(() => {
    if (!client) return;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const recount = () => {
      timer = undefined;
      let running = 0, done = 0, failed = 0;
      for (const r of client.all()) {
        if (r.status === 'finished') done++;
        else if (r.status === 'error') failed++;
        else running++;
      }
      setCounts((c) => (c.running === running && c.done === done && c.failed === failed ? c : { running, done, failed }));
    };
    recount();
    const unsub = client.subscribeAll(() => { timer ??= setTimeout(recount, 250); });
    return () => { unsub(); clearTimeout(timer); };
  }, [client]);
  return counts;
}

export function TaskMonitorButton() {
  const { client } = useApp();
  const [open, setOpen] = useState(false);
  const c = useTaskCounts(client);
  if (!client) return null;
  return (
    <>
      <button type="button" id="task-monitor-button" className={`bar-button${c.failed ? ' has-errors' : ''}`} onClick={() => setOpen(true)} title="Task monitor: every task this page asked for">
        Tasks: {c.running ? `${c.running} running · ` : ''}{c.done} done{c.failed ? ` · ${c.failed} failed` : ''}
      </button>
      {open ? <TaskMonitorDialog client={client} onClose={() => setOpen(false)} /> : null}
    </>
  );
}

const fmtMs = (ms: number | undefined) => (ms === undefined ? '' : ms < 1000 ? `${Math.round(ms)} ms` : `${(ms / 1000).toFixed(1)} s`);
const sourceText = { bucket: 'cached (bucket)', 'api-cache': 'cached (API)', computed: 'computed' } as const;

function TaskMonitorDialog({ client, onClose }: { client: TaskClient; onClose: () => void }) {
  const [, setVersion] = useState(0);
  useEffect(() => {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const bump = () => { timer ??= setTimeout(() => { timer = undefined; setVersion((v) => v + 1); }, 200); };
    const unsub = client.subscribeAll(bump);
    const tick = setInterval(bump, 1000); // running durations
    return () => { unsub(); clearTimeout(timer); clearInterval(tick); };
  }, [client]);
  const [filter, setFilter] = useState<'all' | 'active' | 'failed'>('all');
  const records = client.all().filter((r) => filter === 'all' || (filter === 'failed' ? r.status === 'error' : r.status !== 'finished' && r.status !== 'error')).reverse();
  return (
    <Dialog title="Task monitor" onClose={onClose} id="task-monitor" wide>
      <div className="toolbar">
        {(['all', 'active', 'failed'] as const).map((f) => (
          <label key={f}><input type="radio" name="task-filter" checked={filter === f} onChange={() => setFilter(f)} /> {f}</label>
        ))}
        <span className="muted">Backend {client.backendLabel} · {records.length} tasks</span>
      </div>
      <div className="table-scroll">
        <table className="data-table">
          <thead><tr><th>Function</th><th>Arguments</th><th>Status</th><th>Duration</th><th>Cache</th></tr></thead>
          <tbody>
            {records.slice(0, 500).map((r) => <TaskRow key={r.hash} r={r} />)}
          </tbody>
        </table>
      </div>
    </Dialog>
  );
}

function TaskRow({ r }: { r: TaskRecord }) {
  const end = r.endedMs ?? performance.now();
  return (
    <tr className={`task-row status-${r.status}`}>
      <td>{r.functionId}</td>
      <td className="mono small task-args" title={stableStringify(r.kwargs)}>{describeKwargs(r.kwargs)}</td>
      <td>{r.status === 'error' ? <span className="error">error: {r.error}</span> : describeStatus(r)}</td>
      <td>{fmtMs(r.startedMs === undefined ? undefined : end - r.startedMs)}</td>
      <td>{r.source ? sourceText[r.source] : ''}</td>
    </tr>
  );
}
