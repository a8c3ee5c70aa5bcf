import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { Storage } from '@google-cloud/storage';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runTask } from '../../core/client/runTask';
import { taskHash, taskResultPath, taskStatusPath } from '../../core/protocol';
import { taskFunctionIds } from '../../core/tasks/catalog';
import { SORTINGVIEW_VERSION } from '../../core/version';
import type { LocalStack } from '../../emulator/stack';
import { startTestStack, waitFor } from './stackHarness';

/**
 * The task spine end to end: API function → Pub/Sub → push bridge → worker function → bucket,
 * with the real client libraries against the emulators, as `npm start` runs it.
 */
let stack: LocalStack;
let bucket: ReturnType<Storage['bucket']>;
const clientDeps = { fetch, sleep: (ms: number) => new Promise<void>((r) => setTimeout(r, ms)), now: () => performance.now() };
const post = (body: string, headers: Record<string, string> = { 'content-type': 'application/json' }) =>
  fetch(`${stack.apiUrl}/v1/tasks`, { method: 'POST', headers, body });

beforeAll(async () => {
  stack = await startTestStack({ auth: false });
  bucket = new Storage({ projectId: 'demo-sortingview', apiEndpoint: stack.storage.url }).bucket(stack.bucket);
}, 120_000);
afterAll(async () => stack?.stop());

describe('task spine', () => {
  it('runs get_backend_info through API → Pub/Sub → worker → bucket', async () => {
    const { result } = await runTask({ apiUrl: stack.apiUrl, backend: stack.label, functionId: 'sortingview.get_backend_info.1', kwargs: {}, timeoutMs: 20_000 }, clientDeps);
    expect(result).toEqual({ version: SORTINGVIEW_VERSION, taskFunctionIds: taskFunctionIds({ diagnosticTasks: true }) });
  });

  it('publishes a pure task once however often it is asked, then answers from the cache', async () => {
    const kwargs = { seconds: 1 };
    const hash = taskHash('sortingview.test_sleep.1', kwargs);
    const okBefore = stack.bridge.stats().delivered;
    const body = JSON.stringify({ backend: stack.label, functionId: 'sortingview.test_sleep.1', kwargs });
    const answers = await Promise.all([post(body), post(body), post(body)].map((p) => p.then((r) => r.json())));
    for (const a of answers) {
      expect(a.taskHash).toBe(hash);
      expect(['queued', 'running']).toContain(a.status);
    }
    await waitFor('test_sleep to finish', async () => (await post(body).then((r) => r.json())).status === 'finished');
    await new Promise((r) => setTimeout(r, 300));
    expect(stack.bridge.stats().delivered - okBefore).toBe(1);

    // The cache hit: no publish, no write; the result is one public GET away and immutable.
    const countersBefore = stack.storage.counters();
    const hit = await post(body).then((r) => r.json());
    expect(hit).toMatchObject({ taskHash: hash, status: 'finished' });
    await new Promise((r) => setTimeout(r, 300));
    expect(stack.bridge.stats().delivered - okBefore).toBe(1);
    expect(stack.storage.counters().classA).toBe(countersBefore.classA);
    const res = await fetch(hit.resultUrl);
    expect(res.headers.get('cache-control')).toMatch(/immutable/);
    expect(await res.json()).toEqual({ sleptSeconds: 1 });
  });

  it('reports a failing task as error with its message', async () => {
    await expect(runTask({ apiUrl: stack.apiUrl, backend: stack.label, functionId: 'sortingview.test_error.1', kwargs: { message: 'failed on purpose' }, timeoutMs: 20_000 }, clientDeps))
      .rejects.toThrow('failed on purpose');
  });

  it('never rewrites a pure result when a message is delivered again', async () => {
    const kwargs = { seconds: 0 };
    const hash = taskHash('sortingview.test_sleep.1', kwargs);
    await runTask({ apiUrl: stack.apiUrl, backend: stack.label, functionId: 'sortingview.test_sleep.1', kwargs, timeoutMs: 20_000 }, clientDeps);
    const [before] = await bucket.file(taskResultPath(stack.label, hash)).getMetadata();
    const message = { taskHash: hash, functionId: 'sortingview.test_sleep.1', kwargs, backend: stack.label, kind: 'pure', attempt: 0 };
    const res = await fetch(stack.workerUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'ce-id': 'redelivery-1', 'ce-specversion': '1.0', 'ce-type': 'google.cloud.pubsub.topic.v1.messagePublished', 'ce-source': '//pubsub.googleapis.com/projects/demo-sortingview/topics/sortingview-tasks' },
      body: JSON.stringify({ message: { data: Buffer.from(JSON.stringify(message)).toString('base64'), messageId: 'redelivery-1', attributes: { backend: stack.label, taskHash: hash } } }),
    });
    expect(res.status).toBe(204);
    const [after] = await bucket.file(taskResultPath(stack.label, hash)).getMetadata();
    expect(after.generation).toBe(before.generation);
  });

  it('acks a malformed CloudEvent without writing anything', async () => {
    const before = stack.storage.counters().classA;
    const res = await fetch(stack.workerUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'ce-id': 'bad-1', 'ce-specversion': '1.0', 'ce-type': 'google.cloud.pubsub.topic.v1.messagePublished', 'ce-source': '//x' },
      body: JSON.stringify({ message: { data: Buffer.from('not json').toString('base64'), messageId: 'bad-1' } }),
    });
    expect(res.status).toBeLessThan(300);
    expect(stack.storage.counters().classA).toBe(before);
  });
});

