import { stat } from 'node:fs/promises';
import { basename, resolve } from 'node:path';
import type { DetectContext, DetectedObject, DetectOptions } from './detectTools';
import { FILE_RULES, FOLDER_RULES } from './registry';
import { FormatError } from './types';

export type { DetectedObject, DetectOptions } from './detectTools';

/**
 * `workspace add-recording <path>` / `add-sorting <path>`: which object a local path is. The rules are
 * the formats' own (each format module exports them; registry.ts orders them); this tries them in turn.
 * Recognised:
 * - SpikeGLX: a `.bin` with its `.meta` (or the `.meta`), or a folder (searched 3 levels) holding one
 *   `*.ap.bin` (noted when `.lf.bin` files are there too), else one `*.lf.bin`;
 * - Open Ephys: `structure.oebin`, or a folder (searched 5 levels) holding one; `stream` (the CLI's
 *   `--stream`) picks a stream, checked here against the .oebin so that a missing, unknown or ambiguous
 *   one is refused when the recording is added, and written into the object by its exact name;
 * - SpikeInterface binary folder: a folder with `binary.json`/`si_folder.json` (or either file);
 * - SpikeInterface SortingAnalyzer folder (`spikeinterface_info.json` {object: "SortingAnalyzer"}): its
 *   recording from recording_info/ (si_binary_folder on the analyzer folder), or with kind 'sorting' its
 *   `sorting/` NumpyFolderSorting (siAnalyzerDetect.ts);
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
export async function detectFormat(inputPath: string, opts: DetectOptions = {}): Promise<DetectedObject> {
  const path = resolve(inputPath);
  const st = await stat(path).catch(() => null);
  if (!st) throw new FormatError(path, 'does not exist');
  const ctx: DetectContext = { opts, detect: (p) => detectFormat(p, opts) };
  if (st.isFile()) {
    const name = basename(path);
    for (const rule of FILE_RULES) {
      const found = await rule(path, name, ctx);
      if (found) return found;
    }
    throw new FormatError(path, 'is not a recording or sorting file this relay recognises (SpikeGLX .bin/.meta, structure.oebin, .nwb, .mda, .npz, params.py)');
  }
  for (const rule of FOLDER_RULES) {
    const found = await rule(path, ctx);
    if (found) return found;
  }
  throw new FormatError(path, 'holds no recording or sorting this relay recognises (SpikeGLX, Open Ephys, SpikeInterface folder, MDA, NWB, phy)');
}
