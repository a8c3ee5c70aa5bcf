import { useEffect, useState, type FormEvent } from 'react';
import { busyText, noCorsProbe } from '../../core/client/httpPolicy';
import { runTask } from '../../core/client/runTask';
import { parseWorkspaceUri } from '../../core/feeds';
import { resultToPlainJson, type BackendConfig } from '../../core/protocol';
import { useApp } from '../app/context';
import { webTaskFunctionIds } from '../app/taskContracts';
import { fetchBackendConfig, isBackendAlive } from '../backend';
import { backendsToShow, forgetBackend, parseRecentBackends, RECENT_BACKENDS_KEY, type RecentBackend } from './recentBackends';

/** Home: choose a backend (pasted, from the link, recently used or the deployment's default) and open a workspace. */
export function HomePage() {
  const { route, navigate, backendUri, config } = useApp();
  const [input, setInput] = useState(backendUri ?? '');
  useEffect(() => setInput(backendUri ?? ''), [backendUri]);
  const connect = (e: FormEvent) => {
    e.preventDefault();
    navigate({ ...route, backend: input.trim() || undefined });
  };
  return (
    <main className="page-narrow">
      <section>
        <h2>Backend</h2>
        <p className="muted small">A Backend URI names the public config a lab's relay keeps fresh; <code>sortingview-start-backend</code> prints it.</p>
        <form onSubmit={connect}>
          <input type="text" name="backend" id="backend-input" value={input} onChange={(e) => setInput(e.target.value)}
            placeholder="gs://<bucket>/sortingview-backends/<label>.json" aria-label="Backend URI" />
          <button type="submit">Connect</button>
        </form>
      </section>
      {backendUri ? <BackendStatus /> : <section><p className="muted">Paste a Backend URI above{config.defaultBackendUri ? '' : ' (this deployment has no default backend)'}.</p></section>}
      <RecentBackends />
      <OpenWorkspace />
    </main>
  );
}

function BackendStatus() {
  const { backend, backendError, backendUri } = useApp();
  if (backendError) {
    return <section id="backend-status"><h2>Backend status</h2><p className="error" id="backend-error" role="alert">{backendError}</p></section>;
  }
  if (!backend) return <section id="backend-status"><p className="muted">Reading the backend config of {backendUri}…</p></section>;
  const needed = webTaskFunctionIds();
  const available = needed.filter((id) => backend.taskFunctionIds.includes(id));
  const missing = needed.filter((id) => !backend.taskFunctionIds.includes(id));
  const alive = isBackendAlive(backend, Date.now());
  const ageSec = Math.round((Date.now() - backend.timestamp) / 1000);
  return (
    <section id="backend-status">
      <h2>Backend {backend.label}</h2>
      <dl>
        <dt>Status</dt><dd className={alive ? 'alive' : 'dead'} id="backend-alive">{alive ? `alive (seen ${ageSec} s ago)` : `not alive (last seen ${ageSec} s ago)`}</dd>
        <dt>Version</dt><dd id="backend-version">{backend.version}</dd>
        <dt>Task functions</dt><dd id="backend-health" className={missing.length ? 'dead' : 'alive'}>{`${available.length} of ${needed.length} task functions available`}</dd>
        {missing.length && missing.length < needed.length ? <><dt>Missing</dt><dd className="small">{missing.join(', ')} (the backend runs another version of sortingview)</dd></> : null}
        <dt>API</dt><dd>{backend.apiUrl}</dd>
      </dl>
      <RunBackendInfo backend={backend} />
    </section>
  );
}

