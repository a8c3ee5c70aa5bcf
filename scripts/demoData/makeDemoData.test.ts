import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseRecordingObject } from '../../core/protocol/dataObjects';
import { createOpenFile, readSmallFile } from '../../relay/data/openFile';
import { KacheryStore } from '../../relay/data/kachery';
import { DataRoots } from '../../relay/data/roots';
import { openRecording, openSorting, type OpenFile } from '../../relay/formats';
import { main } from '../make-demo-data';
import { makeDemoData, type DemoData } from './makeDemoData';

let dir: string;
let demo: DemoData;
let open: OpenFile;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'demo-data-'));
  demo = await makeDemoData({ outDir: join(dir, 'a'), durationSec: 0.5, numUnits: 6, seed: 3 });
  // The relay's own opener: kachery store + --data-dir, as in production.
  open = createOpenFile({ store: new KacheryStore(demo.kacheryStorageDir), roots: await DataRoots.create([demo.outDir]) });
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('makeDemoData', () => {
  it('writes a Neuropixels 1.0 SpikeGLX recording with visible spikes', async () => {
    const r = await openRecording(demo.spikeglx.recording, open);
    expect(r.info).toMatchObject({ sampleRateHz: 30000, numFrames: 15000, dtype: 'int16' });
    expect(r.info.channelIds).toEqual(Array.from({ length: 384 }, (_, i) => i));
    expect(r.info.gainUvPerBit).toBeCloseTo(2.34375, 10);
    expect(r.info.geom.slice(0, 4)).toEqual([[43, 0], [11, 0], [59, 20], [27, 20]]);
    const big = [...demo.spikeglx.units].sort((a, b) => b.amplitudeUv - a.amplitudeUv)[0];
    const sorting = await openSorting(demo.phy.sorting, open);
    const train = sorting.spikeTrain(big.id).filter((f) => f >= 30 && f < 15000 - 60);
    const s = await r.readSnippets(train, 30, 60, [big.peakChannelId]);
    const mean = new Float64Array(90);
    for (let i = 0; i < s.length; i++) mean[i % 90] += s[i] / train.length;
    const troughUv = Math.min(...mean) * r.info.gainUvPerBit!;
    expect(troughUv).toBeLessThan(-0.7 * big.amplitudeUv);
    expect(troughUv).toBeGreaterThan(-1.3 * big.amplitudeUv);
    const meta = await readFile(demo.spikeglx.metaPath, 'utf8');
    expect(meta).toMatch(/^~imroTbl=\(0,384\)\(0 0 0 500 250 1\)/m);
    expect(meta).toMatch(/^fileSizeBytes=11550000$/m);
    await r.close();
  });

  it('writes the phy folder with the ground truth and a few labels', async () => {
    const s = await openSorting(demo.phy.sorting, open);
    expect(s.sampleRateHz).toBe(30000);
    expect(s.unitIds).toEqual(demo.spikeglx.units.filter((u) => u.numSpikes > 0).map((u) => u.id));
    for (const u of demo.spikeglx.units) if (u.numSpikes) expect(s.spikeTrain(u.id).length).toBe(u.numSpikes);
    expect(Object.keys(s.initialLabels ?? {}).length).toBeGreaterThan(0);
    for (const [id, l] of Object.entries(s.initialLabels ?? {})) expect(l).toEqual([{ good: 'accept', mua: 'mua', noise: 'noise' }[demo.phy.labels[Number(id)]]]);
  });

  it('stores the MDA recording and firings in kachery with sha1:// URIs', async () => {
    expect(demo.mda.rawUri).toMatch(/^sha1:\/\/[0-9a-f]{40}\/raw.mda$/);
    const obj = parseRecordingObject(JSON.parse(new TextDecoder().decode(await readSmallFile(open, demo.mda.recordingUri, 1e6))));
    expect(obj).toEqual(demo.mda.recording);
    const r = await openRecording(obj, open);
    expect(r.info).toMatchObject({ numFrames: 15000, channelIds: Array.from({ length: 16 }, (_, i) => i), dtype: 'float32' });
    const s = await openSorting(demo.mda.sorting, open);
    expect(s.unitIds).toEqual(demo.mda.units.filter((u) => u.numSpikes > 0).map((u) => u.id));
    // The NWB file holds the same traces (int16 at 0.195 µV/bit) and the same units.
    const n = await openRecording(demo.nwb.recording, open);
    expect(n.info.gainUvPerBit).toBeCloseTo(0.195, 9);
    const a = await r.readTraces(1000, 1100, [0, 7, 15]);
    const b = await n.readTraces(1000, 1100, [0, 7, 15]);
    for (let i = 0; i < a.length; i++) expect(Math.abs(a[i] - b[i] * 0.195)).toBeLessThan(0.1);
    const ns = await openSorting(demo.nwb.sorting, open);
    expect(ns.unitIds).toEqual(demo.mda.units.map((u) => u.id)); // NWB lists units without spikes too
    expect(ns.unitIds.filter((u) => ns.spikeTrain(u).length > 0)).toEqual(s.unitIds);
    for (const u of s.unitIds) expect(Array.from(ns.spikeTrain(u))).toEqual(Array.from(s.spikeTrain(u)));
    await r.close();
    await n.close();
  });

  it('is deterministic in the seed', async () => {
    const x = await makeDemoData({ outDir: join(dir, 'x'), durationSec: 0.1, numUnits: 2, seed: 5 });
    const y = await makeDemoData({ outDir: join(dir, 'y'), durationSec: 0.1, numUnits: 2, seed: 5 });
    const z = await makeDemoData({ outDir: join(dir, 'z'), durationSec: 0.1, numUnits: 2, seed: 6 });
    const sha = async (d: DemoData) => /fileSHA1=(\w+)/.exec(await readFile(d.spikeglx.metaPath, 'utf8'))![1];
    expect(await sha(x)).toBe(await sha(y));
    expect(x.mda.rawUri).toBe(y.mda.rawUri);
    expect(await sha(x)).not.toBe(await sha(z));
  });

  it('CLI validates its arguments', async () => {
    const err = process.stderr.write;
    process.stderr.write = (() => true) as typeof process.stderr.write;
    try {
      expect(await main([])).toBe(2);
      expect(await main(['--out', dir, '--units', '0'])).toBe(2);
    } finally {
      process.stderr.write = err;
    }
  });
});
