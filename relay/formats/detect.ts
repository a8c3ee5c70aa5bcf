import { readdir, readFile, stat } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import type { RecordingObject, SortingObject } from '../../core/protocol/dataObjects';
import { parseDtypeName, toFloat64 } from './dtypes';
import { loadBytes } from './files';
import { localOpenFile } from './local';
import { parseGeomCsv, readMdaHeader } from './mda';
import { parseNpy } from '../../core/formats/npy';
import { describeNwb } from './nwb';
import { matchStream, oebinSchema, streamLabel, type OpenEphysStream } from './openephys';
import { parsePhyParams } from './phy';
import { FormatError } from './types';

/**
 * `workspace add-recording <path>` / `add-sorting <path>`: which object a local path is. Runs on the
 * user's machine with node:fs (it lists folders, which OpenFile cannot); returned objects name files
 * by absolute path. Recognised:
 * - SpikeGLX: a `.bin` with its `.meta` (or the `.meta`), or a folder (searched 3 levels) holding one
 *   `*.ap.bin` (noted when `.lf.bin` files are there too), else one `*.lf.bin`;
 * - Open Ephys: `structure.oebin`, or a folder (searched 5 levels) holding one; `stream` (the CLI's
 *   `--stream`) picks a stream, checked here against the .oebin so that a missing, unknown or ambiguous
 *   one is refused when the recording is added, and written into the object by its exact name;
 * - SpikeInterface binary folder: a folder with `binary.json`/`si_folder.json` (or either file);
 * - SpikeInterface sorting folders (which hold `si_folder.json` too, so they are told apart first):
 *   NumpyFolderSorting (`numpysorting_info.json` + `spikes.npy`) → si_numpy_folder; NpzFolderSorting
 *   (`npz.json` + `sorting_cached.npz`) → npy2;
 * - MDA: `raw.mda` with `geom.csv` + `params.json` beside it, or that folder (SpikeForest layout);
 *   `firings*.mda` is a sorting (samplerate from params.json beside it, or `samplerateHz`);
 * - NWB: `.nwb` → recording (the series with the highest rate when there are several) or, with
 *   kind 'sorting' or when it has no series, its units table;
 * - phy/Kilosort: a folder with params.py + spike_times.npy (or params.py) → sorting; with kind
 *   'recording' → its dat_path (SpikeGLX when a .meta sits beside the .bin, else bin2, with the gains
 *   of the Open Ephys stream when dat_path is a continuous.dat beside its structure.oebin);
 * - `.npz` → npy2 sorting (2021's or SpikeInterface's NpzSortingExtractor).
 * `onNote` hears what the user should know about a choice made for them (a segment served).
 */
export interface DetectOptions {
  kind?: 'recording' | 'sorting';
  /** Open Ephys stream name when a recording has several. */
  stream?: string;
  /** Sampling rate for a firings.mda with no params.json beside it. */
  samplerateHz?: number;
  /** Told what the user should know about the object chosen (printed by `workspace add-*`). */
  onNote?: (message: string) => void;
}

export type DetectedObject = RecordingObject | SortingObject;

async function exists(p: string): Promise<boolean> {
  return (await stat(p).catch(() => null)) !== null;
}

async function findFiles(dir: string, match: (name: string) => boolean, depth: number): Promise<string[]> {
  const out: string[] = [];
  let entries;
  try {
    entries = await readdir(dir, { withFileTypes: true });
  } catch {
    return out;
  }
  for (const e of entries.sort((a, b) => a.name.localeCompare(b.name))) {
    const p = join(dir, e.name);
    if (e.isFile() && match(e.name)) out.push(p);
    else if (e.isDirectory() && depth > 0 && !e.name.startsWith('.')) out.push(...(await findFiles(p, match, depth - 1)));
  }
  return out;
}

function one(found: string[], what: string, where: string): string {
  if (found.length === 1) return found[0];
  if (found.length === 0) throw new FormatError(where, `holds no ${what}`);
  throw new FormatError(where, `holds ${found.length} ${what} files (${found.join(', ')}); give the one you mean`);
}

