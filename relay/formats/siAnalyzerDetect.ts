import { readdir, readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { SI_METRIC_EXTENSIONS } from '../../core/curation/importedMetrics';
import { exists, readJsonFile, type FileRule, type FolderRule } from './detectTools';
import { localOpenFile } from './local';
import { locateAnalyzerTraces } from './siAnalyzer';
import { detectSiSortingFolder } from './siSorting';
import { FormatError } from './types';

/** Extensions read in place of what the views compute from traces, when the analyzer's traces are gone. */
const STAND_INS: Record<string, string[]> = { noise_levels: ['noise level'], spike_amplitudes: ['spike amplitudes'], templates: ['average waveforms', 'template similarity'] };
/** "a", "a and b", "a, b and c". */
const listed = (xs: string[]) => (xs.length < 2 ? xs.join('') : `${xs.slice(0, -1).join(', ')} and ${xs.at(-1)}`);

/**
 * `workspace add-recording/add-sorting <SortingAnalyzer folder>` (see siAnalyzer.ts). A folder whose
 * `spikeinterface_info.json` says `"object": "SortingAnalyzer"` is, for `add-sorting`, its `sorting/`
 * NumpyFolderSorting (si_numpy_folder: SpikeInterface's unit ids, empty units kept), otherwise its
 * recording (si_binary_folder on the analyzer folder). `add-recording` says when the recording's traces
 * are gone and which extensions sortingview does not read. A zarr analyzer is refused by name.
 */

/** `spikeinterface_info.json` stands for its folder. */
export const detectSiAnalyzerFile: FileRule = async (path, name, ctx) => (name === 'spikeinterface_info.json' ? ctx.detect(dirname(path)) : null);

export const detectSiAnalyzerFolder: FolderRule = async (folder, ctx) => {
  for (const meta of ['.zattrs', 'zarr.json']) {
    const p = join(folder, meta);
    if ((await exists(p)) && /"SortingAnalyzer"/.test(await readFile(p, 'utf8'))) {
      throw new FormatError(folder, 'is a SortingAnalyzer saved with format="zarr", which this relay does not read; save a copy as a folder with analyzer.save_as(format="binary_folder", folder=…) and add that');
    }
  }
  const infoPath = join(folder, 'spikeinterface_info.json');
  if (!(await exists(infoPath))) return null;
  if (((await readJsonFile(infoPath)) as { object?: unknown } | null)?.object !== 'SortingAnalyzer') return null;
  const attrsPath = join(folder, 'recording_info', 'recording_attributes.json');
  if (!(await exists(attrsPath))) throw new FormatError(folder, 'has spikeinterface_info.json but no recording_info/recording_attributes.json (an incomplete SortingAnalyzer folder)');

  if (ctx.opts.kind === 'sorting') {
    const sorting = join(folder, 'sorting');
    const found = await detectSiSortingFolder(sorting, ctx);
    if (!found || !('sorting_format' in found) || found.sorting_format !== 'si_numpy_folder') {
      throw new FormatError(sorting, 'is not a NumpyFolderSorting (numpysorting_info.json + spikes.npy), which is how a SortingAnalyzer saves its sorting');
    }
    return found;
  }

  const note = ctx.opts.onNote;
  if (note) {
    const segments = ((await readJsonFile(attrsPath)) as { num_samples?: unknown } | null)?.num_samples;
    if (Array.isArray(segments) && segments.length > 1) note(`${folder} has ${segments.length} segments; sortingview shows segment 0`);
    const traces = await locateAnalyzerTraces(localOpenFile(), folder);
    if ('unavailable' in traces) {
      note(`${folder}: this analyzer's recording is not available (${traces.unavailable}); sortingview uses its recording_info (rate, length, channels, probe), and views that need raw traces will say they cannot be shown`);
    }
    const extensions = (await readdir(join(folder, 'extensions')).catch(() => [] as string[])).sort();
    const metrics = extensions.filter((e) => SI_METRIC_EXTENSIONS.includes(e));
    // Without traces the views cannot compute their own; these extensions stand in (siAnalyzer.ts).
    const standIns = 'unavailable' in traces ? extensions.filter((e) => e in STAND_INS) : [];
    if (standIns.length) note(`${folder}: its ${listed(standIns)} give the ${listed(standIns.flatMap((e) => STAND_INS[e]!))}, as its traces are gone`);
    const unread = extensions.filter((e) => !metrics.includes(e) && !standIns.includes(e));
    if (unread.length) note(`${folder} holds the extensions ${unread.join(', ')}; sortingview does not read them yet (its views compute their own)`);
    if (metrics.length) note(`${folder}: its ${metrics.join(' and ')} become units-table columns when its sorting is added (sortingview workspace add-sorting <workspace> ${folder} --recording-id …)`);
  }
  return { recording_format: 'si_binary_folder', data: { folder } };
};
