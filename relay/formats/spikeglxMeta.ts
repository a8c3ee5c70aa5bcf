import { electrodePosition, imroElectrodes, probePart, probePartNumber } from './neuropixelsGeometry';
import { FormatError } from './types';

/**
 * SpikeGLX `.meta`: `key=value` lines; table keys start with `~` (dropped here, as readSGLX.py does).
 * What a recording needs from it, per the SpikeGLX metadata guides:
 * - imSampRate; nSavedChans; snsApLfSy = saved AP,LF,SY counts (file columns in that order);
 *   acqApLfSy = acquired counts; snsSaveChanSubset = original channel of each saved column ("all" or "0:383,768").
 * - gain: µV per bit = 1e6 · imAiRangeMax / imMaxInt / gain, with the per-channel AP (or LF) gain
 *   from `~imroTbl` entries `(chan bank ref apGain lfGain hpFlt)` for NP1.0-style probes, else
 *   imChan0apGain / imChan0lfGain, else the fixed NP2.0 gains (80 for types 21/24, 100 for 2013…).
 *   imMaxInt defaults to 512 and imAiRangeMax to 0.6 (3A/NP1.0 metadata predates both keys).
 * - geometry: `~snsGeomMap=(pn,nShank,shankPitch,shankWidth)(shank:x:z:used)…` (SpikeGLX ≥ 20230202), one entry
 *   per saved neural channel, x within the shank (global x = x + shank·pitch); else from the part number
 *   (imDatPrb_pn, or imDatPrb_type) and each channel's electrode in `~imroTbl` (neuropixelsGeometry.ts).
 */
export type SpikeGlxMeta = Map<string, string>;

export function parseSpikeGlxMeta(text: string, name: string): SpikeGlxMeta {
  const meta: SpikeGlxMeta = new Map();
  for (const line of text.split(/\r?\n/)) {
    if (!line.trim()) continue;
    const eq = line.indexOf('=');
    if (eq <= 0) throw new FormatError(name, `is not a SpikeGLX .meta file: line ${JSON.stringify(line.slice(0, 80))} is not key=value`);
    meta.set(line.slice(0, eq).trim().replace(/^~/, ''), line.slice(eq + 1).trim());
  }
  return meta;
}

const np1ImroTypes = new Set([0, 1020, 1030, 1031, 1032, 1100, 1120, 1121, 1122, 1123, 1200, 1300, 1015, 1022]);

export function metaNumber(meta: SpikeGlxMeta, key: string, name: string, fallback?: number): number {
  const v = meta.get(key);
  if (v === undefined || v === '') {
    if (fallback !== undefined) return fallback;
    throw new FormatError(name, `has no ${key}`);
  }
  const n = Number(v);
  if (!Number.isFinite(n)) throw new FormatError(name, `${key}=${v} is not a number`);
  return n;
}

function counts(meta: SpikeGlxMeta, key: string, name: string): [number, number, number] {
  const v = meta.get(key);
  const parts = v?.split(',').map(Number);
  if (!parts || parts.length !== 3 || parts.some((x) => !Number.isSafeInteger(x) || x < 0)) throw new FormatError(name, `${key}=${v ?? '(missing)'} is not "AP,LF,SY" counts`);
  return parts as [number, number, number];
}

/** `(header)(entry)(entry)…` → [header fields, entries' fields], split on `sep`. */
function parseTable(value: string, sep: RegExp): [string[], string[][]] {
  const groups = [...value.matchAll(/\(([^)]*)\)/g)].map((m) => m[1]);
  return [groups[0]?.split(',') ?? [], groups.slice(1).map((g) => g.split(sep))];
}

export interface SpikeGlxChannels {
  /** File columns served (neural channels, sync excluded). */
  columns: number[];
  channelIds: number[];
  stream: 'ap' | 'lf';
}

export function spikeGlxChannels(meta: SpikeGlxMeta, name: string): SpikeGlxChannels {
  const nSaved = metaNumber(meta, 'nSavedChans', name);
  const [ap, lf, sy] = counts(meta, 'snsApLfSy', name);
  if (ap + lf + sy !== nSaved) throw new FormatError(name, `snsApLfSy=${ap},${lf},${sy} does not add up to nSavedChans=${nSaved}`);
  const [apAcq, lfAcq] = meta.has('acqApLfSy') ? counts(meta, 'acqApLfSy', name) : [ap, lf, sy];
  const subset = meta.get('snsSaveChanSubset') ?? 'all';
  let originals: number[];
  if (subset === 'all') {
    originals = [...Array.from({ length: ap }, (_, j) => j), ...Array.from({ length: lf }, (_, j) => apAcq + j), ...Array.from({ length: sy }, (_, j) => apAcq + lfAcq + j)];
  } else {
    originals = [];
    for (const part of subset.split(',')) {
      const [a, b] = part.split(':').map(Number);
      const end = b ?? a;
      if (!Number.isSafeInteger(a) || !Number.isSafeInteger(end) || end < a) throw new FormatError(name, `snsSaveChanSubset=${subset} is malformed`);
      for (let c = a; c <= end; c++) originals.push(c);
    }
    if (originals.length !== nSaved) throw new FormatError(name, `snsSaveChanSubset lists ${originals.length} channels but nSavedChans=${nSaved}`);
  }
  const stream = ap > 0 ? 'ap' : 'lf';
  const n = ap > 0 ? ap : lf;
  if (n === 0) throw new FormatError(name, 'saves no AP or LF channels (sync only)');
  const first = ap > 0 ? 0 : ap;
  const columns = Array.from({ length: n }, (_, j) => first + j);
  const channelIds = columns.map((c) => (stream === 'ap' ? originals[c] : originals[c] - apAcq));
  return { columns, channelIds, stream };
}