function spikeGlx(binPath: string): RecordingObject {
  return { recording_format: 'spikeglx', data: { bin_path: binPath, meta_path: binPath.replace(/\.bin$/, '.meta') } };
}

/** A command-line word as a user would type it (quoted when the shell would split it). */
function shellWord(s: string): string {
  return /^[\w.@%+=:,/-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`;
}

async function readOebin(oebinPath: string): Promise<OpenEphysStream[]> {
  let json: unknown;
  try {
    json = JSON.parse(await readFile(oebinPath, 'utf8'));
  } catch (err) {
    throw new FormatError(oebinPath, `is not valid JSON (${(err as Error).message})`, { cause: err });
  }
  const parsed = oebinSchema.safeParse(json);
  if (!parsed.success) throw new FormatError(oebinPath, `is not an Open Ephys structure.oebin: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
  return parsed.data.continuous;
}

/** The name that picks `s` exactly: its stream_name unless another stream shares it, else its folder. */
function exactStreamName(s: OpenEphysStream, streams: OpenEphysStream[]): string {
  const folder = s.folder_name.replace(/\/+$/, '');
  const name = streamLabel(s);
  const clash = streams.some((o) => o !== s && (o.stream_name === name || o.folder_name.replace(/\/+$/, '') === name));
  return clash ? folder : name;
}

/**
 * An Open Ephys recording, its stream checked now (the reader would only fail at the first task, naming
 * the object's data.stream): the messages list the streams and the exact `--stream` to type.
 */
async function openEphys(oebinPath: string, opts: DetectOptions): Promise<RecordingObject> {
  const streams = await readOebin(oebinPath);
  const m = matchStream(streams, opts.stream);
  const names = streams.map((s) => exactStreamName(s, streams));
  if ('stream' in m) {
    const exact = exactStreamName(m.stream, streams);
    if (opts.stream !== undefined && opts.stream !== exact) opts.onNote?.(`--stream ${shellWord(opts.stream)} is the stream ${exact} (stored by that name)`);
    return { recording_format: 'openephys', data: { oebin_path: oebinPath, ...(opts.stream !== undefined ? { stream: exact } : {}) } };
  }
  if (m.problem === 'none') throw new FormatError(oebinPath, 'lists no continuous streams');
  const list = names.join(', ');
  const example = `--stream ${shellWord(m.problem === 'ambiguous' ? exactStreamName(m.matches[0], streams) : names[0])}`;
  if (m.problem === 'unnamed') throw new FormatError(oebinPath, `has ${streams.length} continuous streams (${list}); choose one with --stream, e.g. ${example}`);
  if (m.problem === 'unknown') throw new FormatError(oebinPath, `has no stream ${JSON.stringify(opts.stream)} (--stream); its streams are ${list}, e.g. ${example}`);
  throw new FormatError(oebinPath, `--stream ${shellWord(opts.stream!)} matches ${m.matches.length} streams (${m.matches.map((s) => exactStreamName(s, streams)).join(', ')}); give one exactly, e.g. ${example}`);
}

async function readParamsJson(dir: string): Promise<Record<string, unknown> | null> {
  const p = join(dir, 'params.json');
  if (!(await exists(p))) return null;
  try {
    return JSON.parse(await readFile(p, 'utf8')) as Record<string, unknown>;
  } catch (err) {
    throw new FormatError(p, `is not valid JSON (${(err as Error).message})`, { cause: err });
  }
}

async function mdaRecording(rawPath: string): Promise<RecordingObject> {
  const dir = dirname(rawPath);
  const params = await readParamsJson(dir);
  if (!params || typeof params.samplerate !== 'number') throw new FormatError(join(dir, 'params.json'), 'is missing or has no samplerate; an MDA recording needs params.json {"samplerate": …} beside raw.mda');
  const geomPath = join(dir, 'geom.csv');
  if (!(await exists(geomPath))) throw new FormatError(dir, 'has no geom.csv beside raw.mda');
  const geom = parseGeomCsv(await readFile(geomPath, 'utf8'), geomPath);
  return { recording_format: 'mda', data: { raw: rawPath, geom, params: { samplerate: params.samplerate } } };
}

async function firings(path: string, opts: DetectOptions): Promise<SortingObject> {
  const params = await readParamsJson(dirname(path));
  const rate = typeof params?.samplerate === 'number' ? params.samplerate : opts.samplerateHz;
  if (rate === undefined) throw new FormatError(path, 'has no params.json beside it, so its sampling rate is unknown; pass the sampling rate');
  const f = await localOpenFile()(path);
  try {
    const h = await readMdaHeader(f);
    if ((h.dims[0] ?? 0) < 3) throw new FormatError(path, `is ${h.dims.join('×')}; firings need at least 3 rows`);
  } finally {
    await f.close();
  }
  return { sorting_format: 'mda', data: { firings: path, samplerate: rate } };
}

async function phyRecording(folder: string, opts: DetectOptions): Promise<RecordingObject> {
  const paramsPath = join(folder, 'params.py');
  const p = parsePhyParams(await readFile(paramsPath, 'utf8'), paramsPath);
  const dat = Array.isArray(p.dat_path) ? p.dat_path[0] : p.dat_path;
  if (typeof dat !== 'string' || !dat) throw new FormatError(paramsPath, 'has no dat_path, so the recording is unknown');
  const datPath = resolve(folder, dat);
  if (await exists(datPath.replace(/\.bin$/, '.meta')) && datPath.endsWith('.bin')) return spikeGlx(datPath);
  const nch = p.n_channels_dat;
  const rate = p.sample_rate;
  const dtype = parseDtypeName(typeof p.dtype === 'string' ? p.dtype : 'int16');
  if (typeof nch !== 'number' || typeof rate !== 'number') throw new FormatError(paramsPath, 'needs n_channels_dat and sample_rate');
  if (dtype !== 'int16' && dtype !== 'int32' && dtype !== 'int64' && dtype !== 'float32' && dtype !== 'float64') throw new FormatError(paramsPath, `dtype ${String(p.dtype)} cannot be served as bin2`);
  if (typeof p.offset === 'number' && p.offset !== 0) throw new FormatError(paramsPath, `offset=${p.offset}: a bin2 recording has no header offset`);
  const size = (await stat(datPath)).size;
  const bytesPerFrame = nch * { int16: 2, int32: 4, int64: 8, float32: 4, float64: 8 }[dtype];
  if (size % bytesPerFrame !== 0) throw new FormatError(datPath, `${size} bytes is not a whole number of ${nch}-channel ${dtype} frames`);
  const gains = await openEphysGains(datPath, nch, dtype, paramsPath, opts);
  const open = localOpenFile();
  const npy = async (name: string) => (await exists(join(folder, name)) ? parseNpy(await loadBytes(open, join(folder, name)), join(folder, name)) : null);
  const map = await npy('channel_map.npy');
  const pos = await npy('channel_positions.npy');
  const columns = map ? Array.from(toFloat64(map.data)) : Array.from({ length: nch }, (_, i) => i);
  const xy = pos ? toFloat64(pos.data) : null;
  const cols = pos?.shape[1] ?? 2;
  if (xy && pos!.shape[0] !== columns.length) throw new FormatError(join(folder, 'channel_positions.npy'), `has ${pos!.shape[0]} rows for ${columns.length} channels`);
  return {
    recording_format: 'bin2',
    data: {
      raw: datPath, raw_num_channels: nch, num_frames: size / bytesPerFrame, samplerate: rate, dtype,
      channel_ids: columns,
      channel_map: Object.fromEntries(columns.map((c) => [String(c), c])),
      channel_positions: Object.fromEntries(columns.map((c, i) => [String(c), xy ? [xy[i * cols], xy[i * cols + 1]] : [0, 20 * i]])),
      ...(gains ? { channel_gains_uv_per_bit: Object.fromEntries(columns.map((c) => [String(c), gains[c]])) } : {}),
    },
  };
}

/**
 * µV per bit of each column of `datPath` when it is an Open Ephys `continuous/<stream>/continuous.dat`
 * beside its `structure.oebin` (bit_volts; Kilosort's params.py has no gain), else null. The
 * recording stays bin2, so Kilosort's channel_map and channel_positions keep the geometry.
 */
async function openEphysGains(datPath: string, nch: number, dtype: string, paramsPath: string, opts: DetectOptions): Promise<number[] | null> {
  if (basename(datPath) !== 'continuous.dat' || basename(dirname(dirname(datPath))) !== 'continuous') return null;
  const oebinPath = join(dirname(dirname(dirname(datPath))), 'structure.oebin');
  if (!(await exists(oebinPath))) return null;
  const streams = await readOebin(oebinPath);
  const folder = basename(dirname(datPath));
  const stream = streams.find((s) => s.folder_name.replace(/\/+$/, '') === folder);
  if (!stream) throw new FormatError(oebinPath, `lists no stream in folder ${folder}, whose continuous.dat is ${paramsPath}'s dat_path`);
  if (stream.num_channels !== nch) throw new FormatError(paramsPath, `n_channels_dat = ${nch}, but ${oebinPath} says stream ${streamLabel(stream)} has ${stream.num_channels} channels`);
  if (dtype !== 'int16') throw new FormatError(paramsPath, `dtype ${dtype}, but Open Ephys continuous.dat is int16`);
  const gains = stream.channels.map((c) => c.bit_volts);
  if (gains.length !== nch || gains.some((g) => g === undefined || !(g > 0))) {
    opts.onNote?.(`${oebinPath} does not give every channel of stream ${streamLabel(stream)} a bit_volts; the recording's gain stays unknown`);
    return null;
  }
  opts.onNote?.(`dat_path is the Open Ephys stream ${streamLabel(stream)}: gains from its structure.oebin bit_volts (${oebinPath})`);
  return gains as number[];
}

async function nwb(path: string, opts: DetectOptions): Promise<DetectedObject> {
  const f = await localOpenFile({ withLocalPath: true })(path);
  let d;
  try {
    d = await describeNwb(f);
  } finally {
    await f.close();
  }
  const best = [...d.series].sort((a, b) => b.rateHz - a.rateHz)[0];
  const seriesName = d.series.length > 1 && best ? { electrical_series_name: best.path.split('/').pop()! } : {};
  if (opts.kind === 'sorting' || (!opts.kind && !best)) {
    if (!d.hasUnits) throw new FormatError(path, 'has no units table (/units/spike_times)');
    return { sorting_format: 'nwb', data: { path, ...seriesName } };
  }
  if (!best) throw new FormatError(path, 'has no ElectricalSeries');
  return { recording_format: 'nwb', data: { path, ...seriesName } };
}

/**
 * A SpikeInterface sorting folder, or null. Recording folders hold `si_folder.json` too, so the
 * sorting's own files decide; an si_folder.json naming another sorting class is refused by name.
 */
async function spikeInterfaceSorting(folder: string, opts: DetectOptions): Promise<SortingObject | null> {
  if (await exists(join(folder, 'numpysorting_info.json'))) {
    if (!(await exists(join(folder, 'spikes.npy')))) throw new FormatError(folder, 'has numpysorting_info.json but no spikes.npy (an incomplete SpikeInterface sorting folder)');
    const infoPath = join(folder, 'numpysorting_info.json');
    let info: { num_segments?: unknown };
    try {
      info = JSON.parse(await readFile(infoPath, 'utf8')) as { num_segments?: unknown };
    } catch (err) {
      throw new FormatError(infoPath, `is not valid JSON (${(err as Error).message})`, { cause: err });
    }
    if (typeof info.num_segments === 'number' && info.num_segments > 1) {
      opts.onNote?.(`${folder} has ${info.num_segments} segments; sortingview shows segment 0 (its frames count from the start of the recording's segment 0)`);
    }
    return { sorting_format: 'si_numpy_folder', data: { folder } };
  }
  if ((await exists(join(folder, 'npz.json'))) && (await exists(join(folder, 'sorting_cached.npz')))) {
    return { sorting_format: 'npy2', data: { npz_uri: join(folder, 'sorting_cached.npz') } };
  }
  const siFolder = join(folder, 'si_folder.json');
  if (!(await exists(join(folder, 'binary.json'))) && (await exists(siFolder))) {
    const cls = /"class"\s*:\s*"([^"]*)"/.exec(await readFile(siFolder, 'utf8'))?.[1] ?? '';
    if (/Sorting/.test(cls)) throw new FormatError(siFolder, `describes a ${cls}, a sorting format this relay does not read; save it as SpikeInterface's default sorting folder (sorting.save(folder=…), NumpyFolderSorting)`);
  }
  return null;
}

