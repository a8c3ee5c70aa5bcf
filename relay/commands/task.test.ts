import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Storage } from '@google-cloud/storage';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backendConfigPath } from '../../core/protocol';
import { startStorageEmulator, type StorageEmulator } from '../../emulator/storage';
import { taskCommand } from './task';

/**
 * `sortingview task` against a real HTTP API on loopback that is busy at first (429 with
 * Retry-After, as Node sees Cloud Run's refusal: no CORS here), and against a closed port.
 */
let emulator: StorageEmulator;
let storage: Storage;
let api: Server;
let apiUrl: string;
let busyLeft = 0;

const listen = (s: Server) => new Promise<string>((resolve) => s.listen(0, '127.0.0.1', () => resolve(`http://127.0.0.1:${(s.address() as AddressInfo).port}`)));
const close = (s: Server) => new Promise<void>((resolve) => s.close(() => resolve()));

async function registerBackend(label: string, url: string): Promise<string> {
  const config = { label, apiUrl: url, version: '0.1.0', taskFunctionIds: ['sortingview.get_backend_info.1'], timestamp: Date.now() };
  await storage.bucket('lab').file(backendConfigPath(label)).save(JSON.stringify(config), { resumable: false });
  return `gs://lab/sortingview-backends/${label}.json`;
}

beforeAll(async () => {
  emulator = await startStorageEmulator({ buckets: [{ name: 'lab', public: true }] });
  storage = new Storage({ projectId: 'sortingview-test', apiEndpoint: emulator.url });
  api = createServer((req, res) => {
    if (req.url === '/v1/tasks' && busyLeft > 0) {
      busyLeft--;
      return res.writeHead(429, { 'retry-after': '1', 'content-type': 'text/html' }).end('<h1>429 Too Many Requests</h1>');
    }
    const json = (body: unknown) => res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(body));
    if (req.url === '/v1/tasks') return json({ taskHash: 'a9993e364706816aba3e25717850c26c9cd0d89d', status: 'finished', resultUrl: `${apiUrl}/result`, statusUrl: `${apiUrl}/status` });
    if (req.url === '/result') return json({ version: '0.1.0' });
    res.writeHead(404).end();
  });
  apiUrl = await listen(api);
}, 60_000);
afterAll(async () => {
  if (api) await close(api);
  await emulator?.stop();
});

describe('sortingview task', () => {
  it('prints "server busy, retrying in N s" on its progress line while the API refuses with 429, then the result', async () => {
    busyLeft = 1;
    const backend = await registerBackend('busy', apiUrl);
    const progress: string[] = [];
    const out: string[] = [];
    await taskCommand('sortingview.get_backend_info.1', { backend, kwargs: '{}' }, { storage, stdout: (s) => out.push(s), progress: (s) => progress.push(s) });
    expect(progress).toEqual(['waiting', 'server busy, retrying in 1 s', 'finished']);
    expect(JSON.parse(out.join(''))).toEqual({ version: '0.1.0' });
  });

  it('says the API cannot be reached when its port is closed', async () => {
    const gone = createServer();
    const goneUrl = await listen(gone);
    await close(gone);
    const backend = await registerBackend('gone', goneUrl);
    await expect(taskCommand('sortingview.get_backend_info.1', { backend, kwargs: '{}' }, { storage, stdout: () => {}, progress: () => {} }))
      .rejects.toMatchObject({ name: 'CliError', message: `The API at ${goneUrl} cannot be reached (fetch failed: ECONNREFUSED): check the network connection and that the deployment is up.` });
  });
});
