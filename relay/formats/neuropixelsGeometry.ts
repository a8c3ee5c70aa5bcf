import { FormatError } from './types';

/**
 * Neuropixels electrode positions by probe part number, as SpikeGLX writes them in `~snsGeomMap` and as
 * probeinterface (neuropixels_tools.py) and SGLXMetaToCoords.py compute them: electrode e on a shank sits at
 * row = floor(e / cols), col = e % cols, x = (row even ? evenXOff : oddXOff) + col · horzPitch from the shank's
 * left edge, z = row · vertPitch; the shank adds shank · shankPitch to x. Needed for metas without
 * `~snsGeomMap` (SpikeGLX before 20230202), whose `~snsShankMap` gives only column/row indices.
 * Table generated from probeinterface src/probeinterface/resources/neuropixels_probe_features.json
 * (Bill Karsh's ProbeTable), probeinterface commit 709250857a1439cd4cf1072ec603e38cb105c794 (2026-05-19).
 */
export interface ProbePart {
  nShank: number; shankWidth: number; shankPitch: number; evenXOff: number; oddXOff: number;
  horzPitch: number; vertPitch: number; cols: number; elecPerShank: number;
  /** How `~imroTbl` entries name the electrode: np1000 `(chan bank ref apGain lfGain hpFlt)` → bank·384 + chan;
   * elec `(chan bank ref elec)`; shankElec `(chan shank bank ref elec)`; np1110 (groups, not per channel). */
  imro: 'np1000' | 'elec' | 'shankElec' | 'np1110';
}

type Row = [number, number, number, number, number, number, number, number, number, ProbePart['imro']];
// [nShank, shankWidth, shankPitch, evenXOff, oddXOff, horzPitch, vertPitch, cols, elecPerShank, imro]
const table: Record<string, Row> = {
  NP1000: [1, 70, 0, 27, 11, 32, 20, 2, 960, 'np1000'],
  NP1001: [1, 70, 0, 27, 11, 32, 20, 2, 960, 'np1000'],
  NP1010: [1, 70, 0, 27, 11, 32, 20, 2, 960, 'np1000'],
  NP1011: [1, 70, 0, 27, 11, 32, 20, 2, 960, 'np1000'],
  NP1012: [1, 70, 0, 27, 11, 32, 20, 2, 960, 'np1000'],
  NP1013: [1, 70, 0, 27, 11, 32, 20, 2, 960, 'np1000'],
  NP1014: [1, 70, 0, 27, 11, 32, 20, 2, 960, 'np1000'],
  NP1015: [1, 70, 0, 27, 27, 32, 20, 2, 960, 'np1000'],
  NP1016: [1, 70, 0, 27, 27, 32, 20, 2, 960, 'np1000'],
  NP1017: [1, 70, 0, 27, 27, 32, 20, 2, 960, 'np1000'],
  NP1020: [1, 125, 0, 27, 11, 87, 20, 2, 2496, 'np1000'],
  NP1021: [1, 125, 0, 27, 11, 87, 20, 2, 2496, 'np1000'],
  NP1022: [1, 125, 0, 11, 11, 103, 20, 2, 2496, 'np1000'],
  NP1030: [1, 125, 0, 27, 11, 87, 20, 2, 4416, 'np1000'],
  NP1031: [1, 125, 0, 27, 11, 87, 20, 2, 4416, 'np1000'],
  NP1032: [1, 125, 0, 11, 11, 103, 20, 2, 4416, 'np1000'],
  NP1033: [1, 125, 0, 11, 11, 103, 20, 2, 4416, 'np1000'],
  NP1040: [1, 125, 0, 11, 11, 103, 20, 2, 4416, 'np1000'],
  NP1041: [1, 125, 0, 11, 11, 103, 20, 2, 4416, 'np1000'],
  NP1042: [1, 125, 0, 11, 11, 103, 20, 2, 4416, 'np1000'],
  NP1050: [1, 125, 0, 11, 11, 103, 20, 2, 4416, 'np1000'],
  NP1051: [1, 125, 0, 11, 11, 103, 20, 2, 4416, 'np1000'],
  NP1100: [1, 70, 0, 14, 14, 6, 6, 8, 384, 'np1000'],
  NP1110: [1, 73, 0, 15.5, 15.5, 6, 6, 8, 6144, 'np1110'],
  NP1120: [1, 70, 0, 6.75, 6.75, 4.5, 4.5, 2, 384, 'np1000'],
  NP1121: [1, 70, 0, 6.25, 6.25, 0, 3, 1, 384, 'np1000'],
  NP1122: [1, 70, 0, 12.5, 12.5, 3, 3, 16, 384, 'np1000'],
  NP1123: [1, 70, 0, 10.25, 10.25, 4.5, 4.5, 12, 384, 'np1000'],
  NP1200: [1, 125, 0, 56.5, 36.5, 32, 31, 2, 128, 'np1000'],
  NP1210: [1, 125, 0, 56.5, 36.5, 32, 31, 2, 128, 'np1000'],
  NP1300: [1, 70, 0, 11, 11, 48, 20, 2, 960, 'np1000'],
  NP2000: [1, 70, 0, 27, 27, 32, 15, 2, 1280, 'elec'],
  NP2003: [1, 70, 0, 27, 27, 32, 15, 2, 1280, 'elec'],
  NP2004: [1, 70, 0, 27, 27, 32, 15, 2, 1280, 'elec'],
  NP2005: [1, 70, 0, 27, 27, 32, 15, 2, 1280, 'elec'],
  NP2006: [1, 70, 0, 27, 11, 32, 15, 2, 1280, 'elec'],
  NP2010: [4, 70, 250, 27, 27, 32, 15, 2, 1280, 'shankElec'],
  NP2013: [4, 70, 250, 27, 27, 32, 15, 2, 1280, 'shankElec'],
  NP2014: [4, 70, 250, 27, 27, 32, 15, 2, 1280, 'shankElec'],
  NP2020: [4, 70, 250, 27, 27, 32, 15, 2, 1280, 'shankElec'],
  NP2021: [4, 70, 250, 27, 27, 32, 15, 2, 1280, 'shankElec'],
  NP3000: [1, 70, 0, 59, 59, 0, 15, 1, 128, 'np1000'],
  NP3010: [1, 70, 0, 27, 27, 32, 15, 2, 1280, 'elec'],
  NP3011: [1, 70, 0, 27, 27, 32, 15, 2, 1280, 'elec'],
  NP3020: [4, 70, 250, 27, 27, 32, 15, 2, 1280, 'shankElec'],
  NP3021: [4, 70, 250, 27, 27, 32, 15, 2, 1280, 'shankElec'],
  NP3022: [4, 70, 250, 27, 27, 32, 15, 2, 1280, 'shankElec'],
  NP3023: [4, 70, 250, 27, 27, 32, 15, 2, 1280, 'shankElec'],
  NP3024: [4, 70, 250, 27, 27, 32, 15, 2, 1280, 'shankElec'],
  PRB2_1_2_0640_0: [1, 70, 0, 27, 27, 32, 15, 2, 1280, 'elec'],
  PRB2_4_2_0640_0: [4, 70, 250, 27, 27, 32, 15, 2, 1280, 'shankElec'],
  PRB_1_2_0480_2: [1, 70, 0, 27, 11, 32, 20, 2, 960, 'np1000'],
  PRB_1_4_0480_1: [1, 70, 0, 27, 11, 32, 20, 2, 960, 'np1000'],
  PRB_1_4_0480_1_C: [1, 70, 0, 27, 11, 32, 20, 2, 960, 'np1000'],
};

