import { describe, expect, it } from 'vitest';
import { openSpikeGlxRecording } from './spikeglx';
import { bytesOf, memoryOpenFile } from './testing';

/**
 * A 4-channel AP meta per probe, with and without ~snsGeomMap. Expected positions are computed by hand from
 * SGLXMetaToCoords.py / probeinterface neuropixels_tools.py: row = floor(e / cols), col = e % cols,
 * x = (row even ? even_xOff : odd_xOff) + col·horzPitch (+ shank·shankPitch), z = row·vertPitch;
 * NP1.0-style imro (chan bank ref apGain lfGain hpFlt): e = bank·384 + chan.
 */
function open(m: Record<string, string>) {
  const base: Record<string, string> = {
    typeThis: 'imec', imSampRate: '30000', nSavedChans: '5', snsApLfSy: '4,0,1', acqApLfSy: '4,4,1', snsSaveChanSubset: 'all',
    '~snsShankMap': '(1,2,480)(0:0:0:1)(0:1:0:1)(0:0:1:1)(0:1:1:1)', ...m,
  };
  const text = Object.entries(base).map(([k, v]) => `${k}=${v}`).join('\n') + '\n';
  const files = { '/d/r.imec0.ap.bin': bytesOf(new Int16Array(10 * 5)), '/d/r.imec0.ap.meta': text };
  return openSpikeGlxRecording({ recording_format: 'spikeglx', data: { bin_path: '/d/r.imec0.ap.bin', meta_path: '/d/r.imec0.ap.meta' } }, memoryOpenFile(files));
}

/** ~snsGeomMap as SpikeGLX writes it: x within the shank, shank pitch in the header. */
function geomMap(pn: string, nShank: number, pitch: number, width: number, pos: [number, number, number][]) {
  return `(${pn},${nShank},${pitch},${width})` + pos.map(([s, x, z]) => `(${s}:${x}:${z}:1)`).join('');
}

const cases: { probe: string; meta: Record<string, string>; header: [string, number, number, number]; pos: [number, number, number][] }[] = [
  {
    // NP1.0, 3A-era meta with type only: even 27, odd 11, 32 µm columns, 20 µm rows. Electrodes 0, 385, 2, 771.
    probe: 'NP1000 (type 0, no pn)', header: ['NP1000', 1, 0, 70],
    meta: { imDatPrb_type: '0', '~imroTbl': '(0,4)(0 0 0 500 250 1)(1 1 0 500 250 1)(2 0 0 500 250 1)(3 2 0 500 250 1)' },
    pos: [[0, 27, 0], [0, 27 + 32, 192 * 20], [0, 11, 20], [0, 11 + 32, 385 * 20]],
  },
  {
    // NP2.0 single shank (chan bank ref elec): stagger-free 27 µm, 32 µm columns, 15 µm rows. Electrodes 0, 1, 2, 1279.
    probe: 'NP2000 (type 21)', header: ['NP2000', 1, 0, 70],
    meta: { imDatPrb_type: '21', imDatPrb_pn: 'NP2000', '~imroTbl': '(21,4)(0 1 0 0)(1 1 0 1)(2 1 0 2)(3 4 0 1279)' },
    pos: [[0, 27, 0], [0, 59, 0], [0, 27, 15], [0, 59, 639 * 15]],
  },
  {
    // NP2.0 four shanks (chan shank bank ref elec), 250 µm shank pitch.
    probe: 'NP2014 (type 24)', header: ['NP2014', 4, 250, 70],
    meta: { imDatPrb_type: '24', imDatPrb_pn: 'NP2014', '~imroTbl': '(24,4)(0 0 0 0 0)(1 1 0 0 1)(2 2 0 0 2)(3 3 0 0 1279)' },
    pos: [[0, 27, 0], [1, 59, 0], [2, 27, 15], [3, 59, 639 * 15]],
  },
  {
    // NHP long: 87 µm columns, even 27 / odd 11, 20 µm rows. Electrodes 0, 11·384+1 = 4225, 2, 5·384+3 = 1923.
    probe: 'NP1030 (NHP)', header: ['NP1030', 1, 0, 125],
    meta: { imDatPrb_type: '1030', imDatPrb_pn: 'NP1030', '~imroTbl': '(1030,4)(0 0 0 500 250 1)(1 11 0 500 250 1)(2 0 0 500 250 1)(3 5 0 500 250 1)' },
    pos: [[0, 27, 0], [0, 27 + 87, 2112 * 20], [0, 11, 20], [0, 11 + 87, 961 * 20]],
  },
  {
    // NP-Ultra: 8 columns of 6 µm, 14 µm from the left edge, 6 µm rows. Electrodes 0, 1, 8, 15.
    probe: 'NP1100 (Ultra)', header: ['NP1100', 1, 0, 70],
    meta: { imDatPrb_type: '1100', imDatPrb_pn: 'NP1100', '~imroTbl': '(1100,4)(0 0 0 500 250 1)(1 0 0 500 250 1)(8 0 0 500 250 1)(15 0 0 500 250 1)', snsSaveChanSubset: '0:1,8,15,384', acqApLfSy: '384,384,1' },
    pos: [[0, 14, 0], [0, 20, 0], [0, 14, 6], [0, 14 + 7 * 6, 6]],
  },
];

describe('Neuropixels positions by part number', () => {
  for (const c of cases) {
    it(`${c.probe}: the same positions with and without ~snsGeomMap`, async () => {
      const [pn, nShank, pitch, width] = c.header;
      const expected = c.pos.map(([s, x, z]) => [x + s * pitch, z]);
      const withMap = await open({ ...c.meta, '~snsGeomMap': geomMap(pn, nShank, pitch, width, c.pos) });
      const without = await open(c.meta);
      expect(withMap.info.geom).toEqual(expected);
      expect(without.info.geom).toEqual(expected);
      expect(without.info.channelGroups).toEqual(c.pos.map(([s]) => s));
    });
  }
});
