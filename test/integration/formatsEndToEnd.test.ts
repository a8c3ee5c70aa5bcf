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
import { randomBytes } from 'node:crypto';
import { workspaceAddSorting, type WorkspaceDeps } from '../../relay/commands/workspace';
import { detectFormat, openSorting } from '../../relay/formats';
import { localOpenFile } from '../../relay/formats/local';
import { npzSortingBytes, numpyFolderSortingFiles, writeFiles } from '../../scripts/demoData/spikeinterfaceSorting';
import { writeFileSync } from 'node:fs';

/**
 * `add-recording` → task on the local stack → result, for every demo format: SpikeGLX + phy (plain
 * paths under --data-dir), MDA (sha1:// in a kachery store), NWB (HDF5); and the demo's phy sorting
 * as SpikeInterface would save it (NumpyFolderSorting with string unit ids, NpzSortingExtractor .npz
 * with an extra empty unit), added with `workspace add-sorting <folder | .npz>`.
 */
let stack: LocalStack;
let demo: DemoData;
let ws: DemoWorkspace;
const paths = new Map<string, { recordingUri: string; sortingUri: string }>();
/** The demo phy sorting's units (ascending) and spike counts, the truth for the SpikeInterface copies. */
let phyUnits: { id: number; count: number }[] = [];
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

  // The phy sorting saved as SpikeInterface saves sortings, then added as a lab would.
  const phy = await openSorting(demo.phy.sorting, localOpenFile());
  phyUnits = phy.unitIds.map((id) => ({ id, count: phy.spikeTrain(id).length }));
  const trains = phy.unitIds.map((id) => Array.from(phy.spikeTrain(id)));
  await writeFiles(join(demo.outDir, 'si_sorting'), numpyFolderSortingFiles({ samplingFrequency: phy.sampleRateHz, unitIds: phy.unitIds.map((id) => `u${id}`), segments: [trains] }));
  writeFileSync(join(demo.outDir, 'si_sorting.npz'), npzSortingBytes({ samplingFrequency: phy.sampleRateHz, unitIds: [...phy.unitIds, 999], segments: [[...trains, []]] }));
  const storage = new Storage({ projectId: 'demo-sortingview', apiEndpoint: stack.storage.url });
  const notes: string[] = [];
  const deps: WorkspaceDeps = {
    env: { ...stack.env, SORTINGVIEW_BACKEND: stack.backendUri, KACHERY_STORAGE_DIR: demo.kacheryStorageDir, SORTINGVIEW_USER: 'demo@localhost' },
    cwd: demo.outDir,
    openStores: (t) => ({ public: gcsBlobStore(storage.bucket(t.bucket)), private: gcsBlobStore(storage.bucket(t.privateBucket)) }),
    random: (n) => randomBytes(n), now: Date.now, detectFormat, stdout: () => {}, stderr: (l) => notes.push(l),
  };
  const recordingUri = paths.get('spikeglx')!.recordingUri;
  const recordingId = ws.all.find((a) => a.label === 'spikeglx')!.recordingId;
  for (const [label, input] of [['si_numpy_folder', 'si_sorting'], ['si_npz', 'si_sorting.npz']]) {
    const { sortingUri } = await workspaceAddSorting(ws.workspaceUri, input, { label, recordingId }, deps);
    paths.set(label, { recordingUri, sortingUri });
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

describe('SpikeInterface sortings through the relay', () => {
  it('NumpyFolderSorting with string ids: units numbered by unit_index, every spike there', async () => {
    const { recordingUri, sortingUri } = paths.get('si_numpy_folder')!;
    const info = await run('sorting_info.3', { sorting_uri: sortingUri });
    expect(info.unit_ids).toEqual(phyUnits.map((_, i) => i));
    const firing = await run('get_firing_data.1', { recording_uri: recordingUri, sorting_uri: sortingUri });
    expect(phyUnits.map((_, i) => firing[String(i)].count)).toEqual(phyUnits.map((u) => u.count));
  });

  it('NpzSortingExtractor .npz: integer ids as written, the empty unit kept', async () => {
    const { recordingUri, sortingUri } = paths.get('si_npz')!;
    const info = await run('sorting_info.3', { sorting_uri: sortingUri });
    expect(info.unit_ids).toEqual([...phyUnits.map((u) => u.id), 999]);
    const firing = await run('get_firing_data.1', { recording_uri: recordingUri, sorting_uri: sortingUri });
    expect(phyUnits.map((u) => firing[String(u.id)].count)).toEqual(phyUnits.map((u) => u.count));
    expect(firing['999'].count).toBe(0);
  });
});
