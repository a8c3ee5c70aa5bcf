import { execFileSync } from 'node:child_process';
import { copyFile, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openRecording, openSorting } from '../../relay/formats';
import { localOpenFile } from '../../relay/formats/local';
import { makeDemoData, type DemoData } from '../../scripts/demoData/makeDemoData';
import { runOracleById } from './runOracle';

/**
 * The relay's readers against Neo (Debian's python3-neo 0.11, test/oracles/neo_readers.py), an
 * independent reader, on the same files: the demo's SpikeGLX NP1.0 recording, the same samples under
 * metas with per-channel imroTbl gains (no ~snsGeomMap, as SpikeGLX before 20230202 wrote) and as an
 * NP2.0 four-shank probe, and the demo's phy folder. Rate, channels, frames, µV per bit of every
 * channel, raw samples, clusters and spike frames must agree.
 */
let dir = '';
let demo: DemoData;
const NP1_GAINS = [50, 125, 250, 500, 1000, 1500, 2000, 3000];
const variants: Record<string, { bin: string; meta: string; dir: string }> = {};
const FRAMES: [number, number] = [100, 164];
const CHANNELS = [0, 7, 200, 383];

/** The demo's .meta with `edit` applied, beside a copy of its .bin under `name`/ (neo reads a folder of one run). */
async function variant(name: string, edit: (lines: Map<string, string>) => void) {
  const vdir = join(dir, name, 'run_g0', 'run_g0_imec0');
  await mkdir(vdir, { recursive: true });
  const bin = join(vdir, 'run_g0_t0.imec0.ap.bin');
  const meta = join(vdir, 'run_g0_t0.imec0.ap.meta');
  await copyFile(demo.spikeglx.binPath, bin);
  const lines = new Map((await readFile(demo.spikeglx.metaPath, 'utf8')).trim().split('\n').map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)] as [string, string]));
  lines.set('fileName', bin);
  edit(lines);
  await writeFile(meta, [...lines].map(([k, v]) => `${k}=${v}`).join('\n') + '\n');
  variants[name] = { bin, meta, dir: vdir };
}

beforeAll(async () => {
  try {
    execFileSync('/usr/bin/python3', ['-c', 'import neo'], { stdio: 'ignore' });
  } catch {
    throw new Error('These checks need Debian\'s Neo: apt-get install python3-neo (.ci/run installs it)');
  }
  dir = await mkdtemp(join(tmpdir(), 'sv-neo-'));
  demo = await makeDemoData({ outDir: join(dir, 'demo'), durationSec: 0.5, numUnits: 12 });
  await variant('np1', () => {});
  await variant('np1-gains', (m) => {
    m.set('~imroTbl', '(0,384)' + Array.from({ length: 384 }, (_, c) => `(${c} 0 0 ${NP1_GAINS[c % NP1_GAINS.length]} 250 1)`).join(''));
    m.delete('~snsGeomMap');
  });
  await variant('np2', (m) => {
    m.set('imDatPrb_type', '24');
    m.set('imDatPrb_pn', 'NP2014');
    m.set('imAiRangeMax', '0.5');
    m.set('imAiRangeMin', '-0.5');
    m.set('imMaxInt', '8192');
    // NP2.0 four-shank imroTbl: (channel shank bank reference electrode); channels 0–95 on each shank.
    m.set('~imroTbl', '(24,384)' + Array.from({ length: 384 }, (_, c) => `(${c} ${Math.floor(c / 96)} 0 0 ${c % 96})`).join(''));
    m.delete('~snsGeomMap');
  });
}, 120_000);
afterAll(async () => { if (dir) await rm(dir, { recursive: true, force: true }); });

describe('the SpikeGLX reader agrees with Neo\'s SpikeGLXRawIO', () => {
  it.each(['np1', 'np1-gains', 'np2'])('%s: rate, channels (both leave the sync channel out), frames, µV per bit of each channel, raw samples', async (name) => {
    const v = variants[name]!;
    const neo = runOracleById('neo_readers', [{ id: 'r', op: 'spikeglx', dirname: join(dir, name), i_start: FRAMES[0], i_stop: FRAMES[1], channels: CHANNELS }]).r;
    const rec = await openRecording({ recording_format: 'spikeglx', data: { bin_path: v.bin, meta_path: v.meta } }, localOpenFile());
    try {
      const { info } = rec;
      expect(info.sampleRateHz).toBe(neo.sampling_rate);
      // Neo leaves the sync channel out by default (load_sync_channel=False), as the relay does.
      expect(info.channelIds.map((c) => `AP${c}`)).toEqual(neo.channel_names);
      expect(info.numFrames).toBe(neo.num_frames);
      const ours = info.channelIds.map((_, i) => info.gainUvPerBit ?? info.channelGainsUvPerBit![i]!);
      const theirs = Array.from(neo.gains.data as Float64Array);
      ours.forEach((g, i) => expect(g / theirs[i]!).toBeCloseTo(1, 12));
      if (name === 'np1-gains') expect(new Set(ours).size).toBe(NP1_GAINS.length);
      expect(neo.units.every((u: string) => u === 'uV')).toBe(true);
      const traces = await rec.readTraces(FRAMES[0], FRAMES[1], CHANNELS);
      expect(Array.from(traces)).toEqual(Array.from(neo.chunk.data as Float64Array));
    } finally {
      await rec.close();
    }
  }, 120_000);
});

describe('the phy reader agrees with Neo\'s PhyRawIO', () => {
  it('the same clusters, each with the same spike frames', async () => {
    const neo = runOracleById('neo_readers', [{ id: 'p', op: 'phy', dirname: demo.phy.folder }]).p;
    const ours = await openSorting(demo.phy.sorting, localOpenFile());
    expect(ours.sampleRateHz).toBe(neo.sampling_rate);
    expect(ours.unitIds).toEqual(neo.unit_ids);
    let k = 0;
    const frames = neo.frames.data as Float64Array;
    neo.unit_ids.forEach((u: number, i: number) => {
      const theirs = Array.from(frames.subarray(k, k + neo.counts[i])).sort((a, b) => a - b);
      k += neo.counts[i];
      expect(Array.from(ours.spikeTrain(u))).toEqual(theirs);
    });
    expect(k).toBe(ours.unitIds.reduce((n, u) => n + ours.spikeTrain(u).length, 0));
    expect(k).toBeGreaterThan(20);
  }, 120_000);
});
