import { copyFileSync, cpSync, mkdirSync, readFileSync, symlinkSync, truncateSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PubSub } from '@google-cloud/pubsub';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chunkPath, chunkSpecSchema, RELAY_TOPIC, registeredObjectPath, taskHash } from '../../core/protocol';
import { decodeChunk } from '../../core/protocol/chunkEncoding';
import type { DemoData } from '../../scripts/demoData/makeDemoData';
import { storeBytes, storeJson } from '../../relay/kacheryWrite';
import { waitFor } from '../integration/stackHarness';
import { resultBytes, runOn, startDemoStack, type DemoStack, type TaskSpec } from './stackTasks';

/**
 * Hostile data and requests at the relay (7) and a corrupt and a truncated copy of every demo format
 * family (8), run end to end through the stack: each must fail its task with a message saying why,
 * and leave the relay serving everything else.
 */
let ds: DemoStack;
const bad = new Map<string, { kind: 'recording' | 'sorting'; uri: string }>();
let good: { task: TaskSpec; bytes: Buffer };

const sha1Of = (uri: string) => /sha1:\/\/([0-9a-f]{40})/.exec(uri)![1];
const hex40 = (c: string) => c.repeat(40);

/** Writes the hostile recordings and sortings into the demo's data dir and kachery store. */
async function craft(demo: DemoData): Promise<void> {
  const store = demo.kacheryStorageDir;
  const dir = join(demo.outDir, 'faults');
  mkdirSync(dir, { recursive: true });
  const add = async (name: string, kind: 'recording' | 'sorting', obj: unknown) => bad.set(name, { kind, uri: (await storeJson(store, obj, `${name.replace(/[^a-z0-9]+/gi, "-")}.json`)).uri });
  const mdaRec = (raw: string) => ({ recording_format: 'mda', data: { raw, geom: [[0, 0], [0, 20]], params: { samplerate: 30000 } } });

  // 7: paths and URIs that lead out of the relay's roots, or to nothing, or through lying manifests.
  await add('dot-dot', 'recording', mdaRec(`${demo.outDir}/../../../../etc/passwd`));
  await add('absolute outside', 'recording', mdaRec('/etc/passwd'));
  symlinkSync('/etc/passwd', join(dir, 'escape.mda'));
  await add('symlink escape (file)', 'recording', mdaRec(join(dir, 'escape.mda')));
  symlinkSync('/etc', join(dir, 'etc'));
  await add('symlink escape (dir)', 'recording', mdaRec(join(dir, 'etc', 'hostname')));
  await add('relative path', 'recording', mdaRec('mda/raw.mda'));
  await add('sha1 of an absent file', 'recording', mdaRec(`sha1://${hex40('7')}/raw.mda`));
  await add('file URI', 'recording', mdaRec('file:///etc/passwd'));
  const realRaw = readFileSync(join(demo.outDir, 'mda', 'raw.mda'));
  const half = Math.floor(realRaw.length / 2);
  const c1 = await storeBytes(store, realRaw.subarray(0, half), 'part1');
  const c2 = await storeBytes(store, realRaw.subarray(half), 'part2');
  const chunkSha = (u: string) => sha1Of(u);
  const manifest = async (name: string, m: unknown, uriSha1: string) => {
    const mu = await storeJson(store, m, 'manifest.json');
    await add(name, 'recording', mdaRec(`sha1://${uriSha1}/raw.mda?manifest=${mu.sha1}`));
  };
  const fake = hex40('9');
  await manifest('manifest for another file', { size: realRaw.length, sha1: hex40('8'), chunks: [{ start: 0, end: half, sha1: chunkSha(c1) }, { start: half, end: realRaw.length, sha1: chunkSha(c2) }] }, fake);
  await manifest('manifest with a gap', { size: realRaw.length, sha1: fake, chunks: [{ start: 0, end: half - 10, sha1: chunkSha(c1) }, { start: half, end: realRaw.length, sha1: chunkSha(c2) }] }, fake);
  await manifest('manifest size larger than its chunks', { size: realRaw.length * 2, sha1: fake, chunks: [{ start: 0, end: half, sha1: chunkSha(c1) }, { start: half, end: realRaw.length, sha1: chunkSha(c2) }] }, fake);
  await manifest('manifest with wrong chunk sizes', { size: realRaw.length, sha1: fake, chunks: [{ start: 0, end: half + 8, sha1: chunkSha(c1) }, { start: half + 8, end: realRaw.length, sha1: chunkSha(c2) }] }, fake);
  await manifest('manifest with a missing chunk', { size: realRaw.length, sha1: fake, chunks: [{ start: 0, end: half, sha1: chunkSha(c1) }, { start: half, end: realRaw.length, sha1: hex40('6') }] }, fake);
  const mbad = await storeBytes(store, Buffer.from('{"size": "lots"'), 'manifest.json');
  await add('manifest that is not JSON', 'recording', mdaRec(`sha1://${fake}/raw.mda?manifest=${sha1Of(mbad)}`));

  // 8: a truncated and a corrupt copy of every format family.
  const sg = join(dir, 'spikeglx');
  for (const v of ['truncated', 'corrupt']) {
    mkdirSync(join(sg, v), { recursive: true });
    copyFileSync(demo.spikeglx.binPath, join(sg, v, 'x_g0_t0.imec0.ap.bin'));
    copyFileSync(demo.spikeglx.metaPath, join(sg, v, 'x_g0_t0.imec0.ap.meta'));
  }
  truncateSync(join(sg, 'truncated', 'x_g0_t0.imec0.ap.bin'), 1001);
  writeFileSync(join(sg, 'corrupt', 'x_g0_t0.imec0.ap.meta'), readFileSync(demo.spikeglx.metaPath, 'utf8').replace(/nSavedChans=\d+/, 'nSavedChans=-3').replace(/imSampRate=[\d.]+/, 'imSampRate=fast'));
  for (const v of ['truncated', 'corrupt']) await add(`spikeglx ${v}`, 'recording', { recording_format: 'spikeglx', data: { bin_path: join(sg, v, 'x_g0_t0.imec0.ap.bin'), meta_path: join(sg, v, 'x_g0_t0.imec0.ap.meta') } });

  for (const v of ['truncated', 'corrupt']) cpSync(demo.phy.folder, join(dir, `phy-${v}`), { recursive: true });
  const st = join(dir, 'phy-truncated', 'spike_times.npy');
  truncateSync(st, Math.floor(readFileSync(st).length / 2) + 3);
  const sc = join(dir, 'phy-corrupt', 'spike_clusters.npy');
  const scBytes = readFileSync(sc);
  scBytes.write("{'descr': '<q9', 'fortran_order': True, 'shape': (-1,), }", 10, 'latin1');
  writeFileSync(sc, scBytes);
  for (const v of ['truncated', 'corrupt']) await add(`phy ${v}`, 'sorting', { sorting_format: 'phy', data: { folder: join(dir, `phy-${v}`) } });

  const raw = join(demo.outDir, 'mda', 'raw.mda');
  copyFileSync(raw, join(dir, 'truncated.mda'));
  truncateSync(join(dir, 'truncated.mda'), Math.floor(realRaw.length / 3));
  const corrupt = Buffer.from(realRaw);
  corrupt.writeInt32LE(-42, 0); // no such MDA dtype code
  writeFileSync(join(dir, 'corrupt.mda'), corrupt);
  await add('mda truncated', 'recording', mdaRec(join(dir, 'truncated.mda')));
  await add('mda corrupt', 'recording', mdaRec(join(dir, 'corrupt.mda')));

  const nwb = readFileSync(demo.nwb.path);
  writeFileSync(join(dir, 'truncated.nwb'), nwb.subarray(0, Math.floor(nwb.length / 2)));
  const nwbCorrupt = Buffer.from(nwb);
  for (let i = 8; i < 2048; i++) nwbCorrupt[i] ^= 0x5a; // past the signature: the superblock and root group headers
  writeFileSync(join(dir, 'corrupt.nwb'), nwbCorrupt);
  for (const v of ['truncated', 'corrupt']) {
    await add(`nwb ${v}`, 'recording', { recording_format: 'nwb', data: { path: join(dir, `${v}.nwb`) } });
    await add(`nwb ${v} (units)`, 'sorting', { sorting_format: 'nwb', data: { path: join(dir, `${v}.nwb`) } });
  }
}