/** Runs one task through the whole path (API, Pub/Sub, worker, bucket), as a live check. */
function RunBackendInfo({ backend }: { backend: BackendConfig }) {
  const [state, setState] = useState<{ running: boolean; progress?: string; result?: string; error?: string }>({ running: false });
  const run = async () => {
    setState({ running: true, progress: 'waiting…' });
    try {
      const { result } = await runTask({
        apiUrl: backend.apiUrl, backend: backend.label, functionId: 'sortingview.get_backend_info.1', kwargs: {}, timeoutMs: 120_000,
        onStatus: (s, ms) => setState((x) => ({ ...x, progress: `${s} (${(ms / 1000).toFixed(1)} s)` })),
        onWait: ({ retryInSec }) => setState((x) => ({ ...x, progress: busyText(retryInSec) })),
      }, {
        fetch: (...a) => fetch(...a), sleep: (ms) => new Promise((r) => setTimeout(r, ms)), now: () => performance.now(),
        // A busy Cloud Run answers 429 without CORS: only the probe tells that from an API that is down.
        probe: noCorsProbe((...a) => fetch(...a)),
      });
      setState((x) => ({ ...x, running: false, result: JSON.stringify(resultToPlainJson(result), null, 2) }));
    } catch (err) {
      setState((x) => ({ ...x, running: false, error: (err as Error).message }));
    }
  };
  return (
    <div>
      <p><button type="button" id="run-backend-info" onClick={run} disabled={state.running}>Run get_backend_info</button></p>
      {state.progress ? <p className="muted" id="task-progress">{state.progress}</p> : null}
      {state.result ? <pre id="task-result">{state.result}</pre> : null}
      {state.error ? <p className="error" id="task-error">{state.error}</p> : null}
    </div>
  );
}

function RecentBackends() {
  const { config, navigate, route } = useApp();
  const [list, setList] = useState<RecentBackend[]>(() => parseRecentBackends(safeGet(RECENT_BACKENDS_KEY)));
  const [alive, setAlive] = useState<Record<string, { state: string; label?: string }>>({});
  const shown = backendsToShow(list, config.defaultBackendUri);
  const uris = shown.map((b) => b.uri).join('\n');
  useEffect(() => {
    let cancelled = false;
    for (const uri of uris ? uris.split('\n') : []) {
      fetchBackendConfig(config.storageUrl, uri).then(
        (b) => !cancelled && setAlive((a) => ({ ...a, [uri]: { state: isBackendAlive(b, Date.now()) ? 'alive' : 'not alive', label: b.label } })),
        (err: Error) => !cancelled && setAlive((a) => ({ ...a, [uri]: { state: /No backend/.test(err.message) ? 'no such backend' : 'unreachable' } })),
      );
    }
    return () => { cancelled = true; };
  }, [uris, config.storageUrl]);
  if (!shown.length) return null;
  const forget = (uri: string) => {
    const next = forgetBackend(list, uri);
    setList(next);
    try { localStorage.setItem(RECENT_BACKENDS_KEY, JSON.stringify(next)); } catch { /* convenience only */ }
  };
  return (
    <section>
      <h2>Recently used backends</h2>
      <table className="data-table" id="recent-backends">
        <thead><tr><th>Backend</th><th>URI</th><th>Alive</th><th /></tr></thead>
        <tbody>
          {shown.map((b) => (
            <tr key={b.uri}>
              <td><a href="#" onClick={(e) => { e.preventDefault(); navigate({ ...route, backend: b.uri }); }}>{alive[b.uri]?.label ?? b.label}</a>{b.isDefault ? <span className="chip">default</span> : null}</td>
              <td className="mono small">{b.uri}</td>
              <td className={alive[b.uri]?.state === 'alive' ? 'alive' : alive[b.uri] ? 'dead' : 'muted'}>{alive[b.uri]?.state ?? '…'}</td>
              <td>{b.lastUsed > 0 ? <button type="button" className="link-button" onClick={() => forget(b.uri)}>Forget</button> : null}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}

function OpenWorkspace() {
  const { navigate, route, backendUri } = useApp();
  const [text, setText] = useState('');
  const [error, setError] = useState<string | null>(null);
  const open = (e: FormEvent) => {
    e.preventDefault();
    try {
      parseWorkspaceUri(text);
      setError(null);
      navigate({ backend: route.backend, workspace: text.trim() });
    } catch (err) {
      setError((err as Error).message);
    }
  };
  return (
    <section>
      <h2>Workspace</h2>
      <form onSubmit={open}>
        <input type="text" id="workspace-input" value={text} onChange={(e) => setText(e.target.value)} placeholder="workspace://<64 hex digits>" aria-label="Workspace URI" />
        <button type="submit">Open</button>
      </form>
      {error ? <p className="error" role="alert">{error}</p> : null}
      <p className="muted small">Create one next to the data with <code>sortingview workspace create --label my-workspace{backendUri ? ` --backend ${backendUri}` : ''}</code>; it prints the workspace URI and a link.</p>
    </section>
  );
}

function safeGet(key: string): string | null {
  try {
    return localStorage.getItem(key);
  } catch {
    return null;
  }
}