/** µV per bit of each served channel, or null when the meta does not say. */
export function spikeGlxGains(meta: SpikeGlxMeta, ch: SpikeGlxChannels, name: string): number[] | null {
  const type = Number(meta.get('imDatPrb_type') ?? '0');
  const rangeMax = metaNumber(meta, 'imAiRangeMax', name, 0.6);
  const maxInt = metaNumber(meta, 'imMaxInt', name, 512);
  let gains: number[];
  const imro = meta.get('imroTbl');
  if (imro && np1ImroTypes.has(type)) {
    const [, entries] = parseTable(imro, /\s+/);
    const byChan = new Map(entries.filter((e) => e.length >= 5).map((e) => [Number(e[0]), Number(ch.stream === 'ap' ? e[3] : e[4])]));
    gains = ch.channelIds.map((id) => byChan.get(id) ?? NaN);
    if (gains.some((g) => !(g > 0))) throw new FormatError(name, `~imroTbl has no positive ${ch.stream.toUpperCase()} gain for some saved channels`);
  } else {
    const key = ch.stream === 'ap' ? 'imChan0apGain' : 'imChan0lfGain';
    let g: number | null = meta.has(key) ? metaNumber(meta, key, name) : null;
    if (g === null && ch.stream === 'ap') g = type === 21 || type === 24 ? 80 : [2003, 2004, 2013, 2014, 2020, 2021].includes(type) ? 100 : null;
    if (g === null) return null;
    gains = ch.channelIds.map(() => g);
  }
  return gains.map((g) => (1e6 * rangeMax) / maxInt / g);
}

export interface SpikeGlxGeometry { geom: [number, number][]; groups: number[] }

export function spikeGlxGeometry(meta: SpikeGlxMeta, ch: SpikeGlxChannels, name: string): SpikeGlxGeometry {
  const n = ch.columns.length;
  const geomMap = meta.get('snsGeomMap');
  if (geomMap) {
    const [header, entries] = parseTable(geomMap, /:/);
    const pitch = Number(header[2] ?? 0) || 0;
    if (entries.length !== n) throw new FormatError(name, `~snsGeomMap has ${entries.length} entries for ${n} saved ${ch.stream.toUpperCase()} channels`);
    const geom: [number, number][] = [];
    const groups: number[] = [];
    for (const e of entries) {
      const [shank, x, z] = e.map(Number);
      if (![shank, x, z].every(Number.isFinite)) throw new FormatError(name, `~snsGeomMap entry (${e.join(':')}) is malformed`);
      geom.push([x + shank * pitch, z]);
      groups.push(shank);
    }
    return { geom, groups };
  }
  // Without ~snsGeomMap, positions come from the probe's part number and each channel's electrode in ~imroTbl,
  // with SpikeGLX's own geometry rules (~snsShankMap's column/row indices carry no pitch or stagger).
  const pn = probePartNumber(meta.get('imDatPrb_pn'), meta.get('imDatPrb_type'));
  const part = pn === undefined ? undefined : probePart(pn);
  const imro = meta.get('imroTbl');
  if (!part || !imro) {
    const what = pn === undefined ? `probe type ${meta.get('imDatPrb_type')}` : `probe ${pn}`;
    throw new FormatError(name, `has no ~snsGeomMap${imro ? '' : ' and no ~imroTbl'}, and the electrode layout of ${what} is not known, so channel positions are unknown; re-save the metadata with SpikeGLX 20230202 or later`);
  }
  const elecs = imroElectrodes(part, parseTable(imro, /\s+/)[1], pn!, name);
  const geom: [number, number][] = [];
  const groups: number[] = [];
  for (const id of ch.channelIds) {
    const se = elecs.get(id);
    if (!se) throw new FormatError(name, `~imroTbl has no entry for saved channel ${id}`);
    const [x, z] = electrodePosition(part, se[1]);
    geom.push([x + se[0] * part.shankPitch, z]);
    groups.push(se[0]);
  }
  return { geom, groups };
  throw new FormatError(name, 'has neither ~snsGeomMap nor ~snsShankMap, so channel positions are unknown');
}
