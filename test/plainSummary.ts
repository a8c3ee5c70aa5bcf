import type { Reporter, RunnerTask, RunnerTestFile } from 'vitest';

/**
 * Ends `npm test` with the plain line `N passed, N failed, N skipped` (tests, not files), which CI
 * reads; vitest's own summary is not a format it knows. What did not run because it could not start
 * counts as failed: a file that failed to load (1), and every test of a suite or file whose hook
 * failed (vitest marks those "skipped").
 */
export default class PlainSummaryReporter implements Reporter {
  onFinished(files: RunnerTestFile[] = []): void {
    let passed = 0;
    let failed = 0;
    let skipped = 0;
    const startFailed = (t: RunnerTask) => t.result?.state === 'fail' && (t.result.errors?.length ?? 0) > 0;
    const visit = (t: RunnerTask, underFailedStart: boolean): void => {
      if (t.type === 'suite') {
        t.tasks.forEach((c) => visit(c, underFailedStart || startFailed(t)));
        return;
      }
      // Under a failed start vitest marks the tests mode "skip" too, so that comes first.
      if (t.result?.state === 'pass') passed++;
      else if (underFailedStart) failed++;
      else if (t.mode === 'skip' || t.mode === 'todo' || t.result?.state === 'skip') skipped++;
      else failed++;
    };
    for (const f of files) {
      if (f.result?.state === 'fail' && f.tasks.length === 0) failed++;
      f.tasks.forEach((t) => visit(t, startFailed(f)));
    }
    process.stdout.write(`\n${passed} passed, ${failed} failed, ${skipped} skipped\n`);
  }
}
