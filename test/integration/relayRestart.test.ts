import { readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runTask } from '../../core/client/runTask';
import { taskHash, taskStatusPath } from '../../core/protocol';
import type { ChildService } from '../../emulator/childProcess';
import { killGroup } from '../../emulator/childProcess';
import { startRelayChild } from '../../emulator/relayChild';
import type { LocalStack } from '../../emulator/stack';
import type { DemoData } from '../../scripts/demoData/makeDemoData';
import { startDemoStack, waitFor } from './stackHarness';

/** A relay that dies is restarted and serves the requests that waited for it: nothing is lost. */
let stack: LocalStack;
let demo: DemoData;
let recordingUri: string;
let restarted: ChildService | undefined;

beforeAll(async () => {
  const h = await startDemoStack(0.5);
  ({ stack, demo } = h);
  const main = h.ws.all.find((a) => a.recordingId === h.ws.main.recordingId)!;
  recordingUri = h.paths.get(main.label)!.recordingUri;
}, 180_000);
afterAll(async () => {
  await restarted?.stop();
  await stack?.stop();
});

describe('relay restart', () => {
  it('a request made while the relay is down is served by the restarted relay', async () => {
    const relay = stack.children.find((c) => c.name === 'relay')!;
    killGroup(relay.pid, 'SIGKILL');
    await waitFor('the relay to die', async () => !relay.alive());

    const kwargs = { recording_uri: recordingUri, ds_factor: 1, segment_num: 2, segment_size: 500 };
    const deps = { fetch, sleep: (ms: number) => new Promise<void>((r) => setTimeout(r, ms)), now: () => performance.now() };
    const pending = runTask({ apiUrl: stack.apiUrl, backend: stack.label, functionId: 'get_timeseries_segment.1', kwargs, timeoutMs: 60_000 }, deps);
    const statusUrl = `${stack.storage.publicUrl}/${stack.bucket}/${taskStatusPath(stack.label, taskHash('get_timeseries_segment.1', kwargs))}`;
    await waitFor('the task to wait for data', async () => (await fetch(statusUrl).then((r) => (r.ok ? r.json() : null)))?.status === 'waiting-for-data');

    restarted = await startRelayChild({
      name: 'relay-restarted', label: stack.label, apiUrl: stack.apiUrl, dataDirs: [demo.outDir], kacheryStorageDir: demo.kacheryStorageDir,
      env: { ...process.env, ...stack.env }, logDir: join(tmpdir(), `sv-relay-restart-${process.pid}`),
    });
    const { result } = await pending;
    expect((result as { traces: { shape: number[] } }).traces.shape).toEqual([384, 500]);
  });

  it('stops cleanly on SIGTERM', async () => {
    await restarted!.stop();
    expect(readFileSync(restarted!.logFile, 'utf8')).toMatch(/Stopping the relay/);
    restarted = undefined;
  });
});
