import type { Reporter, RunnerTask, RunnerTestFile } from 'vitest';

/**
 * Ends `npm test` with the plain line `N passed, N failed, N skipped` (tests, not files), which CI
 * reads; vitest's own summary is not a format it knows. A file that failed to load counts as failed.
 */
export default class PlainSummaryReporter implements Reporter {
  onFinished(files: RunnerTestFile[] = []): void {
    let passed = 0;
    let failed = 0;
    let skipped = 0;
    const visit = (t: RunnerTask): void => {
      if (t.type === 'suite') {
        t.tasks.forEach(visit);
        return;
      }
      if (t.mode === 'skip' || t.mode === 'todo' || t.result?.state === 'skip') skipped++;
      else if (t.result?.state === 'pass') passed++;
      else failed++;
    };
    for (const f of files) {
      if (f.result?.state === 'fail' && f.tasks.length === 0) failed++;
      f.tasks.forEach(visit);
    }
    process.stdout.write(`\n${passed} passed, ${failed} failed, ${skipped} skipped\n`);
  }
}
