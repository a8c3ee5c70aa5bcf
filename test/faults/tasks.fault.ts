import { createHash } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeChunk } from '../../core/protocol/chunkEncoding';
import { killGroup, type ChildService } from '../../emulator/childProcess';
import { startFunction } from '../../emulator/functionsHost';
import { startRelayChild } from '../../emulator/relayChild';
import { waitFor } from '../integration/stackHarness';
import { makeRng } from './fuzz';
import { resultBytes, resultUrl, runOn, startDemoStack, type DemoStack, type TaskSpec } from './stackTasks';

/**
 * The task pipeline under Pub/Sub faults (1), a worker killed at random points (2) and a relay killed
 * while it uploads (3), on one stack with a relay over the demo data.
 */
let ds: DemoStack;
let worker: ChildService;
const extraChildren: ChildService[] = [];
const logDir = mkdtempSync(join(tmpdir(), 'sv-faults-logs-'));

beforeAll(async () => {
  ds = await startDemoStack(0.5);
  worker = ds.stack.children.find((c) => c.name === 'worker')!;
}, 180_000);
afterAll(async () => {
  for (const c of extraChildren) await c.stop();
  await ds?.stack.stop();
});

/** Every format family: info, sorting info, a raw and a min/max trace segment. */
const tasksOf = (ds: DemoStack): TaskSpec[] => [...ds.uris.values()].flatMap(({ recordingUri, sortingUri }) => [
  { functionId: 'recording_info.3', kwargs: { recording_uri: recordingUri } },
  { functionId: 'sorting_info.3', kwargs: { sorting_uri: sortingUri } },
  { functionId: 'get_timeseries_segment.1', kwargs: { recording_uri: recordingUri, ds_factor: 1, segment_num: 1, segment_size: 300 } },
  { functionId: 'get_timeseries_segment.1', kwargs: { recording_uri: recordingUri, ds_factor: 9, segment_num: 0, segment_size: 200 } },
]);

/** Forgets every result, status and chunk of the backend, so the same tasks run again from scratch. */
async function wipe(): Promise<void> {
  const { stack, gcs } = ds;
  for (const [bucket, prefix] of [[stack.bucket, `task_results/${stack.label}/`], [stack.bucket, `task_status/${stack.label}/`], [stack.privateBucket, `chunks/${stack.label}/`]]) {
    const [files] = await gcs.bucket(bucket).getFiles({ prefix });
    await Promise.all(files.map((f) => f.delete()));
  }
}

describe('1 duplicate + nack', () => {
  it('every message delivered twice and 10 % of acks lost: all tasks finish, results byte-identical to a clean run', async ({ task }) => {
    const tasks = tasksOf(ds);
    await Promise.all(tasks.map((t) => runOn(ds.stack, t)));
    const clean = await Promise.all(tasks.map((t) => resultBytes(ds.stack, t)));
    await wipe();
    const ours = ds.stack.pubsub.ours!;
    const before = ours.stats();
    ours.setFaults({ duplicate: true, nackFraction: 0.1, seed: 7 });
    try {
      const outcomes = await Promise.allSettled(tasks.map((t) => runOn(ds.stack, t, 120_000)));
      const errors = outcomes.flatMap((o, i) => (o.status === 'rejected' ? [`${tasks[i].functionId}: ${(o.reason as Error).message}`] : []));
      expect(errors).toEqual([]);
    } finally {
      ours.setFaults({});
    }
    const after = ours.stats();
    const faulty = await Promise.all(tasks.map((t) => resultBytes(ds.stack, t)));
    let same = 0;
    for (const [i, t] of tasks.entries()) {
      expect({ t, sha1: createHash('sha1').update(faulty[i]).digest('hex') }).toEqual({ t, sha1: createHash('sha1').update(clean[i]).digest('hex') });
      same++;
    }
    console.log(`duplicate+nack: ${tasks.length} tasks; Pub/Sub delivered ${after.delivered - before.delivered}, redelivered ${after.redelivered - before.redelivered}, nacked ${after.nacked - before.nacked}`);
    expect(after.delivered - before.delivered).toBeGreaterThan(after.published - before.published); // the duplicates did arrive
    task.meta.tried = tasks.length;
    task.meta.passed = same;
  }, 300_000);
});

