import { describe, expect, it } from 'vitest';
import { openSpikeGlxRecording } from './spikeglx';
import { bytesOf, memoryOpenFile, newReadLog } from './testing';
import { FormatError } from './types';

/** 4 AP channels + sync, 200 frames: value = frame * 10 + column; the sync column holds 7. */
function apBin(frames = 200) {
  const a = new Int16Array(frames * 5);
  for (let f = 0; f < frames; f++) {
    for (let c = 0; c < 4; c++) a[f * 5 + c] = f * 10 + c;
    a[f * 5 + 4] = 7;
  }
  return bytesOf(a);
}

function meta(extra: Record<string, string> = {}, drop: string[] = []) {
  const m: Record<string, string> = {
    typeThis: 'imec', imSampRate: '30000.5', nSavedChans: '5', snsApLfSy: '4,0,1', acqApLfSy: '4,4,1',
    snsSaveChanSubset: 'all', imAiRangeMax: '0.6', imMaxInt: '512', imDatPrb_type: '0', fileSizeBytes: String(200 * 5 * 2),
    '~imroTbl': '(0,4)(0 0 0 500 250 1)(1 0 0 500 250 1)(2 0 0 500 250 1)(3 0 0 500 250 1)',
    '~snsShankMap': '(1,2,480)(0:0:0:1)(0:1:0:1)(0:0:1:1)(0:1:1:1)',
    // As SpikeGLX writes it for NP1.0 electrodes 0–3 (even rows start 27 µm, odd rows 11 µm from the left edge).
    '~snsGeomMap': '(NP1000,1,0,70)(0:27:0:1)(0:59:0:1)(0:11:20:1)(0:43:20:1)',
    ...extra,
  };
  for (const k of drop) delete m[k];
  return Object.entries(m).map(([k, v]) => `${k}=${v}`).join('\n') + '\n';
}

const obj = { recording_format: 'spikeglx', data: { bin_path: '/d/r_g0_t0.imec0.ap.bin', meta_path: '/d/r_g0_t0.imec0.ap.meta' } } as const;
const files = (m = meta(), bin = apBin()) => ({ '/d/r_g0_t0.imec0.ap.bin': bin, '/d/r_g0_t0.imec0.ap.meta': m });

