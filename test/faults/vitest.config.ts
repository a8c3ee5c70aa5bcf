import { defineConfig } from 'vitest/config';

/**
 * The fault-injection suite (`npm run test:faults`): every file starts its own local stack and breaks
 * something on purpose. Files are `*.fault.ts`, so the ordinary `npm test` (`*.test.ts`) does not run
 * them a second time. The summary reporter prints the table of cases per category and `N passed, N failed`.
 */
export default defineConfig({
  test: {
    include: ['test/faults/**/*.fault.ts'],
    reporters: ['default', './test/faults/summaryReporter.ts'],
    testTimeout: 120_000,
    hookTimeout: 180_000,
    env: { METADATA_SERVER_DETECTION: 'none' },
    maxWorkers: 3,
    minWorkers: 1,
  },
});