describe('2 worker SIGKILL', () => {
  it('the worker killed at a random point in 20 runs: every task finishes, no reader sees a half-written result', async ({ task }) => {
    const r = makeRng(2);
    const port = new URL(ds.stack.workerUrl).port;
    const { recordingUri } = ds.uris.get('spikeglx')!;
    let finished = 0;
    for (let run = 0; run < 20; run++) {
      const t: TaskSpec = { functionId: 'get_timeseries_segment.1', kwargs: { recording_uri: recordingUri, ds_factor: run % 3 === 2 ? 3 : 1, segment_num: 2 + run, segment_size: 250 } };
      const url = resultUrl(ds.stack, t);
      let running = true;
      const torn: string[] = [];
      const reader = (async () => {
        while (running) {
          const res = await fetch(url);
          const text = await res.text();
          if (res.ok) {
            try { JSON.parse(text); } catch { torn.push(text.slice(-80)); }
          }
          await new Promise((x) => setTimeout(x, 10));
        }
      })();
      const pending = runOn(ds.stack, t, 120_000);
      await new Promise((x) => setTimeout(x, r.int(400)));
      killGroup(worker.pid, 'SIGKILL');
      await waitFor('the worker to die', async () => !worker.alive());
      const restarted = await startFunction({
        name: `worker-${run}`, source: join(process.cwd(), 'dist/functions/worker'), target: 'worker', signatureType: 'cloudevent',
        env: { ...process.env, ...ds.stack.env }, logDir, port: Number(port), readyPath: '/',
      });
      worker = restarted.service;
      extraChildren.push(worker);
      const { result } = await pending;
      running = false;
      await reader;
      expect(torn).toEqual([]);
      expect(JSON.parse((await resultBytes(ds.stack, t)).toString('utf8'))).toEqual(result);
      finished++;
    }
    task.meta.tried = 20;
    task.meta.passed = finished;
  }, 600_000);
});

describe('3 relay SIGKILL', () => {
  it('the relay killed mid-upload and restarted: tasks finish; every chunk in the bucket is whole', async ({ task }) => {
    const r = makeRng(3);
    let relay = ds.stack.children.find((c) => c.name === 'relay')!;
    const runs = 5;
    let finished = 0;
    for (let run = 0; run < runs; run++) {
      // Several tasks at once, so the relay is busy uploading when it dies.
      const tasks: TaskSpec[] = [...ds.uris.values()].map(({ recordingUri }) => ({
        functionId: 'get_timeseries_segment.1', kwargs: { recording_uri: recordingUri, ds_factor: 1, segment_num: 20 + run, segment_size: 400 },
      }));
      const pending = Promise.all(tasks.map((t) => runOn(ds.stack, t, 120_000)));
      await new Promise((x) => setTimeout(x, 100 + r.int(400)));
      killGroup(relay.pid, 'SIGKILL');
      await waitFor('the relay to die', async () => !relay.alive());
      relay = await startRelayChild({
        name: `relay-${run}`, label: ds.stack.label, apiUrl: ds.stack.apiUrl, dataDirs: [ds.demo.outDir], kacheryStorageDir: ds.demo.kacheryStorageDir,
        env: { ...process.env, ...ds.stack.env }, logDir,
      });
      extraChildren.push(relay);
      await pending;
      finished += tasks.length;
    }
    // Every chunk is whole: its bytes match the checksum the bucket recorded, and it decodes to its declared size.
    const [files] = await ds.gcs.bucket(ds.stack.privateBucket).getFiles({ prefix: `chunks/${ds.stack.label}/` });
    expect(files.length).toBeGreaterThan(0);
    for (const f of files) {
      const [bytes] = await f.download({ validation: 'md5' });
      const [meta] = await f.getMetadata();
      if (meta.contentEncoding !== 'gzip') expect(createHash('md5').update(bytes).digest('base64')).toBe(meta.md5Hash);
      const { header, payload } = decodeChunk(bytes);
      if (header.kind === 'ndarray') {
        const itemBytes = { float32: 4, float64: 8, int16: 2, int32: 4, int64: 8, uint8: 1 }[header.dtype];
        expect(payload.length).toBe(header.shape.reduce((a, b) => a * b, 1) * itemBytes);
      }
    }
    task.meta.tried = runs * 3;
    task.meta.passed = finished;
  }, 600_000);
});
