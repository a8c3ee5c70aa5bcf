import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Storage } from '@google-cloud/storage';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runTask } from '../../core/client/runTask';
import { loadWorkspace } from '../../core/feeds';
import { parseWorkspaceUri } from '../../core/feeds/workspaceUri';
import { resultToPlainJson } from '../../core/protocol';
import { createDemoWorkspace, ensureDemoData, type DemoWorkspace } from '../../emulator/demo';
import type { LocalStack } from '../../emulator/stack';
import { gcsBlobStore } from '../../adapters/gcs/gcsBlobStore';
import type { DemoData } from '../../scripts/demoData/makeDemoData';
import { startTestStack } from './stackHarness';

/**
 * `add-recording` → task on the local stack → result, for every demo format: SpikeGLX + phy (plain
 * paths under --data-dir), MDA (sha1:// in a kachery store), NWB (HDF5).
 */
let stack: LocalStack;
let demo: DemoData;
let ws: DemoWorkspace;
const paths = new Map<string, { recordingUri: string; sortingUri: string }>();
const deps = { fetch, sleep: (ms: number) => new Promise<void>((r) => setTimeout(r, ms)), now: () => performance.now() };
const run = (functionId: string, kwargs: Record<string, unknown>) =>
  runTask({ apiUrl: stack.apiUrl, backend: stack.label, functionId, kwargs, timeoutMs: 60_000 }, deps).then((r) => resultToPlainJson(r.result) as Record<string, any>);

beforeAll(async () => {
  demo = await ensureDemoData(mkdtempSync(join(tmpdir(), 'sv-demo-')), 1, () => {});
  stack = await startTestStack({ auth: false, pubsub: 'ours', relay: { dataDirs: [demo.outDir], kacheryStorageDir: demo.kacheryStorageDir } });
  ws = await createDemoWorkspace({ demo, env: stack.env, backendUri: stack.backendUri, storageUrl: stack.storage.url, appUrl: stack.webUrl });
  const store = gcsBlobStore(new Storage({ projectId: 'demo-sortingview', apiEndpoint: stack.storage.url }).bucket(stack.bucket));
  const { state } = await loadWorkspace(store, parseWorkspaceUri(ws.workspaceUri).feedId);
  for (const { label, recordingId, sortingId } of ws.all) {
    paths.set(label, {
      recordingUri: state.recordings.find((r) => r.recordingId === recordingId)!.recordingPath,
      sortingUri: state.sortings.find((s) => s.sortingId === sortingId)!.sortingPath,
    });
  }
}, 180_000);
afterAll(async () => stack?.stop());

describe.each(['spikeglx', 'mda', 'nwb'])('%s through the relay', (label) => {
  it('recording_info.3, sorting_info.3 and a trace segment', async () => {
    const { recordingUri, sortingUri } = paths.get(label)!;
    const info = await run('recording_info.3', { recording_uri: recordingUri });
    const expected = { spikeglx: demo.spikeglx.numFrames, mda: demo.mda.numFrames, nwb: demo.nwb.numFrames }[label];
    expect(info.num_frames).toBe(expected);
    expect(info.sampling_frequency).toBeGreaterThan(0);
    expect(info.channel_ids.length).toBe(info.geom.length);
    if (label === 'spikeglx') {
      expect(info.channel_ids).toHaveLength(384); // the sync channel is not served
      expect(info.gain_uv_per_bit).toBeCloseTo(demo.spikeglx.gainUvPerBit, 6);
    }
    const sorting = await run('sorting_info.3', { sorting_uri: sortingUri });
    expect(sorting.unit_ids.length).toBeGreaterThan(0);
    const seg = await run('get_timeseries_segment.1', { recording_uri: recordingUri, ds_factor: 9, segment_num: 0, segment_size: 200 });
    expect(seg.traces).toHaveLength(info.channel_ids.length);
    expect(seg.traces[0]).toHaveLength(400);
    // A real signal: the min/max pairs are not all equal.
    expect(new Set(seg.traces[0]).size).toBeGreaterThan(10);
  });
});
