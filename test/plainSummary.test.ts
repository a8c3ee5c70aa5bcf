// The closing line of `npm test` against vitest itself: a suite or a file that fails to start
// counts its tests as failed, not skipped (issue 17 item 10).
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { expect, it } from 'vitest';

it('counts tests that never ran because their start-up failed as failed', () => {
  const root = process.cwd();
  const r = spawnSync(process.execPath, [join(root, 'node_modules/vitest/vitest.mjs'), 'run', '--config', 'test/fixtures/summary/vitest.config.ts'],
    { cwd: root, encoding: 'utf8', timeout: 60_000, env: { ...process.env, CI: 'true' } });
  expect(r.status).not.toBe(0);
  // passed: `runs`; failed: a, b (their suite's hook), `never runs` (the file's hook), the file that
  // does not load; skipped: the declared skip and the one skipped at run time.
  expect(r.stdout.trim().split('\n').at(-1)).toBe('1 passed, 4 failed, 2 skipped');
}, 60_000);
