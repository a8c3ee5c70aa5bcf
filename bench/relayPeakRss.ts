import { mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { LocalStack } from '../emulator/stack';
import { measureFirstView, readFileOnce } from './firstView';
import { writeResult } from './results';
import { EMBEDDED_UNITS, SCALING_DURATION_SEC, ensureScalingData, scalingDataDir } from './scalingUnits';

/**
 * relay-peak-rss (issue 19): the relay's peak RSS (VmHWM of its process) while it serves a cold first
 * view: bench/firstView.ts's two windows (units table + 30 average waveforms, 30 autocorrelograms) in
 * Chromium, on the 2-minute 384-channel recording of bench/scalingUnits.ts with its 300-unit sorting
 * (firstView's own 10-minute data is 13.9 GB). Reference: the recording's size. Meanwhile the relay's
 * /proc/<pid>/status is sampled every 50 ms (RSS anonymous vs file-backed, idle after start vs peak).
 * Over 256 MiB (or BENCH_RSS_PROFILE=1), a second cold run has bench/relayMemorySampler.mjs preloaded in
 * the relay (process.memoryUsage every 20 ms: V8 heap vs Buffers at the peak): where the memory goes.
 */
const GOAL_MIB = 256;

export async function benchRelayPeakRss(): Promise<void> {
  const demo = await ensureScalingData();
  const fileBytes = (await stat(demo.spikeglx.binPath)).size;
  await readFileOnce(demo.spikeglx.binPath);
  await readFileOnce(demo.spikeglx.binPath); // the page cache the relay then finds (as bench/firstView.ts)

  const plain = await coldView(demo, {});
  console.error(`relay-peak-rss: ${JSON.stringify({ ...plain.proc, series: undefined })} (view ${plain.view.cold.ms.toFixed(0)} ms)`);
  let profile: Record<string, unknown> | null = null;
  if (plain.view.relayPeakRssMiB > GOAL_MIB || process.env.BENCH_RSS_PROFILE === '1') {
    const memDir = join(scalingDataDir(), '..', 'relay-memory');
    rmSync(memDir, { recursive: true, force: true });
    mkdirSync(memDir, { recursive: true });
    const sampler = pathToFileURL(join(process.cwd(), 'bench/relayMemorySampler.mjs')).href;
    const sampled = await coldView(demo, { NODE_OPTIONS: `${process.env.NODE_OPTIONS ?? ''} --import ${sampler}`.trim(), SV_BENCH_MEMORY_DIR: memDir });
    const file = readdirSync(memDir).find((f) => f === `relay-${sampled.relayPid}.json`);
    const inProcess = file ? (JSON.parse(readFileSync(join(memDir, file), 'utf8')) as Record<string, unknown>) : null;
    profile = { proc: sampled.proc, vmHwmMiB: sampled.view.relayPeakRssMiB, inProcess: inProcess ? { ...inProcess, series: undefined } : null, inProcessSeries: inProcess?.series };
    console.error(`relay-peak-rss (sampled): ${JSON.stringify({ ...profile, inProcessSeries: undefined })}`);
  }
  const p = plain.proc;
  writeResult({
    name: 'relay-peak-rss', value: plain.view.relayPeakRssMiB,
    unit: `MiB peak RSS of the relay (VmHWM) serving a cold first view: units table + 30 waveforms + 30 autocorrelograms (384 ch, ${SCALING_DURATION_SEC / 60} min, ${EMBEDDED_UNITS} units; idle after start ${p.idle.rssMiB.toFixed(0)} MiB, at the peak ${p.peak.anonMiB.toFixed(0)} anonymous + ${p.peak.fileMiB.toFixed(0)} file-backed)`,
    goal: `≤ ${GOAL_MIB} MiB`, relayProc: plain.proc, viewMs: plain.view.cold.ms, milestonesSec: plain.view.cold.milestonesSec, uploadedMiB: plain.view.uploaded / 2 ** 20, profile,
    reference: { name: 'recording file size', value: fileBytes / 2 ** 20, unit: 'MiB' }, ratio: (plain.view.relayPeakRssMiB * 2 ** 20) / fileBytes,
  });
}

interface ProcMem { rssMiB: number; anonMiB: number; fileMiB: number; hwmMiB: number; t: number }

/** The cold first view on a fresh stack, sampling the relay's /proc/<pid>/status meanwhile. */
async function coldView(demo: Awaited<ReturnType<typeof ensureScalingData>>, functionsEnv: Record<string, string>) {
  let relayPid = 0;
  let idle: ProcMem | null = null;
  let peak: ProcMem | null = null;
  let last: ProcMem | null = null;
  const series: ProcMem[] = [];
  let timer: NodeJS.Timeout | undefined;
  const t0 = performance.now();
  const onStack = (stack: LocalStack) => {
    relayPid = stack.children.find((c) => c.name === 'relay')!.pid;
    idle = readProcMem(relayPid, t0);
    let n = 0;
    timer = setInterval(() => {
      const m = readProcMem(relayPid, t0);
      if (!m) return;
      last = m;
      if (!peak || m.rssMiB > peak.rssMiB) peak = m;
      if (n++ % 20 === 0) series.push(m); // every second
    }, 50);
  };
  // measureFirstView's state folder, fresh: the relay counts as started once its log shows a Backend URI, and an old log has one.
  rmSync(join(scalingDataDir(), '..', 'first-view-state'), { recursive: true, force: true });
  try {
    const view = await measureFirstView(demo, scalingDataDir(), {}, { warm: false, functionsEnv, onStack });
    if (!idle || !peak || !last) throw new Error('relay-peak-rss: the relay\'s memory was not sampled');
    return { view, relayPid, proc: { idle: idle as ProcMem, peak: peak as ProcMem, last: last as ProcMem, series } };
  } finally {
    clearInterval(timer);
  }
}

function readProcMem(pid: number, t0: number): ProcMem | null {
  try {
    const s = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = (k: string) => Number(new RegExp(`${k}:\\s+(\\d+)`).exec(s)?.[1] ?? NaN) / 1024;
    return { rssMiB: kb('VmRSS'), anonMiB: kb('RssAnon'), fileMiB: kb('RssFile') + kb('RssShmem'), hwmMiB: kb('VmHWM'), t: Math.round(performance.now() - t0) };
  } catch {
    return null; // the relay has stopped
  }
}