describe('SpikeGLX', () => {
  it('reads rate, channels (sync excluded), geometry and gain', async () => {
    const r = await openSpikeGlxRecording(obj, memoryOpenFile(files()));
    expect(r.info).toEqual({
      sampleRateHz: 30000.5, numFrames: 200, channelIds: [0, 1, 2, 3], channelGroups: [0, 0, 0, 0],
      geom: [[27, 0], [59, 0], [11, 20], [43, 20]], dtype: 'int16', sourceDtype: 'int16', gainUvPerBit: 1e6 * 0.6 / 512 / 500,
    });
    expect(Array.from(await r.readTraces(3, 5, [3, 0]))).toEqual([33, 30, 43, 40]);
    await expect(r.readTraces(0, 1, [4])).rejects.toThrow(/channel 4 is not in/);
  });

  it('gathers snippets with few reads, never the whole file', async () => {
    const log = newReadLog();
    const r = await openSpikeGlxRecording(obj, memoryOpenFile(files(), log));
    const frames = new Float64Array([10, 11, 50, 190]);
    const s = await r.readSnippets(frames, 3, 4, [1, 2]);
    const binReads = log.reads.filter((x) => x.path.endsWith('.bin'));
    expect(binReads.length).toBe(1);
    expect(binReads[0].length).toBeLessThan(2000);
    for (const [i, f] of frames.entries()) {
      expect(Array.from(s.subarray(i * 14, (i + 1) * 14))).toEqual(Array.from(await r.readTraces(f - 3, f + 4, [1, 2])));
    }
  });

  it('without snsGeomMap takes positions from the imroTbl and per-channel gains', async () => {
    const m = meta({ '~imroTbl': '(0,4)(0 0 0 500 250 1)(1 0 0 1000 250 1)(2 0 0 500 250 1)(3 0 0 500 250 1)' }, ['~snsGeomMap']);
    const r = await openSpikeGlxRecording(obj, memoryOpenFile(files(m)));
    expect(r.info.geom).toEqual([[27, 0], [59, 0], [11, 20], [43, 20]]);
    expect(r.info.gainUvPerBit).toBeNull();
    expect(r.info.channelGainsUvPerBit).toEqual([1e6 * 0.6 / 512 / 500, 1e6 * 0.6 / 512 / 1000, 1e6 * 0.6 / 512 / 500, 1e6 * 0.6 / 512 / 500]);
  });

  it('NP2.0 gains and multi-shank geometry from snsGeomMap', async () => {
    const m = meta({
      imDatPrb_type: '24', imAiRangeMax: '0.5', imMaxInt: '8192', '~imroTbl': '(24,4)(0 0 0 0 0)(1 0 0 0 1)(2 1 0 0 2)(3 1 0 0 3)',
      '~snsGeomMap': '(NP2014,4,250,70)(0:27:0:1)(0:59:0:1)(1:27:15:1)(1:59:15:1)',
    });
    const r = await openSpikeGlxRecording(obj, memoryOpenFile(files(m)));
    expect(r.info.gainUvPerBit).toBeCloseTo(1e6 * 0.5 / 8192 / 80, 9);
    expect(r.info.geom).toEqual([[27, 0], [59, 0], [277, 15], [309, 15]]);
    expect(r.info.channelGroups).toEqual([0, 0, 1, 1]);
  });

  it('serves a saved channel subset by original channel id', async () => {
    const m = meta({ snsSaveChanSubset: '0:1,3,768', acqApLfSy: '384,384,1', '~imroTbl': '(0,384)' + Array.from({ length: 384 }, (_, c) => `(${c} 0 0 500 250 1)`).join(''),
      nSavedChans: '4', snsApLfSy: '3,0,1', fileSizeBytes: String(200 * 4 * 2), '~snsGeomMap': '(NP1000,1,0,70)(0:27:0:1)(0:59:0:1)(0:43:20:1)' });
    const a = new Int16Array(200 * 4).map((_, i) => i);
    const r = await openSpikeGlxRecording(obj, memoryOpenFile(files(m, bytesOf(a))));
    expect(r.info.channelIds).toEqual([0, 1, 3]);
    expect(Array.from(await r.readTraces(1, 2, [3]))).toEqual([6]);
  });

  it('reports truncated, inconsistent or foreign files', async () => {
    const cut = apBin().subarray(0, 999);
    await expect(openSpikeGlxRecording(obj, memoryOpenFile(files(meta({}, ['fileSizeBytes']), cut))))
      .rejects.toThrow('/d/r_g0_t0.imec0.ap.bin: 999 bytes is not a whole number of 5-channel int16 frames (10 bytes each); the file is truncated or the channel count/dtype is wrong');
    await expect(openSpikeGlxRecording(obj, memoryOpenFile(files(meta(), apBin(100)))))
      .rejects.toThrow(/1000 bytes, but \/d\/r_g0_t0.imec0.ap.meta says fileSizeBytes=2000 \(truncated\)/);
    await expect(openSpikeGlxRecording(obj, memoryOpenFile(files(meta({ typeThis: 'nidq' }))))).rejects.toThrow(/nidq stream/);
    await expect(openSpikeGlxRecording(obj, memoryOpenFile(files(meta({ snsApLfSy: '4,0,0' }))))).rejects.toThrow(/does not add up to nSavedChans=5/);
    await expect(openSpikeGlxRecording(obj, memoryOpenFile(files(meta({ imDatPrb_pn: 'NP9999' }, ['~snsGeomMap'])))))
      .rejects.toThrow(/no ~snsGeomMap, and the electrode layout of probe NP9999 is not known/);
    await expect(openSpikeGlxRecording(obj, memoryOpenFile(files(meta({}, ['imSampRate']))))).rejects.toThrow(FormatError);
    await expect(openSpikeGlxRecording(obj, memoryOpenFile(files('garbage without equals\n')))).rejects.toThrow(/not a SpikeGLX .meta file/);
    await expect(openSpikeGlxRecording(obj, memoryOpenFile({ '/d/r_g0_t0.imec0.ap.meta': meta() }))).rejects.toThrow(/No such file/);
  });
});
