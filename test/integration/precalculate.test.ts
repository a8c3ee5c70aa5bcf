import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DemoWorkspace } from '../../emulator/demo';
import type { LocalStack } from '../../emulator/stack';
import { startDemoStack } from './stackHarness';

/** `sortingview precalculate`: computes a sorting page's tasks once; a second run only finds them cached. */
let stack: LocalStack;
let ws: DemoWorkspace;

beforeAll(async () => {
  ({ stack, ws } = await startDemoStack(0.5));
}, 180_000);
afterAll(async () => stack?.stop());

const cli = (args: string[]) => promisify(execFile)(process.execPath, ['bin/sortingview.js', ...args], { env: { ...process.env, ...stack.env }, maxBuffer: 1 << 24 });

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
});
