import { SingleBar } from 'cli-progress';
import { createHash } from 'node:crypto';
import { mkdir, open, readFile, writeFile } from 'node:fs/promises';
import { join, relative, resolve } from 'node:path';
import type { RecordingObject, SortingObject } from '../../core/protocol/dataObjects';
import { encodeMda, mdaHeaderBytes } from '../../relay/formats/mda';
import { encodeNpy } from '../../core/formats/npy';
import { storeBytes, storeJson } from './kachery';
import { writeNwbFile } from './nwbWrite';
import { neuropixels1, smallProbe, spikeGlxMetaText } from './probe';
import { createRng } from './random';
import { simulateUnits, synthesizeBlock, type Simulation } from './simulate';

/**
 * Deterministic demo dataset in real file formats (same seed ⇒ same bytes):
 * - `spikeglx/demo_g0/demo_g0_imec0/demo_g0_t0.imec0.ap.{bin,meta}`: Neuropixels 1.0, 384 AP + sync
 *   channel, int16 at 30 kHz, AP gain 500 (2.34375 µV/bit), written block by block;
 * - `phy/`: its ground-truth sorting as a Kilosort/phy folder (spike_times.npy uint64, spike_clusters.npy,
 *   spike_templates.npy, params.py, channel_map.npy, channel_positions.npy, cluster_group.tsv with a few
 *   labels, cluster_KSLabel.tsv);
 * - `mda/`: a 16-channel float32 (µV) recording, raw.mda + geom.csv + params.json + firings.mda,
 *   also stored in `kachery-storage/` (sha1/aa/bb/cc/<sha1>) with recording/sorting object JSON;
 * - `nwb/demo.nwb`: the first ≤ 10 s of the 16-channel recording (int16, 0.195 µV/bit) with its units table;
 * - `demo.json`: everything below, for tools.
 */
export interface DemoDataOptions {
  outDir: string;
  durationSec?: number;
  numUnits?: number;
  seed?: number;
  /** A cli-progress bar on stderr (the CLI turns it on). */
  progress?: boolean;
}

export interface DemoUnitTruth { id: number; peakChannelId: number; amplitudeUv: number; rateHz: number; numSpikes: number }

export interface DemoData {
  outDir: string;
  kacheryStorageDir: string;
  spikeglx: { binPath: string; metaPath: string; recording: RecordingObject; sampleRateHz: number; numFrames: number; gainUvPerBit: number; units: DemoUnitTruth[] };
  phy: { folder: string; sorting: SortingObject; labels: Record<number, string> };
  mda: {
    folder: string; rawUri: string; geomUri: string; paramsUri: string; firingsUri: string;
    recording: RecordingObject; sorting: SortingObject; recordingUri: string; sortingUri: string; numFrames: number; units: DemoUnitTruth[];
  };
  nwb: { path: string; recording: RecordingObject; sorting: SortingObject; numFrames: number };
}

export const DEMO_DEFAULTS = { durationSec: 2, numUnits: 20, seed: 1 } as const;
const NP1_GAIN_UV = (1e6 * 0.6) / 512 / 500;
const NWB_GAIN_UV = 0.195;
const BLOCK_FRAMES = 3000;

function truth(sim: Simulation, idOf: (u: number) => number): DemoUnitTruth[] {
  return sim.units.map((u) => ({ id: idOf(u.id), peakChannelId: u.peakChannel, amplitudeUv: u.amplitudeUv, rateHz: u.rateHz, numSpikes: u.spikeFrames.length }));
}

/** Streams `sim` to `path` as [frame][column] samples: `encode` turns a block of µV into bytes. */
async function streamRecording(path: string, header: Uint8Array, sim: Simulation, noiseSeed: number,
  encode: (uv: Float32Array, start: number, end: number) => Uint8Array, tick: (frames: number) => void,
  onBlock?: (uv: Float32Array, start: number, end: number) => void): Promise<{ sha1: string; size: number }> {
  const fh = await open(path, 'w');
  const hash = createHash('sha1');
  const noise = createRng(noiseSeed, 1000);
  let pos = 0;
  try {
    const write = async (b: Uint8Array) => {
      hash.update(b);
      await fh.write(b, 0, b.length, pos);
      pos += b.length;
    };
    if (header.length) await write(header);
    for (let s = 0; s < sim.numFrames; s += BLOCK_FRAMES) {
      const e = Math.min(sim.numFrames, s + BLOCK_FRAMES);
      const uv = synthesizeBlock(sim, s, e, noise);
      onBlock?.(uv, s, e);
      await write(encode(uv, s, e));
      tick(e - s);
    }
  } finally {
    await fh.close();
  }
  return { sha1: hash.digest('hex'), size: pos };
}

const toInt16 = (v: number) => Math.max(-32768, Math.min(32767, Math.round(v)));