beforeAll(async () => {
  ds = await startDemoStack(0.5, async (demo) => {
    await craft(demo);
    return {};
  });
  const priv = ds.gcs.bucket(ds.stack.privateBucket);
  for (const { uri } of bad.values()) await priv.file(registeredObjectPath(ds.stack.label, sha1Of(uri))).save('{}', { resumable: false });
  const task = { functionId: 'get_timeseries_segment.1', kwargs: { recording_uri: ds.uris.get('mda')!.recordingUri, ds_factor: 1, segment_num: 3, segment_size: 100 } };
  await runOn(ds.stack, task);
  good = { task, bytes: await resultBytes(ds.stack, task) };
}, 240_000);
afterAll(async () => ds?.stack.stop());

const tasksFor = (kind: 'recording' | 'sorting', uri: string): TaskSpec[] => kind === 'recording'
  ? [{ functionId: 'recording_info.3', kwargs: { recording_uri: uri } }, { functionId: 'get_timeseries_segment.1', kwargs: { recording_uri: uri, ds_factor: 1, segment_num: 0, segment_size: 100 } }]
  : [{ functionId: 'sorting_info.3', kwargs: { sorting_uri: uri } }];

async function expectRefused(names: string[]): Promise<{ tried: number; passed: number; messages: string[] }> {
  const cases = names.flatMap((name) => tasksFor(bad.get(name)!.kind, bad.get(name)!.uri).map((t) => ({ name, t })));
  const outcomes = await Promise.allSettled(cases.map(({ t }) => runOn(ds.stack, t, 60_000)));
  const wrong: string[] = [];
  const messages: string[] = [];
  for (const [i, o] of outcomes.entries()) {
    const { name, t } = cases[i];
    const msg = o.status === 'rejected' ? String((o.reason as Error).message) : 'finished';
    messages.push(`${name} / ${t.functionId}: ${msg}`);
    if (o.status === 'fulfilled' || /Timed out|Internal error|Gave up after/.test(msg) || msg.length < 15) wrong.push(`${name} / ${t.functionId}: ${msg}`);
  }
  // The relay is alive and serves the good data exactly as before.
  const relay = ds.stack.children.find((c) => c.name === 'relay')!;
  expect(relay.alive()).toBe(true);
  const fresh = { ...good.task, kwargs: { ...good.task.kwargs, segment_num: 4 + Math.floor(Math.random() * 40) } };
  await runOn(ds.stack, fresh);
  expect(await resultBytes(ds.stack, good.task)).toEqual(good.bytes);
  console.log(messages.join('\n'));
  expect(wrong).toEqual([]);
  return { tried: cases.length, passed: cases.length - wrong.length, messages };
}