/** imDatPrb_type → part number, for metas without imDatPrb_pn (3A and early NP1.0/NP2.0: type absent = 3A = 0). */
const partOfType: Record<number, string> = {
  0: 'NP1000', 21: 'NP2000', 24: 'NP2010', 1020: 'NP1020', 1030: 'NP1030', 1100: 'NP1100', 1110: 'NP1110', 1120: 'NP1120',
  1121: 'NP1121', 1122: 'NP1122', 1123: 'NP1123', 1200: 'NP1200', 1300: 'NP1300', 2003: 'NP2003', 2013: 'NP2013',
  2020: 'NP2020', 3010: 'NP3010', 3020: 'NP3020',
};

export function probePartNumber(pn: string | undefined, type: string | undefined): string | undefined {
  if (pn) return pn;
  return partOfType[Number(type ?? '0')];
}

export function probePart(pn: string): ProbePart | undefined {
  const r = table[pn];
  if (!r) return undefined;
  const [nShank, shankWidth, shankPitch, evenXOff, oddXOff, horzPitch, vertPitch, cols, elecPerShank, imro] = r;
  return { nShank, shankWidth, shankPitch, evenXOff, oddXOff, horzPitch, vertPitch, cols, elecPerShank, imro };
}

/** x within the shank (from its left edge, as ~snsGeomMap) and z of electrode `elec` on a shank. */
export function electrodePosition(p: ProbePart, elec: number): [number, number] {
  const row = Math.floor(elec / p.cols);
  const col = elec % p.cols;
  return [(row % 2 === 0 ? p.evenXOff : p.oddXOff) + col * p.horzPitch, row * p.vertPitch];
}

/** (shank, electrode) of each `~imroTbl` entry, keyed by channel. */
export function imroElectrodes(p: ProbePart, entries: string[][], pn: string, name: string): Map<number, [number, number]> {
  if (p.imro === 'np1110') throw new FormatError(name, `has no ~snsGeomMap, and positions for probe ${pn} from its ~imroTbl are not supported; re-save the metadata with SpikeGLX 20230202 or later`);
  const out = new Map<number, [number, number]>();
  for (const e of entries) {
    const v = e.map(Number);
    if (!v.every(Number.isFinite)) throw new FormatError(name, `~imroTbl entry (${e.join(' ')}) is malformed`);
    if (p.imro === 'np1000' && v.length >= 6) out.set(v[0], [0, v[1] * 384 + v[0]]);
    else if (p.imro === 'elec' && v.length >= 4) out.set(v[0], [0, v[3]]);
    else if (p.imro === 'shankElec' && v.length >= 5) out.set(v[0], [v[1], v[4]]);
    else throw new FormatError(name, `~imroTbl entry (${e.join(' ')}) does not fit probe ${pn}`);
  }
  return out;
}
