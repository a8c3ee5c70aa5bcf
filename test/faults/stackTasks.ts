import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Storage } from '@google-cloud/storage';
import { runTask } from '../../core/client/runTask';
import { loadWorkspace, parseWorkspaceUri } from '../../core/feeds';
import { taskHash, taskResultPath } from '../../core/protocol';
import { createDemoWorkspace, ensureDemoData } from '../../emulator/demo';
import type { LocalStack, LocalStackOptions } from '../../emulator/stack';
import { gcsBlobStore } from '../../adapters/gcs/gcsBlobStore';
import type { DemoData } from '../../scripts/demoData/makeDemoData';
import { startTestStack } from '../integration/stackHarness';

/** A stack with a relay over the demo data, registered in a workspace; URIs per format family. */
export interface DemoStack {
  stack: LocalStack;
  demo: DemoData;
  uris: Map<string, { recordingUri: string; sortingUri: string }>;
  gcs: Storage;
}

export async function startDemoStack(durationSec = 0.5, extra: (demo: DemoData) => Promise<Partial<LocalStackOptions>> = async () => ({})): Promise<DemoStack> {
  const demo = await ensureDemoData(mkdtempSync(join(tmpdir(), 'sv-faults-demo-')), durationSec, () => {});
  const more = await extra(demo);
  const stack = await startTestStack({ auth: false, pubsub: 'ours', relay: { dataDirs: [demo.outDir], kacheryStorageDir: demo.kacheryStorageDir }, ...more });
  const ws = await createDemoWorkspace({ demo, env: stack.env, backendUri: stack.backendUri, storageUrl: stack.storage.url, appUrl: stack.webUrl });
  const gcs = new Storage({ projectId: 'demo-sortingview', apiEndpoint: stack.storage.url });
  const { state } = await loadWorkspace(gcsBlobStore(gcs.bucket(stack.bucket)), parseWorkspaceUri(ws.workspaceUri).feedId);
  const uris = new Map<string, { recordingUri: string; sortingUri: string }>();
  for (const { label, recordingId, sortingId } of ws.all) {
    uris.set(label, {
      recordingUri: state.recordings.find((r) => r.recordingId === recordingId)!.recordingPath,
      sortingUri: state.sortings.find((s) => s.sortingId === sortingId)!.sortingPath,
    });
  }
  return { stack, demo, uris, gcs };
}

export const clientDeps = { fetch, sleep: (ms: number) => new Promise<void>((r) => setTimeout(r, ms)), now: () => performance.now() };

export interface TaskSpec { functionId: string; kwargs: Record<string, unknown> }

export function runOn(stack: LocalStack, t: TaskSpec, timeoutMs = 90_000) {
  return runTask({ apiUrl: stack.apiUrl, backend: stack.label, functionId: t.functionId, kwargs: t.kwargs, timeoutMs }, clientDeps);
}

export function resultUrl(stack: LocalStack, t: TaskSpec): string {
  return `${stack.storage.publicUrl}/${stack.bucket}/${taskResultPath(stack.label, taskHash(t.functionId, t.kwargs))}`;
}

/** The result bytes as a reader gets them (gzip undone by fetch). */
export async function resultBytes(stack: LocalStack, t: TaskSpec): Promise<Buffer> {
  const res = await fetch(resultUrl(stack, t));
  if (!res.ok) throw new Error(`no result for ${t.functionId}: ${res.status}`);
  return Buffer.from(await res.arrayBuffer());
}
