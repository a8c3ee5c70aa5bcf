import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startLocalStack, type LocalStack, type LocalStackOptions } from '../../emulator/stack';

/** Starts a whole local stack in a fresh state dir, on ephemeral ports, for one test file. */
export async function startTestStack(opts: LocalStackOptions = {}): Promise<LocalStack> {
  const stateDir = mkdtempSync(join(tmpdir(), 'sortingview-test-'));
  return startLocalStack({ stateDir, distDir: join(process.cwd(), 'dist'), minBackoffMs: 100, ...opts });
}

export async function waitFor<T>(what: string, fn: () => Promise<T | undefined | null | false>, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
