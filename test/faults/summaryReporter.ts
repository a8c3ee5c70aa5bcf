import type { Reporter, RunnerTask, RunnerTestFile } from 'vitest';

declare module 'vitest' {
  interface TaskMeta {
    /** Sub-cases a test tried and passed (a fuzz test is one test of 10 000 requests). */
    tried?: number;
    passed?: number;
  }
}

interface Row { tests: number; passedTests: number; tried: number; passed: number }

/**
 * The last thing `npm run test:faults` prints: per category (the top-level `describe` of each fault
 * file, e.g. "4 API fuzz"), the tests and sub-cases tried and passed, then `N passed, N failed`
 * counting tests.
 */
export default class FaultSummaryReporter implements Reporter {
  onFinished(files: RunnerTestFile[] = []): void {
    const rows = new Map<string, Row>();
    const visit = (task: RunnerTask, category: string) => {
      if (task.type === 'suite') {
        for (const t of task.tasks) visit(t, category);
        return;
      }
      const row = rows.get(category) ?? { tests: 0, passedTests: 0, tried: 0, passed: 0 };
      rows.set(category, row);
      const ok = task.result?.state === 'pass';
      const skipped = task.mode === 'skip' || task.mode === 'todo' || task.result?.state === 'skip';
      if (skipped) return;
      row.tests++;
      if (ok) row.passedTests++;
      row.tried += task.meta.tried ?? 1;
      row.passed += ok ? (task.meta.passed ?? task.meta.tried ?? 1) : (task.meta.passed ?? 0);
    };
    for (const file of files) {
      for (const t of file.tasks) visit(t, t.type === 'suite' ? t.name : file.name);
      if (file.result?.state === 'fail' && file.tasks.length === 0) rows.set(`${file.name} (did not load)`, { tests: 1, passedTests: 0, tried: 1, passed: 0 });
    }
    const sorted = [...rows.entries()].sort(([a], [b]) => a.localeCompare(b, undefined, { numeric: true }));
    const w = Math.max(8, ...sorted.map(([c]) => c.length));
    const line = (c: string, a: string, b: string, d: string, e: string) =>
      `${c.padEnd(w)}  ${a.padStart(6)}  ${b.padStart(6)}  ${d.padStart(7)}  ${e.padStart(7)}`;
    const out = ['', 'Fault suite summary', line('category', 'tests', 'passed', 'cases', 'passed'), '-'.repeat(w + 34)];
    let passed = 0;
    let failed = 0;
    for (const [c, r] of sorted) {
      out.push(line(c, String(r.tests), String(r.passedTests), String(r.tried), String(r.passed)));
      passed += r.passedTests;
      failed += r.tests - r.passedTests;
    }
    out.push('', `${passed} passed, ${failed} failed`, '');
    process.stdout.write(out.join('\n'));
  }
}
