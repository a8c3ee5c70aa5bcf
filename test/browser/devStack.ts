/**
 * `npx tsx test/browser/devStack.ts`: the browser tests' fixture, kept running for looking at the app
 * by hand (prints the URLs; Ctrl-C stops it). Not a test.
 */
import { startAppFixture } from './appHarness';

const f = await startAppFixture({ durationSec: Number(process.env.DEMO_SEC ?? 4) });
process.stdout.write(`workspace: ${f.url()}\nsorting:   ${f.url({ sorting: f.sortingId })}\ncompare:   ${f.url({ sorting: f.sortingId, compare: f.nwbSortingId })}\n`);
await new Promise<void>((resolve) => { process.once('SIGINT', () => resolve()); process.once('SIGTERM', () => resolve()); });
await f.stack.stop();
