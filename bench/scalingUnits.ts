import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { copyFileSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { stat } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { Storage } from '@google-cloud/storage';
import { gcsBlobStore } from '../adapters/gcs/gcsBlobStore';
import { runTask } from '../core/client/runTask';
import { encodeNpy } from '../core/formats/npy';
import { taskStatusObjectSchema } from '../core/protocol/messages';
import { unitsSummaryRequest } from '../core/tasks/contracts/unitsTable';
import { DEMO_OWNER, ensureDemoData } from '../emulator/demo';
import { startLocalStack, type LocalStack } from '../emulator/stack';
import { detectFormat } from '../relay/formats';
import { workspaceAddRecording, workspaceAddSorting, workspaceCreate, type WorkspaceDeps } from '../relay/commands/workspace';
import type { DemoData } from '../scripts/demoData/makeDemoData';
import { neuropixels1 } from '../scripts/demoData/probe';
import { simulateUnits } from '../scripts/demoData/simulate';
import { readFileOnce } from './firstView';
import { writeResult } from './results';

/**
 * scaling-units (issue 19): the units table (sortingview.units_summary.1) cold, through the whole local
 * stack (API → Pub/Sub → worker instances → relay → bucket → client), on ONE recording with sortings
 * of 100, 300, 1000 and 3000 units.
 *
 * Data (.sortingview/bench/scaling-units/data, generated once): a 2-minute, 384-channel SpikeGLX
 * recording by the demo generator (scripts/demoData) with 300 units' spikes embedded in the traces, and
 * its phy sorting; the other sortings are phy folders of the same simulation (same seed and stream) with
 * more or fewer units: the generator draws units one after the other, so unit i is the same unit in
 * every sorting. So the 100- and 300-unit sortings are spikes in the traces; of 1000 and 3000 units,
 * the first 300 are, the others are spike trains (Poisson, 1–20 Hz, 2 ms refractory) over noise.
 *
 * Each sorting runs on a fresh stack (empty buckets: cold), the relay over the data. Per sorting: the
 * task's wall time as the client sees it (runTask, the GUI's poll policy), the relay's bytes uploaded
 * (the private bucket's chunks), the worker instances' process CPU time (utime + stime of
 * /proc/<pid>/stat; also the relay's), and the storage emulator's operations by price class (the
 * client's status polls included). BENCH_REPS rounds (3), the median per count. Exponent: least
 * squares of log(median) on log(units).
 * References in the same run: the 100-unit figures, and reading the recording file once.
 */
export const UNIT_COUNTS = (process.env.BENCH_UNITS ?? '100,300,1000,3000').split(',').map(Number);
export const SCALING_DURATION_SEC = 120;
const REPS = Number(process.env.BENCH_REPS ?? 3);
export const EMBEDDED_UNITS = 300;

export function scalingDataDir(): string {
  return join(process.cwd(), '.sortingview/bench/scaling-units/data');
}

export async function ensureScalingData(): Promise<DemoData> {
  return ensureDemoData(scalingDataDir(), SCALING_DURATION_SEC, (l) => console.error(l), EMBEDDED_UNITS);
}

export async function benchScalingUnits(): Promise<void> {
  const demo = await ensureScalingData();
  const fileBytes = (await stat(demo.spikeglx.binPath)).size;
  const sortings = new Map(UNIT_COUNTS.map((n) => [n, n === EMBEDDED_UNITS ? demo.phy.folder : ensurePhySorting(demo, n)]));
  await readFileOnce(demo.spikeglx.binPath); // into the page cache, as the relay then finds it
  const readOnceMs = await readFileOnce(demo.spikeglx.binPath);
  console.error(`scaling-units: read ${(fileBytes / 2 ** 30).toFixed(2)} GiB once in ${(readOnceMs / 1000).toFixed(2)} s`);

  // REPS rounds over the unit counts in turn (so a slow spell of the shared machine hits every count),
  // then each figure's median per count.
  const runs = new Map<number, Point[]>(UNIT_COUNTS.map((n) => [n, []]));
  for (let rep = 0; rep < REPS; rep++) {
    for (const n of UNIT_COUNTS) {
      const p = await measureUnitsTable(demo, sortings.get(n)!, n);
      console.error(`scaling-units: round ${rep + 1}/${REPS}, ${n} units: ${JSON.stringify({ ...p, bucketOps: undefined })}`);
      runs.get(n)!.push(p);
    }
  }
  const points = UNIT_COUNTS.map((n) => medianPoint(runs.get(n)!));
  const readOnceAfterMs = await readFileOnce(demo.spikeglx.binPath);
  const first = points[0];
  const last = points[points.length - 1];
  const fit = (f: (p: Point) => number) => logLogSlope(points.map((p) => p.units), points.map(f));
  const exponents = {
    wallTime: fit((p) => p.wallMs), finishedAt: fit((p) => p.finishedMs), workerCpu: fit((p) => p.workerCpuMs),
    relayBytes: fit((p) => p.relayBytes), bucketOps: fit((p) => p.bucketOps.classA + p.bucketOps.classB),
  };
  // Between consecutive counts: does it bend upwards at the large end?
  const local = (f: (p: Point) => number) => points.slice(1).map((p, i) => ({ from: points[i].units, to: p.units, exponent: logLogSlope([points[i].units, p.units], [f(points[i]), f(p)]) }));
  const localExponents = { wallTime: local((p) => p.wallMs), workerCpu: local((p) => p.workerCpuMs), relayCpu: local((p) => p.relayCpuMs), relayBytes: local((p) => p.relayBytes) };
  const list = (f: (p: Point) => string) => points.map((p) => `${p.units}: ${f(p)}`).join(', ');
  const top = (xs: { from: number; to: number; exponent: number }[]) => `${xs[xs.length - 1].from}→${xs[xs.length - 1].to}: ${xs[xs.length - 1].exponent.toFixed(2)}`;
  const common = {
    points, runs: Object.fromEntries([...runs].map(([n, ps]) => [n, ps.map((p) => ({ ...p, bucketOps: { classA: p.bucketOps.classA, classB: p.bucketOps.classB } }))])), reps: REPS, exponents, localExponents, unitCounts: UNIT_COUNTS, embeddedUnits: EMBEDDED_UNITS, recording: `SpikeGLX 384 ch, ${SCALING_DURATION_SEC} s, ${(fileBytes / 2 ** 30).toFixed(2)} GiB`,
    readRecordingOnceMs: { before: readOnceMs, after: readOnceAfterMs },
  };
  const span = `${first.units}→${last.units} units`;
  writeResult({
    name: 'scaling-units', value: last.wallMs / 1000,
    unit: `s, units table (units_summary.1) of ${last.units} units, cold, through the local stack (384 ch, 2 min; ${list((p) => `${(p.wallMs / 1000).toFixed(1)} s`)}, median of ${REPS}; log-log exponent ${exponents.wallTime.toFixed(2)}, ${top(localExponents.wallTime)}; reading the recording once ${(readOnceMs / 1000).toFixed(2)} s)`,
    goal: 'exponent ≤ 1 (no faster than linear)', ...common,
    reference: { name: `the same task with ${first.units} units`, value: first.wallMs / 1000, unit: 's' }, ratio: last.wallMs / first.wallMs,
  });
  writeResult({
    name: 'scaling-units-worker-cpu', value: last.workerCpuMs / 1000,
    unit: `s worker CPU (the instances' utime+stime) for the units table of ${last.units} units (${list((p) => `${(p.workerCpuMs / 1000).toFixed(2)} s`)}; exponent ${exponents.workerCpu.toFixed(2)}, ${top(localExponents.workerCpu)}; relay CPU ${list((p) => `${(p.relayCpuMs / 1000).toFixed(2)} s`)})`,
    goal: 'exponent ≤ 1', ...common,
    reference: { name: `the same with ${first.units} units`, value: first.workerCpuMs / 1000, unit: 's' }, ratio: last.workerCpuMs / first.workerCpuMs,
  });
  writeResult({
    name: 'scaling-units-relay-bytes', value: last.relayBytes / 2 ** 20,
    unit: `MiB uploaded by the relay for the units table of ${last.units} units (${list((p) => `${(p.relayBytes / 2 ** 20).toFixed(2)} MiB`)}; exponent ${exponents.relayBytes.toFixed(2)}, ${top(localExponents.relayBytes)}; recording ${(fileBytes / 2 ** 20).toFixed(0)} MiB)`,
    goal: 'exponent ≤ 1', ...common,
    reference: { name: `the same with ${first.units} units`, value: first.relayBytes / 2 ** 20, unit: 'MiB' }, ratio: last.relayBytes / first.relayBytes,
  });
  const ops = (p: Point) => p.bucketOps.classA + p.bucketOps.classB;
  writeResult({
    name: 'scaling-units-bucket-ops', value: ops(last),
    unit: `bucket ops (class A + B, the client's status polls included) for the units table of ${last.units} units (${list((p) => `${p.bucketOps.classA} A + ${p.bucketOps.classB} B`)}; exponent ${exponents.bucketOps.toFixed(2)})`,
    goal: 'exponent ≤ 1', ...common,
    reference: { name: `the same with ${first.units} units`, value: ops(first), unit: 'ops' }, ratio: ops(last) / ops(first),
  });
  console.error(`scaling-units: ${span}, exponents ${JSON.stringify(exponents)}`);
}

interface Point {
  units: number;
  numSpikes: number;
  wallMs: number;
  /** When the worker wrote the finished status (its `updated`), from the request: without the client's poll delay. */
  finishedMs: number;
  workerCpuMs: number;
  relayCpuMs: number;
  relayBytes: number;
  bucketOps: { classA: number; classB: number; byOp: Record<string, number> };
}

/** Each figure's median over the runs (bucket ops by class; byOp of the median run by wall time). */
function medianPoint(ps: Point[]): Point {
  const med = (f: (p: Point) => number) => {
    const xs = ps.map(f).sort((a, b) => a - b);
    return xs.length % 2 ? xs[(xs.length - 1) / 2] : (xs[xs.length / 2 - 1] + xs[xs.length / 2]) / 2;
  };
  const byWall = [...ps].sort((a, b) => a.wallMs - b.wallMs)[Math.floor((ps.length - 1) / 2)];
  return {
    units: ps[0].units, numSpikes: ps[0].numSpikes, wallMs: med((p) => p.wallMs), finishedMs: med((p) => p.finishedMs), workerCpuMs: med((p) => p.workerCpuMs),
    relayCpuMs: med((p) => p.relayCpuMs), relayBytes: med((p) => p.relayBytes),
    bucketOps: { classA: med((p) => p.bucketOps.classA), classB: med((p) => p.bucketOps.classB), byOp: byWall.bucketOps.byOp },
  };
}

/** One cold units table on a fresh stack. */
async function measureUnitsTable(demo: DemoData, sortingFolder: string, units: number): Promise<Point> {
  // A fresh state folder: the relay counts as started once its log shows a Backend URI, and an old log has one.
  const stateDir = join(scalingDataDir(), '..', `state-${units}`);
  rmSync(stateDir, { recursive: true, force: true });
  const stack = await startLocalStack({
    stateDir, auth: false, pubsub: 'ours',
    relay: { dataDirs: [demo.outDir], kacheryStorageDir: demo.kacheryStorageDir },
  });
  try {
    const { recordingUri, sortingUri } = await addRecordingAndSorting(stack, demo, sortingFolder, `${units}-units`);
    const deps = { fetch, sleep: (ms: number) => new Promise<void>((r) => setTimeout(r, ms)), now: () => performance.now() };
    const req = unitsSummaryRequest({ recordingUri, sortingUri });
    const workers = stack.children.filter((c) => c.name === 'worker' || c.name.startsWith('worker-'));
    const relay = stack.children.find((c) => c.name === 'relay')!;
    const chunksBefore = await uploadedChunkBytes(stack);
    const cpuBefore = workers.map((w) => processCpuMs(w.pid));
    const relayCpuBefore = processCpuMs(relay.pid);
    stack.storage.resetCounters();
    const startedEpoch = Date.now();
    const t0 = performance.now();
    const { taskHash, result } = await runTask({ apiUrl: stack.apiUrl, backend: stack.label, functionId: req.functionId, kwargs: req.kwargs, timeoutMs: 1_200_000 }, deps);
    const wallMs = performance.now() - t0;
    const bucketOps = stack.storage.counters();
    const workerCpuMs = workers.reduce((s, w, i) => s + processCpuMs(w.pid) - cpuBefore[i], 0);
    const relayCpuMs = processCpuMs(relay.pid) - relayCpuBefore;
    const got = (result as { unit_ids: number[] }).unit_ids.length;
    if (got !== units) throw new Error(`scaling-units: the table has ${got} units, not ${units}`);
    const relayBytes = (await uploadedChunkBytes(stack)) - chunksBefore;
    const status = taskStatusObjectSchema.parse(await (await fetch(`${stack.storage.publicUrl}/${stack.bucket}/task_status/${stack.label}/${taskHash}.json`)).json());
    const numSpikes = (result as { units: Record<string, { count: number }> }).units;
    return {
      units, numSpikes: Object.values(numSpikes).reduce((s, u) => s + u.count, 0), wallMs, finishedMs: status.updated - startedEpoch,
      workerCpuMs, relayCpuMs, relayBytes, bucketOps: { classA: bucketOps.classA, classB: bucketOps.classB, byOp: bucketOps.byOp },
    };
  } finally {
    await stack.stop();
  }
}

/** A workspace with the recording and one sorting of it, through the commands a lab uses. */
export async function addRecordingAndSorting(stack: LocalStack, demo: DemoData, sortingFolder: string, label: string) {
  const storage = new Storage({ projectId: stack.env.GOOGLE_CLOUD_PROJECT, apiEndpoint: stack.storage.url });
  const deps: WorkspaceDeps = {
    env: { ...stack.env, SORTINGVIEW_BACKEND: stack.backendUri, KACHERY_STORAGE_DIR: demo.kacheryStorageDir, SORTINGVIEW_USER: DEMO_OWNER, SORTINGVIEW_APP_URL: stack.webUrl },
    cwd: demo.outDir,
    openStores: (t) => ({ public: gcsBlobStore(storage.bucket(t.bucket)), private: gcsBlobStore(storage.bucket(t.privateBucket)) }),
    random: (n) => randomBytes(n),
    now: Date.now,
    detectFormat,
    stdout: () => {},
    stderr: (line) => console.error(line),
  };
  const { workspaceUri } = await workspaceCreate({ label: `scaling-${label}` }, deps);
  const { recordingId, recordingUri } = await workspaceAddRecording(workspaceUri, demo.spikeglx.binPath, { label: 'recording' }, deps);
  const { sortingId, sortingUri } = await workspaceAddSorting(workspaceUri, sortingFolder, { label, recordingId }, deps);
  return { workspaceUri, recordingId, recordingUri, sortingId, sortingUri };
}

/**
 * A phy folder of `numUnits` units of the recording's simulation (the generator's seed and stream, so
 * its first units are those in the traces), in the data folder the relay serves. Written once.
 */
function ensurePhySorting(demo: DemoData, numUnits: number): string {
  const folder = join(demo.outDir, `phy-${numUnits}`);
  if (existsSync(join(folder, 'params.py'))) return folder;
  const sim = simulateUnits({ probe: neuropixels1(), sampleRateHz: demo.spikeglx.sampleRateHz, numFrames: demo.spikeglx.numFrames, numUnits, seed: 1, stream: 1 });
  // The same units as the generator's (else "embedded" would be untrue).
  for (const t of demo.spikeglx.units.slice(0, numUnits)) {
    if (sim.units[t.id].spikeFrames.length !== t.numSpikes || sim.units[t.id].peakChannel !== t.peakChannelId) throw new Error(`scaling-units: unit ${t.id} differs from the recording's`);
  }
  mkdirSync(folder, { recursive: true });
  const all = sim.units.flatMap((u) => Array.from(u.spikeFrames, (f) => [f, u.id] as const)).sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  writeFileSync(join(folder, 'spike_times.npy'), encodeNpy('uint64', [all.length], BigUint64Array.from(all, ([f]) => BigInt(f))));
  writeFileSync(join(folder, 'spike_clusters.npy'), encodeNpy('int32', [all.length], Int32Array.from(all, ([, u]) => u)));
  writeFileSync(join(folder, 'spike_templates.npy'), encodeNpy('uint32', [all.length], Uint32Array.from(all, ([, u]) => u)));
  for (const f of ['channel_map.npy', 'channel_positions.npy']) copyFileSync(join(demo.phy.folder, f), join(folder, f));
  writeFileSync(join(folder, 'cluster_KSLabel.tsv'), ['cluster_id\tKSLabel', ...sim.units.map((u) => `${u.id}\t${u.amplitudeUv > 100 ? 'good' : 'mua'}`), ''].join('\n'));
  // params.py last: it marks the folder complete.
  writeFileSync(join(folder, 'params.py'), [
    `dat_path = '${relative(folder, demo.spikeglx.binPath)}'`, 'n_channels_dat = 385', "dtype = 'int16'", 'offset = 0', `sample_rate = ${demo.spikeglx.sampleRateHz}.`, 'hp_filtered = False', '',
  ].join('\n'));
  return folder;
}

let clockTicks: number | undefined;
/** A process's CPU time so far (user + system, all its threads), from /proc/<pid>/stat. */
export function processCpuMs(pid: number): number {
  clockTicks ??= Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' '); // fields from the 3rd (state) on
  const utime = Number(fields[11]);
  const stime = Number(fields[12]);
  return ((utime + stime) * 1000) / clockTicks;
}

/** Least-squares slope of log(y) on log(x). */
export function logLogSlope(xs: number[], ys: number[]): number {
  const lx = xs.map(Math.log);
  const ly = ys.map(Math.log);
  const mx = lx.reduce((a, b) => a + b, 0) / lx.length;
  const my = ly.reduce((a, b) => a + b, 0) / ly.length;
  let num = 0;
  let den = 0;
  for (let i = 0; i < lx.length; i++) {
    num += (lx[i] - mx) * (ly[i] - my);
    den += (lx[i] - mx) ** 2;
  }
  return num / den;
}

export async function uploadedChunkBytes(stack: LocalStack): Promise<number> {
  const gcs = new Storage({ projectId: stack.env.GOOGLE_CLOUD_PROJECT, apiEndpoint: stack.storage.url });
  const [files] = await gcs.bucket(stack.privateBucket).getFiles({ prefix: `chunks/${stack.label}/` });
  return files.reduce((n, f) => n + Number(f.metadata.size), 0);
}
