import { runTask } from '../core/client/runTask';
import { resultToPlainJson } from '../core/protocol';
import { taskFunctionIds } from '../core/tasks/catalog';
import { fetchBackendConfig, isBackendAlive } from './backend';
import { loadWebConfig } from './config';

/**
 * The home page for now: choose a backend, see whether it is alive and what it runs, and run a task
 * through the whole path. The GUI issue replaces this with the full app.
 */
const app = document.getElementById('app')!;

function el<K extends keyof HTMLElementTagNameMap>(tag: K, props: Record<string, string | boolean> = {}, ...children: (Node | string)[]): HTMLElementTagNameMap[K] {
  const node = Object.assign(document.createElement(tag), props);
  node.append(...children);
  return node;
}

async function main(): Promise<void> {
  let config;
  try {
    config = await loadWebConfig();
  } catch (err) {
    app.replaceChildren(el('p', { className: 'error' }, String((err as Error).message)));
    return;
  }
  const params = new URLSearchParams(location.search);
  const backendUri = params.get('backend') ?? config.defaultBackendUri ?? '';
  const input = el('input', { type: 'text', value: backendUri, placeholder: 'gs://<bucket>/sortingview-backends/<label>.json', name: 'backend' });
  const form = el('form', {}, input, el('button', { type: 'submit' }, 'Connect'));
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    params.set('backend', input.value.trim());
    location.search = params.toString();
  });
  const status = el('section', { id: 'backend-status' }, el('p', { className: 'muted' }, backendUri ? 'Reading backend config…' : 'Paste a Backend URI above.'));
  app.replaceChildren(el('section', {}, el('h2', {}, 'Backend'), form), status);
  if (backendUri) await showBackend(config.storageUrl, backendUri, status);
}

async function showBackend(storageUrl: string, backendUri: string, section: HTMLElement): Promise<void> {
  let backend;
  try {
    backend = await fetchBackendConfig(storageUrl, backendUri);
  } catch (err) {
    section.replaceChildren(el('h2', {}, 'Backend status'), el('p', { className: 'error', id: 'backend-error' }, (err as Error).message));
    return;
  }
  const needed = taskFunctionIds();
  const available = needed.filter((id) => backend.taskFunctionIds.includes(id));
  const alive = isBackendAlive(backend, Date.now());
  const ageSec = Math.round((Date.now() - backend.timestamp) / 1000);
  const output = el('div', { id: 'task-output' });
  const button = el('button', { type: 'button', id: 'run-backend-info' }, 'Run get_backend_info');
  button.addEventListener('click', async () => {
    button.disabled = true;
    const line = el('p', { className: 'muted', id: 'task-progress' }, 'waiting…');
    output.replaceChildren(line);
    try {
      const { result } = await runTask({
        apiUrl: backend.apiUrl, backend: backend.label, functionId: 'sortingview.get_backend_info.1', kwargs: {},
        onStatus: (s, ms) => { line.textContent = `${s} (${(ms / 1000).toFixed(1)} s)`; }, timeoutMs: 120_000,
      }, { fetch: (...a) => fetch(...a), sleep: (ms) => new Promise((r) => setTimeout(r, ms)), now: () => performance.now() });
      output.append(el('pre', { id: 'task-result' }, JSON.stringify(resultToPlainJson(result), null, 2)));
    } catch (err) {
      output.append(el('p', { className: 'error', id: 'task-error' }, (err as Error).message));
    } finally {
      button.disabled = false;
    }
  });
  section.replaceChildren(
    el('h2', {}, `Backend ${backend.label}`),
    el('dl', {},
      el('dt', {}, 'Status'), el('dd', { className: alive ? 'alive' : 'dead', id: 'backend-alive' }, alive ? `alive (seen ${ageSec} s ago)` : `not alive (last seen ${ageSec} s ago)`),
      el('dt', {}, 'Version'), el('dd', { id: 'backend-version' }, backend.version),
      el('dt', {}, 'Task functions'), el('dd', { id: 'backend-health' }, `${available.length} of ${needed.length} task functions available`),
      el('dt', {}, 'API'), el('dd', {}, backend.apiUrl),
    ),
    el('p', {}, button), output,
  );
}

void main();
