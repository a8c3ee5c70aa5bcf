import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Storage } from '@google-cloud/storage';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runTask } from '../../core/client/runTask';
import { resultToPlainJson } from '../../core/protocol';
import { registrationPaths } from '../../core/tasks/dataKwargs';
import type { LocalStack } from '../../emulator/stack';
import { encodeMda } from '../../relay/formats/mda';
import { storeJson } from '../../relay/kacheryWrite';
import { startTestStack } from './stackHarness';

/**
 * The two-phase data flow on the local stack: worker → chunk request → relay (real CLI process, over
 * real files) → private bucket → task re-published → result.
 */
const sampleRateHz = 30_000;
const numChannels = 4;
const numFrames = 3 * sampleRateHz;
/** Stores an object JSON in the kachery store as the workspace commands do; its sha1:// URI. */
const storeUri = async (dir: string, obj: unknown, basename: string) => (await storeJson(dir, obj, basename)).uri;

let stack: LocalStack;
let base: string;
let raw: Int16Array;
const uris: Record<string, string> = {};
const deps = { fetch, sleep: (ms: number) => new Promise<void>((r) => setTimeout(r, ms)), now: () => performance.now() };


beforeAll(async () => {
  base = mkdtempSync(join(tmpdir(), 'sv-relay-'));
  const dataDir = join(base, 'data');
  const storeDir = join(base, 'kachery-storage');
  mkdirSync(dataDir, { recursive: true });
  // A small MDA recording: a ramp per channel plus a deterministic wiggle, and a firings file.
  raw = new Int16Array(numFrames * numChannels);
  for (let f = 0; f < numFrames; f++) for (let c = 0; c < numChannels; c++) raw[f * numChannels + c] = ((f * 7 + c * 1000) % 2001) - 1000 + Math.round(50 * Math.sin(f / 13 + c));
  writeFileSync(join(dataDir, 'raw.mda'), encodeMda('int16', [numChannels, numFrames], raw));
  const times = [100, 5000, 20_000, 60_000, 89_000, 300, 45_000];
  const labels = [1, 1, 1, 1, 1, 2, 2];
  const firings = new Float64Array(3 * times.length);
  times.forEach((t, i) => { firings[3 * i] = 1; firings[3 * i + 1] = t; firings[3 * i + 2] = labels[i]; });
  writeFileSync(join(dataDir, 'firings.mda'), encodeMda('float64', [3, times.length], firings));
  const geom = [[0, 0], [0, 20], [16, 40], [16, 60]];
  uris.recording = await storeUri(storeDir, { recording_format: 'mda', data: { raw: join(dataDir, 'raw.mda'), geom, params: { samplerate: sampleRateHz } } }, 'rec.json');
  uris.sorting = await storeUri(storeDir, { sorting_format: 'mda', data: { firings: join(dataDir, 'firings.mda'), samplerate: sampleRateHz } }, 'sorting.json');
  uris.outside = await storeUri(storeDir, { recording_format: 'mda', data: { raw: '/etc/passwd', geom, params: { samplerate: sampleRateHz } } }, 'evil.json');

  stack = await startTestStack({ auth: false, pubsub: 'ours', relay: { dataDirs: [dataDir], kacheryStorageDir: storeDir } });
  const priv = new Storage({ projectId: 'demo-sortingview', apiEndpoint: stack.storage.url }).bucket(stack.privateBucket);
  for (const uri of Object.values(uris)) {
    for (const p of registrationPaths(stack.label, uri)) await priv.file(p).save('{}', { resumable: false });
  }
}, 120_000);
afterAll(async () => stack?.stop());

const run = (functionId: string, kwargs: Record<string, unknown>) =>
  runTask({ apiUrl: stack.apiUrl, backend: stack.label, functionId, kwargs, timeoutMs: 30_000 }, deps).then((r) => resultToPlainJson(r.result) as Record<string, any>);

describe('the relay serves what tasks need', () => {
  it('recording_info.3 over an MDA recording', async () => {
    const info = await run('recording_info.3', { recording_uri: uris.recording });
    expect(info.sampling_frequency).toBe(sampleRateHz);
    expect(info.num_frames).toBe(numFrames);
    expect(info.channel_ids).toEqual([0, 1, 2, 3]);
    expect(info.geom).toEqual([[0, 0], [0, 20], [16, 40], [16, 60]]);
    expect(info.noise_level).toBeGreaterThan(0);
    expect(info.recording_object.recording_format).toBe('mda');
  });

  it('sorting_info.3 over MDA firings', async () => {
    const info = await run('sorting_info.3', { sorting_uri: uris.sorting });
    expect(info).toMatchObject({ unit_ids: [1, 2], samplerate: sampleRateHz });
  });

  it('get_timeseries_segment.1: raw traces, and min/max reduced at the source', async () => {
    const seg = await run('get_timeseries_segment.1', { recording_uri: uris.recording, ds_factor: 1, segment_num: 1, segment_size: 1000 });
    for (const c of [0, 3]) for (const i of [0, 999]) expect(seg.traces[c][i]).toBe(raw[(1000 + i) * numChannels + c]);
    const ds = await run('get_timeseries_segment.1', { recording_uri: uris.recording, ds_factor: 81, segment_num: 0, segment_size: 500 });
    expect(ds.traces).toHaveLength(numChannels);
    expect(ds.traces[2]).toHaveLength(2 * 500);
    let lo = Infinity;
    let hi = -Infinity;
    for (let f = 3 * 81; f < 4 * 81; f++) {
      lo = Math.min(lo, raw[f * numChannels + 2]);
      hi = Math.max(hi, raw[f * numChannels + 2]);
    }
    expect([ds.traces[2][6], ds.traces[2][7]]).toEqual([lo, hi]);
  });

  it('refuses data outside its roots, and the reason reaches the task error without the path', async () => {
    const err = await run('recording_info.3', { recording_uri: uris.outside }).then(() => null, (e: Error) => e);
    expect(err?.message).toMatch(/"passwd": it is outside the relay's data directories/);
    expect(err?.message).not.toContain('/etc');
  });

  it('uploaded only a small fraction of the recording', async () => {
    const priv = new Storage({ projectId: 'demo-sortingview', apiEndpoint: stack.storage.url }).bucket(stack.privateBucket);
    const [files] = await priv.getFiles({ prefix: `chunks/${stack.label}/` });
    const bytes = files.reduce((n, f) => n + Number(f.metadata.size), 0);
    expect(files.length).toBeGreaterThan(0);
    // info reads 1 s of 3 s for the noise level; the segments are tiny.
    expect(bytes).toBeLessThan(raw.byteLength * 0.5);
  });
});
