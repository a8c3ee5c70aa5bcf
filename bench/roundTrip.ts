import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runTask } from '../core/client/runTask';
import { startLocalStack } from '../emulator/stack';
import { writeResult, percentile } from './results';

/**
 * round-trip: a trivial task through the whole local stack (API → Pub/Sub → worker → bucket → client),
 * cache miss and cache hit, beside the floor of one plain GET of a bucket object in the same run.
 */
const N = Number(process.env.BENCH_N ?? 40);
const deps = { fetch, sleep: (ms: number) => new Promise<void>((r) => setTimeout(r, ms)), now: () => performance.now() };

export async function benchRoundTrip(pubsub: 'google' | 'ours'): Promise<void> {
  const stack = await startLocalStack({ stateDir: mkdtempSync(join(tmpdir(), 'sv-bench-')), auth: false, pubsub });
  try {
    const run = (kwargs: { seconds: number }) => runTask({ apiUrl: stack.apiUrl, backend: stack.label, functionId: 'sortingview.test_sleep.1', kwargs }, deps);
    await run({ seconds: 0 }); // warm both functions
    const miss: number[] = [];
    const hit: number[] = [];
    const get: number[] = [];
    for (let i = 1; i <= N; i++) {
      const kwargs = { seconds: i * 1e-9 }; // a new task each time, sleeping ~0
      let t = performance.now();
      const { taskHash } = await run(kwargs);
      miss.push(performance.now() - t);
      t = performance.now();
      await run(kwargs);
      hit.push(performance.now() - t);
      t = performance.now();
      await fetch(`${stack.storage.publicUrl}/${stack.bucket}/task_status/${stack.label}/${taskHash}.json`).then((r) => r.arrayBuffer());
      get.push(performance.now() - t);
    }
    const floor = percentile(get, 50);
    for (const [name, xs, goal] of [['round-trip-miss', miss, 50], ['round-trip-hit', hit, 10]] as const) {
      const p50 = percentile(xs, 50);
      writeResult({
        name: `${name}-${stack.pubsub.kind}`, value: p50, unit: 'ms (p50)', p95: percentile(xs, 95), goal,
        reference: { name: 'one GET of a bucket object (p50)', value: floor, unit: 'ms' }, ratio: p50 / floor, n: N,
      });
    }
  } finally {
    await stack.stop();
  }
}