describe('7 relay attacks', () => {
  it('paths out of the roots, absent sha1 files and lying manifests are refused; the reason reaches the task error', async ({ task }) => {
    const names = [...bad.keys()].filter((n) => !/^(spikeglx|phy|mda|nwb) /.test(n));
    const r = await expectRefused(names);
    for (const m of r.messages.filter((x) => /escape|dot-dot|absolute/.test(x))) expect(m).toMatch(/outside the relay's data directories|Refused/);
    for (const m of r.messages.filter((x) => /^manifest/.test(x))) expect(m).toMatch(/manifest|Chunk/i);
    task.meta.tried = r.tried;
    task.meta.passed = r.passed;
  }, 240_000);

  it('chunk requests with huge, negative and inverted ranges published to the relay topic: refused, relay alive', async ({ task }) => {
    const { stack } = ds;
    const pubsub = new PubSub({ projectId: 'demo-sortingview', apiEndpoint: stack.env.PUBSUB_EMULATOR_HOST, emulatorMode: true });
    const rec = ds.uris.get('mda')!.recordingUri;
    const specs: unknown[] = [
      { type: 'traces', recording: rec, startFrame: 0, endFrame: 1e15, channelIds: [0] },
      { type: 'traces', recording: rec, startFrame: 2 ** 52, endFrame: 2 ** 53, channelIds: [0, 1] },
      { type: 'traces', recording: rec, startFrame: 500, endFrame: 100, channelIds: [0] },
      { type: 'traces', recording: rec, startFrame: -100, endFrame: 100, channelIds: [0] },
      { type: 'traces', recording: rec, startFrame: 0, endFrame: 100, channelIds: [-1, 99999] },
      { type: 'snippets', recording: rec, frames: [1e14, -5], channelIds: [0], before: 10, after: 1e12 },
      { type: 'snippets', recording: rec, frames: [10], channelIds: [0], before: 1e12, after: 10 },
      { type: 'snippetSums', recording: rec, channelIds: [0], before: 10, after: 10, groups: [[1e14]] },
      { type: 'snippetSums', recording: rec, channelIds: [0], before: 1e9, after: 1e9, groups: [[10]] },
      { type: 'snippetSums', recording: rec, channelIds: [0], before: 2, after: 2, groups: [[50, 20]], detailChannelIds: [0] },
      { type: 'snippetSums', recording: rec, channelIds: [0], before: 2, after: 2, groups: [[50]], detailChannelIds: [3] },
      { type: 'minmax', recording: rec, dsFactor: 1e12, segment: 1e12, segmentSize: 1e12 },
      { type: 'minmax', recording: rec, dsFactor: -1, segment: 0, segmentSize: 10 },
      { type: 'file', uri: `sha1://${hex40('5')}/nothing` },
      { type: 'object', uri: '/etc/passwd' },
      { type: 'file', uri: `${ds.demo.outDir}/../../etc/shadow` },
    ];
    const topic = pubsub.topic(RELAY_TOPIC);
    const replyTask = { taskHash: taskHash('sortingview.get_backend_info.1', {}), functionId: 'sortingview.get_backend_info.1', kwargs: {}, backend: stack.label, kind: 'query', attempt: 1 };
    for (const [i, spec] of specs.entries()) {
      await topic.publishMessage({ json: { requestId: `attack-${i}`, backend: stack.label, chunks: [spec], reply: { taskHash: replyTask.taskHash, task: replyTask } }, attributes: { backend: stack.label } });
    }
    const priv = ds.gcs.bucket(stack.privateBucket);
    const relay = stack.children.find((c) => c.name === 'relay')!;
    // Each request is answered with an error chunk that says why, or dropped as malformed (logged).
    let passed = 0;
    const log = () => readFileSync(relay.logFile, 'utf8');
    for (const [i, spec] of specs.entries()) {
      const answered = await waitFor(`attack ${i} to be answered`, async () => {
        const [exists] = await priv.file(chunkPath(stack.label, spec as never)).exists().catch(() => [false]);
        if (exists) {
          const [bytes] = await priv.file(chunkPath(stack.label, spec as never)).download();
          const { header } = decodeChunk(bytes);
          if (header.kind === 'error') return `error chunk: ${header.message}`;
          // A min/max segment past the end is clamped to nothing, as the worker's own kernel computes it.
          return header.kind === 'ndarray' && header.shape.at(-1) === 0 ? 'empty segment (clamped)' : `data chunk ${bytes.length} bytes`;
        }
        const dropped = log().split('\n').filter((l) => /dropped a malformed relay request/.test(l));
        return dropped.length > 0 && isInvalid(spec) ? 'dropped as malformed' : null;
      }, 20_000).catch((e: Error) => e.message);
      console.log(`attack ${i} ${JSON.stringify(spec).slice(0, 100)} → ${answered}`);
      if (/^error chunk: .{10,}|^dropped as malformed|^empty segment/.test(answered)) passed++;
    }
    expect(relay.alive()).toBe(true);
    const fresh = { ...good.task, kwargs: { ...good.task.kwargs, segment_num: 45 } };
    await runOn(ds.stack, fresh);
    task.meta.tried = specs.length;
    task.meta.passed = passed;
    expect(passed).toBe(specs.length);
    await pubsub.close();
  }, 240_000);
});

/** Specs the relay's schema refuses outright (negative or unsafe integers and the like): it drops them, logged. */
function isInvalid(spec: unknown): boolean {
  return !chunkSpecSchema.safeParse(spec).success;
}

describe('8 corrupt and truncated files', () => {
  it('a truncated and a corrupt copy of SpikeGLX, phy, MDA and NWB: each task fails with a clear error, nothing else affected', async ({ task }) => {
    const r = await expectRefused([...bad.keys()].filter((n) => /^(spikeglx|phy|mda|nwb) /.test(n)));
    task.meta.tried = r.tried;
    task.meta.passed = r.passed;
  }, 240_000);
});