export async function makeDemoData(opts: DemoDataOptions): Promise<DemoData> {
  const outDir = resolve(opts.outDir);
  const durationSec = opts.durationSec ?? DEMO_DEFAULTS.durationSec;
  const numUnits = opts.numUnits ?? DEMO_DEFAULTS.numUnits;
  const seed = opts.seed ?? DEMO_DEFAULTS.seed;
  if (!(durationSec > 0) || !Number.isInteger(numUnits) || numUnits < 1) throw new Error('makeDemoData: durationSec must be > 0 and numUnits a positive integer');
  const fs = 30000;
  const numFrames = Math.round(durationSec * fs);
  const kacheryStorageDir = join(outDir, 'kachery-storage');
  const sgDir = join(outDir, 'spikeglx', 'demo_g0', 'demo_g0_imec0');
  const phyDir = join(outDir, 'phy');
  const mdaDir = join(outDir, 'mda');
  const nwbDir = join(outDir, 'nwb');
  for (const d of [kacheryStorageDir, sgDir, phyDir, mdaDir, nwbDir]) await mkdir(d, { recursive: true });

  const np = simulateUnits({ probe: neuropixels1(), sampleRateHz: fs, numFrames, numUnits, seed, stream: 1 });
  const small = simulateUnits({ probe: smallProbe(16), sampleRateHz: fs, numFrames, numUnits: Math.min(numUnits, 8), seed, stream: 2 });

  const bar = opts.progress ? new SingleBar({ format: 'demo data [{bar}] {percentage}% | {value}/{total} s of recordings | ETA {eta}s', stream: process.stderr, hideCursor: true }) : null;
  let done = 0;
  bar?.start(Math.round(2 * durationSec * 10) / 10, 0);
  const tick = (frames: number) => {
    done += frames;
    bar?.update(Math.round((done / fs) * 10) / 10);
  };

  // SpikeGLX: 384 AP channels + the sync channel (bit 6 toggling at 1 Hz, as the imec sync input).
  const binName = 'demo_g0_t0.imec0.ap.bin';
  const binPath = join(sgDir, binName);
  const sg = await streamRecording(binPath, new Uint8Array(0), np, seed * 7 + 1, (uv, s, e) => {
    const out = new Int16Array((e - s) * 385);
    for (let f = 0; f < e - s; f++) {
      for (let c = 0; c < 384; c++) out[f * 385 + c] = toInt16(uv[f * 384 + c] / NP1_GAIN_UV);
      out[f * 385 + 384] = (s + f) % fs < fs / 2 ? 64 : 0;
    }
    return new Uint8Array(out.buffer);
  }, tick);
  const metaPath = join(sgDir, 'demo_g0_t0.imec0.ap.meta');
  await writeFile(metaPath, spikeGlxMetaText({ binFileName: binPath, fileSizeBytes: sg.size, numFrames, sampleRateHz: fs, sha1: sg.sha1, apGain: 500 }));

  // phy folder for it (ground truth; a few units carry manual labels).
  const all = np.units.flatMap((u) => Array.from(u.spikeFrames, (f) => [f, u.id] as const)).sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  await writeFile(join(phyDir, 'spike_times.npy'), encodeNpy('uint64', [all.length], BigUint64Array.from(all, ([f]) => BigInt(f))));
  await writeFile(join(phyDir, 'spike_clusters.npy'), encodeNpy('int32', [all.length], Int32Array.from(all, ([, u]) => u)));
  await writeFile(join(phyDir, 'spike_templates.npy'), encodeNpy('uint32', [all.length], Uint32Array.from(all, ([, u]) => u)));
  await writeFile(join(phyDir, 'channel_map.npy'), encodeNpy('int32', [384], Int32Array.from({ length: 384 }, (_, i) => i)));
  await writeFile(join(phyDir, 'channel_positions.npy'), encodeNpy('float64', [384, 2], Float64Array.from(np.probe.geom.flat())));
  await writeFile(join(phyDir, 'params.py'), [
    `dat_path = '${relative(phyDir, binPath)}'`, 'n_channels_dat = 385', "dtype = 'int16'", 'offset = 0', `sample_rate = ${fs}.`, 'hp_filtered = False', '',
  ].join('\n'));
  const phyLabels: Record<number, string> = {};
  const labelCycle = ['good', 'good', 'mua', 'noise'];
  np.units.slice(0, Math.min(4, np.units.length)).forEach((u, i) => (phyLabels[u.id] = labelCycle[i]));
  await writeFile(join(phyDir, 'cluster_group.tsv'), ['cluster_id\tgroup', ...Object.entries(phyLabels).map(([id, g]) => `${id}\t${g}`), ''].join('\n'));
  await writeFile(join(phyDir, 'cluster_KSLabel.tsv'), ['cluster_id\tKSLabel', ...np.units.map((u) => `${u.id}\t${u.amplitudeUv > 100 ? 'good' : 'mua'}`), ''].join('\n'));

  // MDA (16 channels, float32 µV) + the first ≤ 10 s as int16 for the NWB file.
  const nwbFrames = Math.min(numFrames, 10 * fs);
  const nwbTraces = new Int16Array(nwbFrames * 16);
  const rawPath = join(mdaDir, 'raw.mda');
  const mdaFile = await streamRecording(rawPath, mdaHeaderBytes('float32', [16, numFrames]), small, seed * 7 + 2,
    (uv) => new Uint8Array(uv.buffer, uv.byteOffset, uv.byteLength), tick,
    (uv, s, e) => {
      for (let f = s; f < Math.min(e, nwbFrames); f++) for (let c = 0; c < 16; c++) nwbTraces[f * 16 + c] = toInt16(uv[(f - s) * 16 + c] / NWB_GAIN_UV);
    });
  bar?.stop();
  const geomCsv = small.probe.geom.map(([x, y]) => `${x},${y}`).join('\n') + '\n';
  const paramsJson = JSON.stringify({ samplerate: fs, spike_sign: -1 });
  await writeFile(join(mdaDir, 'geom.csv'), geomCsv);
  await writeFile(join(mdaDir, 'params.json'), paramsJson);
  const ev = small.units.flatMap((u) => Array.from(u.spikeFrames, (f) => [u.peakChannel + 1, f, u.id + 1] as const)).sort((a, b) => a[1] - b[1] || a[2] - b[2]);
  const firings = encodeMda('float64', [3, ev.length], Float64Array.from(ev.flat()));
  await writeFile(join(mdaDir, 'firings.mda'), firings);

  const raw = await storeBytes(kacheryStorageDir, new Uint8Array(await readFile(rawPath)), 'raw.mda');
  if (raw.sha1 !== mdaFile.sha1) throw new Error('makeDemoData: raw.mda changed while storing it');
  const geom = await storeBytes(kacheryStorageDir, new TextEncoder().encode(geomCsv), 'geom.csv');
  const params = await storeBytes(kacheryStorageDir, new TextEncoder().encode(paramsJson), 'params.json');
  const fir = await storeBytes(kacheryStorageDir, firings, 'firings.mda');
  const mdaRecording: RecordingObject = { recording_format: 'mda', data: { raw: raw.uri, geom: small.probe.geom, params: { samplerate: fs } } };
  const mdaSorting: SortingObject = { sorting_format: 'mda', data: { firings: fir.uri, samplerate: fs } };
  const recObj = await storeJson(kacheryStorageDir, mdaRecording, 'demo-mda-recording.json');
  const sortObj = await storeJson(kacheryStorageDir, mdaSorting, 'demo-mda-sorting.json');

  const nwbPath = join(nwbDir, 'demo.nwb');
  await writeNwbFile(nwbPath, {
    sampleRateHz: fs, traces: nwbTraces, numChannels: 16, conversion: NWB_GAIN_UV * 1e-6,
    electrodes: { ids: small.probe.geom.map((_, i) => i), relX: small.probe.geom.map((g) => g[0]), relY: small.probe.geom.map((g) => g[1]), groupNames: small.probe.geom.map(() => 'shank0') },
    units: { ids: small.units.map((u) => u.id + 1), spikeTimesSec: small.units.map((u) => Float64Array.from(u.spikeFrames.filter((f) => f < nwbFrames), (f) => f / fs)) },
    identifier: `sortingview-demo-seed-${seed}`,
  });

  const result: DemoData = {
    outDir,
    kacheryStorageDir,
    spikeglx: {
      binPath, metaPath, recording: { recording_format: 'spikeglx', data: { bin_path: binPath, meta_path: metaPath } },
      sampleRateHz: fs, numFrames, gainUvPerBit: NP1_GAIN_UV, units: truth(np, (u) => u),
    },
    phy: { folder: phyDir, sorting: { sorting_format: 'phy', data: { folder: phyDir } }, labels: phyLabels },
    mda: {
      folder: mdaDir, rawUri: raw.uri, geomUri: geom.uri, paramsUri: params.uri, firingsUri: fir.uri,
      recording: mdaRecording, sorting: mdaSorting, recordingUri: recObj.uri, sortingUri: sortObj.uri, numFrames, units: truth(small, (u) => u + 1),
    },
    nwb: { path: nwbPath, recording: { recording_format: 'nwb', data: { path: nwbPath } }, sorting: { sorting_format: 'nwb', data: { path: nwbPath } }, numFrames: nwbFrames },
  };
  await writeFile(join(outDir, 'demo.json'), JSON.stringify(result, null, 2) + '\n');
  return result;
}
