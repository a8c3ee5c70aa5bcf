import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { Storage } from '@google-cloud/storage';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DemoWorkspace } from '../../emulator/demo';
import type { LocalStack } from '../../emulator/stack';
import { startDemoStack, type DemoStack } from './stackHarness';

/** `sortingview precalculate`: computes a sorting page's tasks once; a second run only finds them cached. */
let stack: LocalStack;
let ws: DemoWorkspace;
let h: DemoStack;

beforeAll(async () => {
  h = await startDemoStack(0.5);
  ({ stack, ws } = h);
}, 180_000);
afterAll(async () => stack?.stop());

const cli = (args: string[], env: NodeJS.ProcessEnv = {}) =>
  promisify(execFile)(process.execPath, ['bin/sortingview.js', ...args], { env: { ...process.env, ...stack.env, ...env }, maxBuffer: 1 << 24, cwd: process.cwd() });

describe('precalculate', () => {
  it('computes every task of the sorting page once, then finds them all cached', async () => {
    const args = ['precalculate', ws.workspaceUri, '--backend', stack.backendUri, '--sorting', ws.main.sortingId];
    const first = await cli(args);
    const m = /(\d+) tasks: (\d+) already cached, (\d+) computed, 0 failed/.exec(first.stdout);
    expect(m, first.stdout + first.stderr).not.toBeNull();
    expect(Number(m![3])).toBeGreaterThan(20); // units summary, per-unit waveforms and ACGs, similarity, raster
    const published = stack.bridge.stats().delivered;

    const second = await cli(args);
    expect(second.stdout).toContain(`${m![1]} tasks: ${m![1]} already cached, 0 computed, 0 failed`);
    expect(stack.bridge.stats().delivered).toBe(published); // nothing was published
  });

  it('says clearly when the workspace does not exist', async () => {
    await expect(cli(['precalculate', `workspace://${'0'.repeat(64)}`, '--backend', stack.backendUri])).rejects.toMatchObject({ stderr: expect.stringMatching(/Unknown workspace/) });
  });

  it('workspace add-sorting precalculates the sorting it added: a later precalculate finds every task cached; --no-precalculate leaves them to compute', async () => {
    const env = { SORTINGVIEW_BACKEND: stack.backendUri, KACHERY_STORAGE_DIR: h.demo.kacheryStorageDir, SORTINGVIEW_USER: 'demo@localhost' };
    const recordingId = ws.all.find((a) => a.label === 'spikeglx')!.recordingId;
    const added = await cli(['workspace', 'add-sorting', ws.workspaceUri, h.demo.phy.folder, '--recording-id', recordingId, '--label', 'phy-again', '--json'], env);
    const result = JSON.parse(added.stdout);
    expect(result.precalculated, added.stderr).toMatchObject({ failed: [] });
    expect(result.precalculated.tasks).toBeGreaterThan(20);
    expect(added.stderr).toMatch(/Precalculated its sorting page: \d+ tasks/);
    const again = await cli(['precalculate', ws.workspaceUri, '--sorting', result.sortingId], env);
    expect(again.stdout).toMatch(/(\d+) tasks: \1 already cached, 0 computed, 0 failed/);

    const skipped = JSON.parse((await cli(['workspace', 'add-sorting', ws.workspaceUri, h.demo.mda.sortingUri, '--recording-id', ws.all.find((a) => a.label === 'mda')!.recordingId,
      '--label', 'mda-again', '--no-precalculate', '--json'], env)).stdout);
    expect(skipped.precalculated).toBeNull();
  });

  it('precalculate says the relay is not running instead of waiting for every task', async () => {
    const gcs = new Storage({ projectId: 'demo-sortingview', apiEndpoint: stack.storage.url });
    const stale = { label: 'stale', apiUrl: stack.apiUrl, version: '0', taskFunctionIds: [], timestamp: Date.now() - 12 * 60_000 };
    await gcs.bucket(stack.bucket).file('sortingview-backends/stale.json').save(JSON.stringify(stale));
    await expect(cli(['precalculate', ws.workspaceUri, '--backend', `gs://${stack.bucket}/sortingview-backends/stale.json`]))
      .rejects.toMatchObject({ stderr: expect.stringContaining('the relay of backend "stale" is not running (it last checked in 12 min ago); start it with sortingview-start-backend --label stale') });
  });
});
