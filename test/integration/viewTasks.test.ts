import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Storage } from '@google-cloud/storage';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runTask } from '../../core/client/runTask';
import { encodeResult } from '../../core/protocol';
import { registrationPaths } from '../../core/tasks/dataKwargs';
import type { LocalStack } from '../../emulator/stack';
import { encodeMda } from '../../relay/formats/mda';
import { storeJson } from '../../relay/kacheryWrite';
import { startTestStack } from './stackHarness';
import { findTask } from '../../core/tasks/catalog';
import { FakeRelay, runRounds } from '../../core/tasks/views/testing/fakeRelay';
import { synthRecording } from '../../core/kernels/waveforms/testing/synth';

/** Stores an object JSON in the kachery store as the workspace commands do; its sha1:// URI. */
const storeUri = async (dir: string, obj: unknown, basename: string) => (await storeJson(dir, obj, basename)).uri;

let stack: LocalStack;
const uris: Record<string, string> = {};
const fake = new FakeRelay();
const deps = { fetch, sleep: (ms: number) => new Promise<void>((r) => setTimeout(r, ms)), now: () => performance.now() };
beforeAll(async () => {
  const base = mkdtempSync(join(tmpdir(), 'sv-e2e-'));
  const dataDir = join(base, 'data');
  const storeDir = join(base, 'kachery-storage');
  mkdirSync(dataDir, { recursive: true });
  const F = 60_000; const C = 20;
  const rec = synthRecording({ seed: 3, numFrames: F, numChannels: C, units: [
    { unitId: 1, peakChannel: 3, amplitude: 200, count: 300, extraTimes: [0, F - 1] },
    { unitId: 2, peakChannel: 15, amplitude: 150, count: 200 },
    { unitId: 3, peakChannel: 9, amplitude: 100, count: 1 },
  ] });
  const T = new Int16Array(F * C);
  for (let f = 0; f < F; f++) for (let c = 0; c < C; c++) T[c + f * C] = rec.traces[f * C + c];
  writeFileSync(join(dataDir, 'raw.mda'), encodeMda('int16', [C, F], T));
  const times: number[] = []; const labels: number[] = [];
  for (const u of rec.units) for (const t of u.times) { times.push(t); labels.push(u.unitId); }
  const firings = new Float64Array(3 * times.length);
  times.forEach((t, i) => { firings[3 * i] = 1; firings[3 * i + 1] = t; firings[3 * i + 2] = labels[i]; });
  writeFileSync(join(dataDir, 'firings.mda'), encodeMda('float64', [3, times.length], firings));
  const recObj = { recording_format: 'mda', data: { raw: join(dataDir, 'raw.mda'), geom: rec.geom, params: { samplerate: 30000 } } };
  uris.recording = await storeUri(storeDir, recObj, 'rec.json');
  uris.filtered = await storeUri(storeDir, { recording_format: 'filtered', data: { recording: recObj, filters: [{ type: 'bandpass_filter', freq_min: 300, freq_max: 6000, freq_wid: 1000 }] } }, 'filt.json');
  uris.sorting = await storeUri(storeDir, { sorting_format: 'mda', data: { firings: join(dataDir, 'firings.mda'), samplerate: 30000 } }, 'sorting.json');
  uris.metrics = await storeUri(storeDir, [{ name: 'm', label: 'M', data: { 1: 0.5 } }], 'metrics.json');
  // The same data for the fake relay (MDA channel ids are 0..C-1).
  const info = { sampleRateHz: 30000, numFrames: F, channelIds: Array.from({ length: C }, (_, i) => i), channelGroups: Array(C).fill(0), geom: rec.geom as [number, number][], dtype: 'int16' as const, gainUvPerBit: null, filters: [] as any[] };
  fake.recordings.set(uris.recording, { info, traces: rec.traces });
  fake.recordings.set(uris.filtered, { info: { ...info, filters: [{ type: 'bandpass_filter', freqMinHz: 300, freqMaxHz: 6000, freqWidHz: 1000 }] }, traces: rec.traces });
  const trains = rec.units.map((u) => u.times.slice().sort());
  fake.sortings.set(uris.sorting, { sampleRateHz: 30000, unitIds: [1, 2, 3], trains });
  stack = await startTestStack({ auth: false, pubsub: 'ours', relay: { dataDirs: [dataDir], kacheryStorageDir: storeDir } });
  const priv = new Storage({ projectId: 'demo-sortingview', apiEndpoint: stack.storage.url }).bucket(stack.privateBucket);
  for (const uri of Object.values(uris)) for (const p of registrationPaths(stack.label, uri)) await priv.file(p).save('{}', { resumable: false });
}, 120_000);
afterAll(async () => stack?.stop());

const cases = (): [string, Record<string, unknown>][] => [
  ['sortingview.units_summary.1', { recording_uri: uris.recording, sorting_uri: uris.sorting }],
  ['sortingview.units_summary.1', { recording_uri: uris.filtered, sorting_uri: uris.sorting }],
  ['fetch_average_waveform.2', { recording_uri: uris.recording, sorting_uri: uris.sorting, unit_id: [1, 3] }],
  ['fetch_spike_amplitudes.1', { recording_uri: uris.filtered, sorting_uri: uris.sorting, unit_id: 1 }],
  ['pair_cluster_features.4', { recording_uri: uris.recording, sorting_uri: uris.sorting, unit_id1: 1, unit_id2: 2 }],
  ['sortingview.template_similarity.1', { recording_uri: uris.recording, sorting_uri: uris.sorting }],
  ['sortingview.fetch_correlogram_matrix.1', { sorting_uri: uris.sorting, unit_ids: [1, 2] }],
  ['get_timeseries_segment.1', { recording_uri: uris.filtered, ds_factor: 9, segment_num: 1, segment_size: 3000 }],
  ['get_timeseries_segment.1', { recording_uri: uris.filtered, ds_factor: 1, segment_num: 2, segment_size: 5000 }],
];
describe('view tasks over the real relay equal the fake relay', () => {
  it('every view task, raw and filtered recordings', async () => {
    for (const [id, kw] of cases()) {
      const real = await runTask({ apiUrl: stack.apiUrl, backend: stack.label, functionId: id, kwargs: kw, timeoutMs: 60_000 }, deps);
      const viaFake = await runRounds(findTask(id)!, kw, fake);
      expect(JSON.parse(JSON.stringify(real.result)), id).toEqual(JSON.parse(JSON.stringify(encodeResult(viaFake.result))));
    }
  }, 300_000);
});