describe('bad requests get a 4xx with a message, and the API keeps serving', () => {
  const cases: [string, () => Promise<Response>, number, string, RegExp][] = [
    ['malformed JSON', () => post('{"backend": "local", '), 400, 'malformed_json', /not valid JSON/],
    ['malformed JSON as text/plain', () => post('nope', { 'content-type': 'text/plain' }), 400, 'malformed_json', /not valid JSON/],
    ['an empty body', () => post(''), 400, 'malformed_json', /empty/],
    ['a JSON array', () => post('[1,2]'), 400, 'invalid_request', /Invalid task request/],
    ['an unknown task id', () => post(JSON.stringify({ backend: 'local', functionId: 'sortingview.nope.1', kwargs: {} })), 404, 'unknown_task', /Unknown task function: sortingview.nope.1/],
    ['kwargs failing the schema', () => post(JSON.stringify({ backend: 'local', functionId: 'sortingview.test_sleep.1', kwargs: { seconds: 'x' } })), 400, 'invalid_kwargs', /kwargs.seconds/],
    ['kwargs out of range', () => post(JSON.stringify({ backend: 'local', functionId: 'sortingview.test_sleep.1', kwargs: { seconds: 1e9 } })), 400, 'invalid_kwargs', /kwargs.seconds/],
    ['a function id without version', () => post(JSON.stringify({ backend: 'local', functionId: 'get_backend_info', kwargs: {} })), 400, 'invalid_request', /version suffix/],
    ['a bad backend label', () => post(JSON.stringify({ backend: '../etc', functionId: 'sortingview.get_backend_info.1', kwargs: {} })), 400, 'invalid_request', /backend/],
    ['a recording the relay never registered', () => post(JSON.stringify({ backend: 'local', functionId: 'recording_info.3', kwargs: { recording_uri: `sha1://${'ab'.repeat(20)}/rec.json` } })), 404, 'unregistered_data', /not registered with backend "local"/],
    ['a recording named by a path, not a sha1 URI', () => post(JSON.stringify({ backend: 'local', functionId: 'recording_info.3', kwargs: { recording_uri: '/etc/passwd' } })), 400, 'invalid_kwargs', /kwargs.recording_uri/],
    ['an unknown backend', () => post(JSON.stringify({ backend: 'nolab', functionId: 'sortingview.get_backend_info.1', kwargs: {} })), 404, 'unknown_backend', /nolab/],
    ['extra fields', () => post(JSON.stringify({ backend: 'local', functionId: 'sortingview.get_backend_info.1', kwargs: {}, admin: true })), 400, 'invalid_request', /admin/],
    ['a body over 1 MB', () => post(JSON.stringify({ backend: 'local', functionId: 'sortingview.test_sleep.1', kwargs: { pad: 'x'.repeat(1_100_000) } })), 413, 'payload_too_large', /limit is 1048576/],
    ['a wrong method', () => fetch(`${stack.apiUrl}/v1/tasks`), 405, 'method_not_allowed', /GET is not allowed/],
    ['an unknown path', () => fetch(`${stack.apiUrl}/v2/whatever`), 404, 'not_found', /No such endpoint/],
  ];
  it.each(cases)('%s', async (_name, send, status, code, message) => {
    const res = await send();
    expect(res.status).toBe(status);
    const body = await res.json();
    expect(body.error).toBe(code);
    expect(body.message).toMatch(message);
    const health = await fetch(`${stack.apiUrl}/v1/health`);
    expect(health.status).toBe(200);
  });

  it('answers CORS preflights for the app origin', async () => {
    const origin = stack.env.SORTINGVIEW_APP_ORIGINS;
    const res = await fetch(`${stack.apiUrl}/v1/tasks`, { method: 'OPTIONS', headers: { origin, 'access-control-request-method': 'POST' } });
    expect(res.status).toBe(204);
    expect(res.headers.get('access-control-allow-origin')).toBe(origin);
    const other = await fetch(`${stack.apiUrl}/v1/health`, { headers: { origin: 'http://evil.example' } });
    expect(other.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('leaves no status behind for refused requests', async () => {
    const [files] = await bucket.getFiles({ prefix: `task_status/nolab/` });
    expect(files).toEqual([]);
    expect(taskStatusPath('local', taskHash('sortingview.nope.1', {}))).toContain('task_status/local/');
  });
});

describe('the sortingview CLI', () => {
  const cli = (args: string[]) => promisify(execFile)(process.execPath, ['bin/sortingview.js', ...args], { env: { ...process.env, ...stack.env } }).then(
    (r) => ({ code: 0, ...r }), (e) => ({ code: e.code as number, stdout: e.stdout as string, stderr: e.stderr as string }));

  it('prints the result of a task as JSON on stdout, progress on stderr', async () => {
    const r = await cli(['task', 'sortingview.get_backend_info.1', '--backend', stack.backendUri, '--kwargs', '{}']);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual({ version: SORTINGVIEW_VERSION, taskFunctionIds: taskFunctionIds({ diagnosticTasks: true }) });
    expect(r.stderr).toMatch(/finished/);
  });

  it('exits non-zero with the task error, or with what is wrong with the arguments', async () => {
    const failed = await cli(['task', 'sortingview.test_error.1', '--backend', stack.backendUri, '--kwargs', '{"message":"cli error path"}']);
    expect(failed.code).toBe(1);
    expect(failed.stderr).toMatch(/cli error path/);
    const unknown = await cli(['task', 'sortingview.nope.1', '--backend', stack.backendUri]);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toMatch(/Unknown task function/);
    const badUri = await cli(['task', 'sortingview.get_backend_info.1', '--backend', 'gs://x/y.json']);
    expect(badUri.stderr).toMatch(/Not a Backend URI/);
    const badKwargs = await cli(['task', 'sortingview.get_backend_info.1', '--backend', stack.backendUri, '--kwargs', '[1]']);
    expect(badKwargs.stderr).toMatch(/--kwargs must be a JSON object/);
    const noBackend = await cli(['task', 'sortingview.get_backend_info.1', '--backend', `gs://${stack.bucket}/sortingview-backends/ghost.json`]);
    expect(noBackend.stderr).toMatch(/is the relay for "ghost" running/);
  });
});
