import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Storage } from '@google-cloud/storage';
import { gcsBlobStore } from '../../adapters/gcs/gcsBlobStore';
import { runTask } from '../../core/client/runTask';
import { loadWorkspace } from '../../core/feeds';
import { parseWorkspaceUri } from '../../core/feeds/workspaceUri';
import { resultToPlainJson } from '../../core/protocol';
import { createDemoWorkspace, ensureDemoData, type DemoWorkspace } from '../../emulator/demo';
import { startLocalStack, type LocalStack, type LocalStackOptions } from '../../emulator/stack';
import type { WorkspaceDeps } from '../../relay/commands/workspace';
import { detectFormat } from '../../relay/formats';
import type { DemoData } from '../../scripts/demoData/makeDemoData';

/** Starts a whole local stack in a fresh state dir, on ephemeral ports, for one test file. */
export async function startTestStack(opts: LocalStackOptions = {}): Promise<LocalStack> {
  const stateDir = mkdtempSync(join(tmpdir(), 'sortingview-test-'));
  return startLocalStack({ stateDir, distDir: join(process.cwd(), 'dist'), minBackoffMs: 100, ...opts });
}

export interface DemoStack {
  stack: LocalStack;
  demo: DemoData;
  /** The demo workspace, with every demo format's recording and sorting added. */
  ws: DemoWorkspace;
  /** Each demo label's registered URIs (spikeglx, mda, nwb, …), as the workspace log has them. */
  paths: Map<string, { recordingUri: string; sortingUri: string }>;
  /** The `sortingview workspace …` commands' dependencies as a lab's shell has them (cwd: the demo's data dir). */
  cliDeps: WorkspaceDeps;
  /** What those commands wrote to stderr (notes and warnings), in order. */
  notes: string[];
  /** A task through the whole stack (API, Pub/Sub, worker, relay), its result as plain JSON. */
  run(functionId: string, kwargs: Record<string, unknown>): Promise<Record<string, any>>;
}

/**
 * The demo data (`minutes` long) served by a local stack without sign-in (our Pub/Sub), its workspace
 * created as `npm start` does: the common start of the end-to-end tests that add data as a lab would.
 */
export async function startDemoStack(minutes: number): Promise<DemoStack> {
  const demo = await ensureDemoData(mkdtempSync(join(tmpdir(), 'sv-demo-')), minutes, () => {});
  const stack = await startTestStack({ auth: false, pubsub: 'ours', relay: { dataDirs: [demo.outDir], kacheryStorageDir: demo.kacheryStorageDir } });
  const ws = await createDemoWorkspace({ demo, env: stack.env, backendUri: stack.backendUri, storageUrl: stack.storage.url, appUrl: stack.webUrl });
  const storage = new Storage({ projectId: 'demo-sortingview', apiEndpoint: stack.storage.url });
  const { state } = await loadWorkspace(gcsBlobStore(storage.bucket(stack.bucket)), parseWorkspaceUri(ws.workspaceUri).feedId);
  const paths = new Map(ws.all.map(({ label, recordingId, sortingId }) => [label, {
    recordingUri: state.recordings.find((r) => r.recordingId === recordingId)!.recordingPath,
    sortingUri: state.sortings.find((s) => s.sortingId === sortingId)!.sortingPath,
  }]));
  const notes: string[] = [];
  const cliDeps: WorkspaceDeps = {
    env: { ...stack.env, SORTINGVIEW_BACKEND: stack.backendUri, KACHERY_STORAGE_DIR: demo.kacheryStorageDir, SORTINGVIEW_USER: 'demo@localhost' },
    cwd: demo.outDir,
    openStores: (t) => ({ public: gcsBlobStore(storage.bucket(t.bucket)), private: gcsBlobStore(storage.bucket(t.privateBucket)) }),
    random: (n) => randomBytes(n), now: Date.now, detectFormat, stdout: () => {}, stderr: (l) => notes.push(l),
  };
  const deps = { fetch, sleep: (ms: number) => new Promise<void>((r) => setTimeout(r, ms)), now: () => performance.now() };
  const run = (functionId: string, kwargs: Record<string, unknown>) =>
    runTask({ apiUrl: stack.apiUrl, backend: stack.label, functionId, kwargs, timeoutMs: 60_000 }, deps).then((r) => resultToPlainJson(r.result) as Record<string, any>);
  return { stack, demo, ws, paths, cliDeps, notes, run };
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
