import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['{adapters,core,functions,relay,web,emulator,scripts,test}/**/*.test.ts'],
    reporters: ['default', './test/plainSummary.ts'],
    testTimeout: 30_000,
    // Google's clients probe the GCE metadata server (169.254.169.254) for credentials even in emulator
    // mode; nothing here may leave loopback.
    env: { METADATA_SERVER_DETECTION: 'none' },
    // A suite's start-up (a whole local stack) on two loaded cores; above the Auth emulator's own
    // start-up bound (emulator/authEmulator.ts), so that its clearer error is the one reported.
    hookTimeout: 200_000,
    // Integration suites start emulators on loopback; two cores do not take more in parallel.
    maxWorkers: 2,
    minWorkers: 1,
  },
});