export async function detectFormat(inputPath: string, opts: DetectOptions = {}): Promise<DetectedObject> {
  const path = resolve(inputPath);
  const st = await stat(path).catch(() => null);
  if (!st) throw new FormatError(path, 'does not exist');
  const name = basename(path);
  if (st.isFile()) {
    if (name.endsWith('.bin') && (await exists(path.replace(/\.bin$/, '.meta')))) return spikeGlx(path);
    if (name.endsWith('.meta') && (await exists(path.replace(/\.meta$/, '.bin')))) return spikeGlx(path.replace(/\.meta$/, '.bin'));
    if (name === 'structure.oebin') return openEphys(path, opts);
    if (name === 'si_folder.json' || name === 'numpysorting_info.json' || name === 'npz.json') return detectFormat(dirname(path), opts);
    if (name === 'binary.json') return { recording_format: 'si_binary_folder', data: { folder: dirname(path) } };
    if (name === 'params.py') return detectFormat(dirname(path), opts);
    if (name.endsWith('.nwb')) return nwb(path, opts);
    if (name.endsWith('.npz')) return { sorting_format: 'npy2', data: { npz_uri: path } };
    if (name.endsWith('.mda')) {
      if (/^firings/.test(name) || opts.kind === 'sorting') return firings(path, opts);
      return mdaRecording(path);
    }
    throw new FormatError(path, 'is not a recording or sorting file this relay recognises (SpikeGLX .bin/.meta, structure.oebin, .nwb, .mda, .npz, params.py)');
  }
  // A folder.
  if ((await exists(join(path, 'params.py'))) && (await exists(join(path, 'spike_times.npy')))) {
    return opts.kind === 'recording' ? phyRecording(path, opts) : { sorting_format: 'phy', data: { folder: path } };
  }
  const siSorting = await spikeInterfaceSorting(path, opts);
  if (siSorting) return siSorting;
  if ((await exists(join(path, 'binary.json'))) || (await exists(join(path, 'si_folder.json')))) return { recording_format: 'si_binary_folder', data: { folder: path } };
  if (opts.kind === 'sorting') {
    const f = await findFiles(path, (n) => /^firings.*\.mda$/.test(n), 0);
    if (f.length) return firings(one(f, 'firings*.mda', path), opts);
  }
  if (await exists(join(path, 'raw.mda'))) return mdaRecording(join(path, 'raw.mda'));
  const ap = await findFiles(path, (n) => n.endsWith('.ap.bin'), 3);
  const lf = await findFiles(path, (n) => n.endsWith('.lf.bin'), 3);
  if (ap.length) {
    const chosen = one(ap, 'SpikeGLX .ap.bin', path);
    if (lf.length) opts.onNote?.(`${path} holds the AP stream ${basename(chosen)} and the LF stream ${lf.map((f) => basename(f)).join(', ')}: adding AP (${chosen}); to add LF, pass ${lf.length === 1 ? lf[0] : 'its .lf.bin'} itself`);
    return spikeGlx(chosen);
  }
  if (lf.length) return spikeGlx(one(lf, 'SpikeGLX .lf.bin', path));
  const oebin = await findFiles(path, (n) => n === 'structure.oebin', 5);
  if (oebin.length) return openEphys(one(oebin, 'structure.oebin', path), opts);
  const fir = await findFiles(path, (n) => /^firings.*\.mda$/.test(n), 0);
  if (fir.length) return firings(one(fir, 'firings*.mda', path), opts);
  throw new FormatError(path, 'holds no recording or sorting this relay recognises (SpikeGLX, Open Ephys, SpikeInterface folder, MDA, NWB, phy)');
}
