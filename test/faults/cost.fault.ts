import { PubSub } from '@google-cloud/pubsub';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeResult, taskHash, taskStatusPath, TASKS_TOPIC, type NdArray } from '../../core/protocol';
import { tilePairs } from '../../core/tasks/views/pyramid';
import { waitFor } from '../integration/stackHarness';
import { runOn, startDemoStack, type DemoStack } from './stackTasks';

/**
 * Issue 14 items 6 and 10 on a stack as a deployment runs it (diagnostic tasks off): cheap requests
 * may not buy large relay work, and the diagnostic tasks do not exist. The relay's fair queue and the
 * pyramid's "raw frames read once" are shown with a real relay service in relay/serviceFairness.test.ts.
 */
let ds: DemoStack;
let recordingUri: string;
let numChannels: number;
let numFrames: number;
const post = (body: unknown) => fetch(`${ds.stack.apiUrl}/v1/tasks`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
const segment = (kwargs: Record<string, unknown>) => ({ functionId: 'get_timeseries_segment.1', kwargs: { recording_uri: recordingUri, ...kwargs } });

beforeAll(async () => {
  // 3 s: more frames than one base tile (243 · 261 frames at 384 channels), so the overview is derived.
  ds = await startDemoStack(3, async () => ({ functionsEnv: { SORTINGVIEW_DIAGNOSTIC_TASKS: '0' } }));
  recordingUri = ds.uris.get('spikeglx')!.recordingUri;
}, 300_000);
afterAll(async () => {
  await ds?.stack.stop();
});

describe('relay cost, min/max pyramid, diagnostic tasks (issue 14 items 6, 10)', () => {
  it('diagnostic tasks are off unless turned on: 404 at the API, refused by the worker, not listed', async () => {
    for (const [functionId, kwargs] of [['sortingview.test_sleep.1', { seconds: 60 }], ['sortingview.test_error.1', { message: 'written into your bucket' }]] as const) {
      const res = await post({ backend: ds.stack.label, functionId, kwargs });
      expect(res.status).toBe(404);
      expect(await res.json()).toMatchObject({ error: 'unknown_task', message: expect.stringMatching(/diagnostic task, off in this deployment \(SORTINGVIEW_DIAGNOSTIC_TASKS=1 turns it on\)/) });
    }
    const health = await (await fetch(`${ds.stack.apiUrl}/v1/health`)).json();
    expect(health.taskFunctionIds).not.toContain('sortingview.test_sleep.1');
    const info = await runOn(ds.stack, { functionId: 'sortingview.get_backend_info.1', kwargs: {} });
    expect((info.result as { taskFunctionIds: string[] }).taskFunctionIds).toEqual(health.taskFunctionIds);
    // A message that reaches the topic without the API: the worker refuses it too.
    const kwargs = { seconds: 30 };
    const hash = taskHash('sortingview.test_sleep.1', kwargs);
    const pubsub = new PubSub({ projectId: 'demo-sortingview', apiEndpoint: ds.stack.env.PUBSUB_EMULATOR_HOST, emulatorMode: true });
    try {
      await pubsub.topic(TASKS_TOPIC).publishMessage({ json: { taskHash: hash, functionId: 'sortingview.test_sleep.1', kwargs, backend: ds.stack.label, kind: 'pure', attempt: 0 }, attributes: { backend: ds.stack.label, taskHash: hash } });
    } finally {
      await pubsub.close();
    }
    const status = await waitFor('the worker to refuse test_sleep', async () => {
      const res = await fetch(`${ds.stack.storage.publicUrl}/${ds.stack.bucket}/${taskStatusPath(ds.stack.label, hash)}`);
      return res.ok ? (await res.json()) : null;
    });
    expect(status).toMatchObject({ status: 'error', errorMessage: expect.stringMatching(/diagnostic task, off in this deployment/) });
  });

  it('ds_factor is 1 or a pyramid level: anything else is refused, saying which are valid', async () => {
    for (const dsFactor of [10, 1_000_000]) {
      const res = await post({ backend: ds.stack.label, ...segment({ ds_factor: dsFactor, segment_num: 0, segment_size: 1000 }) });
      expect(res.status).toBe(400);
      expect((await res.json()).message).toMatch(/ds_factor must be 1 \(raw samples\) or a min\/max pyramid level: a power of 3 from 3 to 14348907/);
    }
  });

  it('a request above the relay cost bound is refused before it is queued (400 too_costly), saying what to ask instead', async () => {
    // Before recording_info.3 ran, the API estimates for the widest recording the segment cap allows.
    const wide = segment({ ds_factor: 243, segment_num: 0, segment_size: 2000, filter: 'none' });
    const early = await post({ backend: ds.stack.label, ...wide });
    expect(early.status).toBe(400);
    expect(await early.json()).toMatchObject({ error: 'too_costly', message: expect.stringMatching(/ask for recording_info\.3 first/) });
    const info = (await runOn(ds.stack, { functionId: 'recording_info.3', kwargs: { recording_uri: recordingUri } })).result as { channel_ids: number[]; num_frames: number };
    numChannels = info.channel_ids.length;
    numFrames = info.num_frames;
    // Knowing the recording (3 s: at most two base tiles of raw reads), the same request is within the bound.
    // (Refusals with the facts known, on recordings of an hour, are in core/tasks/cost.test.ts.)
    expect((await post({ backend: ds.stack.label, ...wide })).status).toBe(200);
  });

  it('a whole-file overview comes from the pyramid and equals the min/max of the raw samples', async () => {
    const P = tilePairs(numChannels);
    let level = 3;
    while (P * level < numFrames) level *= 3; // the web app's whole-file level: one segment
    expect(level).toBeGreaterThan(243); // derived from base tiles, not read from raw
    const traces = async (kwargs: Record<string, unknown>) => (decodeResult((await runOn(ds.stack, segment({ ...kwargs, filter: 'none' }))).result) as { traces: NdArray<'float32'> }).traces;
    const row = (a: NdArray<'float32'>, c: number) => Array.from(a.data.subarray(c * a.shape[1], (c + 1) * a.shape[1]));
    const overview = await traces({ ds_factor: level, segment_num: 0, segment_size: P });
    const perSegment = Math.floor(4_000_000 / numChannels);
    const whole: number[][] = Array.from({ length: numChannels }, () => []);
    for (let s = 0; s * perSegment < numFrames; s++) {
      const raw = await traces({ ds_factor: 1, segment_num: s, segment_size: perSegment });
      for (let c = 0; c < numChannels; c++) whole[c].push(...row(raw, c));
    }
    // Every (min, max) pair of the overview is that of its `level` raw frames.
    const blocks = Math.ceil(numFrames / level);
    expect(overview.shape).toEqual([numChannels, 2 * blocks]);
    for (let c = 0; c < numChannels; c++) {
      const expected = Array.from({ length: blocks }, (_, b) => whole[c].slice(b * level, (b + 1) * level)).flatMap((xs) => [Math.min(...xs), Math.max(...xs)]);
      expect(row(overview, c)).toEqual(expected);
    }
    // Another segment size over the same level: the same tile, no new relay work, the same pairs.
    const seven = await traces({ ds_factor: level, segment_num: 0, segment_size: 7 });
    expect(row(seven, 5)).toEqual(row(overview, 5).slice(0, 14));
  }, 240_000);
});
