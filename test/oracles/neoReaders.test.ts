import { execFileSync } from 'node:child_process';
import { copyFile, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openRecording, openSorting } from '../../relay/formats';
import { localOpenFile } from '../../relay/formats/local';
import { encodeNpy } from '../../core/formats/npy';
import { makeDemoData, type DemoData } from '../../scripts/demoData/makeDemoData';
import { runOracleById } from './runOracle';

/**
 * The relay's readers against Neo (Debian's python3-neo 0.11, test/oracles/neo_readers.py), an
 * independent reader, on the same files: the demo's SpikeGLX NP1.0 recording, the same samples under
 * metas with per-channel imroTbl gains (no ~snsGeomMap, as SpikeGLX before 20230202 wrote) and as an
 * NP2.0 four-shank probe, an Open Ephys 0.6 stream with mixed gains, and the demo's phy folder. Rate, channels, frames, µV per bit of every
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

describe('the Open Ephys reader agrees with Neo\'s OpenEphysBinaryRawIO', () => {
  it('a Neuropixels AP stream with one channel of another gain and an ADC channel: rate, frames, gains, samples of the neural channels', async () => {
    const rec = join(dir, 'oe', 'Record Node 101', 'experiment1', 'recording1');
    const stream = 'Neuropix-PXI-100.ProbeA-AP';
    const cont = join(rec, 'continuous', stream);
    await mkdir(cont, { recursive: true });
    const bitVolts = [0.195, 0.195, 0.5, 0.195, 0.195, 0.00015];
    const names = ['CH1', 'CH2', 'CH3', 'CH4', 'CH5', 'ADC1'];
    const C = names.length;
    const F = 3000;
    const samples = Int16Array.from({ length: F * C }, (_, i) => ((i * 7919) % 4001) - 2000);
    await writeFile(join(cont, 'continuous.dat'), new Uint8Array(samples.buffer));
    await writeFile(join(cont, 'sample_numbers.npy'), encodeNpy('int64', [F], BigInt64Array.from({ length: F }, (_, i) => BigInt(1000 + i))));
    // Open Ephys 0.6 writes a TTL event stream beside every recording (Neo 0.11 needs one): a rising and a falling edge.
    const ttl = join(rec, 'events', stream, 'TTL');
    await mkdir(ttl, { recursive: true });
    await writeFile(join(ttl, 'sample_numbers.npy'), encodeNpy('int64', [2], BigInt64Array.from([1100n, 1500n])));
    await writeFile(join(ttl, 'timestamps.npy'), encodeNpy('float64', [2], Float64Array.from([1100 / 30000, 1500 / 30000])));
    await writeFile(join(ttl, 'states.npy'), encodeNpy('int16', [2], Int16Array.from([1, -1])));
    await writeFile(join(ttl, 'full_words.npy'), encodeNpy('int64', [2], BigInt64Array.from([1n, 0n])));
    await writeFile(join(rec, 'structure.oebin'), JSON.stringify({
      'GUI version': '0.6.7',
      continuous: [{
        folder_name: `${stream}/`, sample_rate: 30000, source_processor_name: 'Neuropix-PXI', source_processor_id: 100, stream_name: 'ProbeA-AP', num_channels: C,
        channels: names.map((n, i) => ({ channel_name: n, description: '', identifier: '', history: '', bit_volts: bitVolts[i], units: n.startsWith('ADC') ? 'V' : 'uV' })),
      }],
      events: [{ folder_name: `${stream}/TTL/`, channel_name: 'Neuropixels PXI Sync', description: '', identifier: '', sample_rate: 30000, type: 'int16', num_channels: 1, source_processor: 'Neuropix-PXI', stream_name: 'ProbeA-AP' }],
      spikes: [],
    }, null, 2));
    const neo = runOracleById('neo_readers', [{ id: 'o', op: 'openephys', dirname: join(dir, 'oe'), i_start: 10, i_stop: 40 }]).o;
    const ours = await openRecording({ recording_format: 'openephys', data: { folder: rec } }, localOpenFile());
    try {
      const { info } = ours;
      expect(info.sampleRateHz).toBe(neo.sampling_rate);
      expect(info.numFrames).toBe(neo.num_frames);
      expect(neo.channel_names).toEqual(names);
      // The relay serves the neural channels (not ADC/AUX, units µV), ids = columns of continuous.dat.
      expect(info.channelIds).toEqual([0, 1, 2, 3, 4]);
      const theirs = Array.from(neo.gains.data as Float64Array);
      info.channelIds.forEach((c, i) => expect(info.gainUvPerBit ?? info.channelGainsUvPerBit![i]).toBe(theirs[c]));
      expect(neo.units.slice(0, 5).every((u: string) => u === 'uV')).toBe(true);
      const traces = Array.from(await ours.readTraces(10, 40, info.channelIds));
      const chunk = neo.chunk.data as Float64Array;
      expect(traces).toEqual(Array.from({ length: 30 * 5 }, (_, k) => chunk[Math.floor(k / 5) * C + (k % 5)]));
    } finally {
      await ours.close();
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
