import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Storage } from '@google-cloud/storage';
import { runTask } from '../core/client/runTask';
import { loadWorkspace, parseWorkspaceUri } from '../core/feeds';
import { createDemoWorkspace, ensureDemoData } from '../emulator/demo';
import { startLocalStack } from '../emulator/stack';
import { gcsBlobStore } from '../adapters/gcs/gcsBlobStore';
import { writeResult } from './results';

/**
 * relay-serve: the relay over a ~2 GB SpikeGLX recording. Its peak RSS while serving a full-length
 * zoomed-out trace view (min/max over the whole file) and the bytes it uploaded, against the file.
 * (relay-peak-rss-overview; relay-peak-rss is the first view's, bench/relayPeakRss.ts.)
 */
const DURATION_SEC = Number(process.env.BENCH_RELAY_SEC ?? 90); // 90 s × 385 ch × 2 B × 30 kHz ≈ 2.1 GB

export async function benchRelayServe(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'sv-bench-relay-'));
  try {
    const demo = await ensureDemoData(join(dir, 'demo'), DURATION_SEC, (l) => console.error(l));
    const fileBytes = statSync(demo.spikeglx.binPath).size;
    const stack = await startLocalStack({ stateDir: join(dir, 'state'), auth: false, pubsub: 'ours', relay: { dataDirs: [demo.outDir], kacheryStorageDir: demo.kacheryStorageDir } });
    try {
      const ws = await createDemoWorkspace({ demo, env: stack.env, backendUri: stack.backendUri, storageUrl: stack.storage.url, appUrl: stack.webUrl });
      const gcs = new Storage({ projectId: 'demo-sortingview', apiEndpoint: stack.storage.url });
      const { state } = await loadWorkspace(gcsBlobStore(gcs.bucket(stack.bucket)), parseWorkspaceUri(ws.workspaceUri).feedId);
      const recordingUri = state.recordings.find((r) => r.recordingId === ws.main.recordingId)!.recordingPath;
      const deps = { fetch, sleep: (ms: number) => new Promise<void>((r) => setTimeout(r, ms)), now: () => performance.now() };
      const run = (functionId: string, kwargs: Record<string, unknown>) => runTask({ apiUrl: stack.apiUrl, backend: stack.label, functionId, kwargs, timeoutMs: 600_000 }, deps);
      const t0 = performance.now();
      await run('recording_info.3', { recording_uri: recordingUri });
      const numFrames = demo.spikeglx.numFrames;
      const segmentSize = 1000;
      let dsFactor = 3; // one segment = the whole recording, at the pyramid level (a power of 3) that spans it
      while (dsFactor * segmentSize < numFrames) dsFactor *= 3;
      await run('get_timeseries_segment.1', { recording_uri: recordingUri, ds_factor: dsFactor, segment_num: 0, segment_size: segmentSize });
      const ms = performance.now() - t0;
      const relay = stack.children.find((c) => c.name === 'relay')!;
      const hwmKb = Number(/VmHWM:\s+(\d+)/.exec(readFileSync(`/proc/${relay.pid}/status`, 'utf8'))?.[1] ?? NaN);
      const [files] = await gcs.bucket(stack.privateBucket).getFiles({ prefix: `chunks/${stack.label}/` });
      const uploaded = files.reduce((n, f) => n + Number(f.metadata.size), 0);
      writeResult({
        name: 'relay-peak-rss-overview', value: hwmKb / 1024, unit: 'MiB peak RSS of the relay serving recording_info + a whole-file min/max view', durationMs: ms,
        reference: { name: 'recording file size', value: fileBytes / 2 ** 20, unit: 'MiB' }, ratio: (hwmKb * 1024) / fileBytes,
      });
      writeResult({
        name: 'relay-bytes-info-and-overview', value: uploaded / 2 ** 20, unit: 'MiB uploaded (recording_info + whole-file min/max view)',
        reference: { name: 'recording file size', value: fileBytes / 2 ** 20, unit: 'MiB' }, ratio: uploaded / fileBytes,
      });
    } finally {
      await stack.stop();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
