import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { correlogramPlotData } from '../core/kernels/spikeTrains/correlogramPlotData';
import { toFloat64 } from '../core/formats/dtypes';
import { encodeNpy, parseNpy } from '../core/formats/npy';
import { poissonTrain, seededRandom } from '../core/kernels/spikeTrains/testing/sortings';
import { writeResult } from './results';

/**
 * ccg: every autocorrelogram of a 300-unit, ~5-million-spike sorting (1 h at 3–7 Hz, 30 kHz), our
 * kernel beside phylib's algorithm in numpy (bench/ccg_reference.py) on the same spikes in the same
 * run; the counts must be identical. Goal: ≥ 20× faster.
 *
 * We time what the autocorrelogram task runs: fetch_correlogram_plot_data.6 calls
 * correlogramPlotData once per unit with the loaded sorting, so we do the same for each unit
 * (unit_y null). subsample: false (the task's default) so that, like the reference, every spike is
 * used. Loading the sorting is left out on both sides.
 */
export async function benchCcg(): Promise<void> {
  const sampleRateHz = 30_000;
  const numFrames = 3600 * sampleRateHz;
  const rng = seededRandom(2021);
  const trains = Array.from({ length: 300 }, (_, u) => poissonTrain(rng, 3 + 4 * rng(), numFrames, sampleRateHz, u % 3 === 0 ? 60 : 0));
  const numSpikes = trains.reduce((s, t) => s + t.length, 0);
  const sorting = new Map(trains.map((t, u) => [u, t]));

  const run = () => {
    const counts: Int32Array[] = [];
    for (const unitId of sorting.keys()) counts.push(correlogramPlotData({ spikeTrains: sorting, sampleRateHz, unitX: unitId, unitY: null, subsample: false }).bin_counts);
    return counts;
  };
  const ours = run(); // also the JIT warm-up
  const ms: number[] = [];
  for (let i = 0; i < 7; i++) {
    const t0 = performance.now();
    run();
    ms.push(performance.now() - t0);
  }
  ms.sort((a, b) => a - b);

  const dir = mkdtempSync(join(tmpdir(), 'sv-bench-ccg-'));
  try {
    const frames = new Float64Array(numSpikes);
    const labels = new Int32Array(numSpikes);
    let k = 0;
    trains.forEach((t, u) => { frames.set(t, k); labels.fill(u, k, k + t.length); k += t.length; });
    writeFileSync(join(dir, 'frames.npy'), encodeNpy('float64', [numSpikes], frames));
    writeFileSync(join(dir, 'labels.npy'), encodeNpy('int32', [numSpikes], labels));
    const ref = JSON.parse(execFileSync('python3', [join(process.cwd(), 'bench/ccg_reference.py'), dir], { encoding: 'utf8' })) as { seconds: number };
    const refCounts = toFloat64(parseNpy(new Uint8Array(readFileSync(join(dir, 'reference_counts.npy'))), 'reference_counts.npy').data);
    const nBins = ours[0].length;
    const identical = refCounts.length === ours.length * nBins && refCounts.every((v, i) => v === ours[Math.floor(i / nBins)][i % nBins]);
    if (!identical) throw new Error('ccg benchmark: our counts differ from the numpy reference');
    const median = ms[ms.length >> 1];
    writeResult({
      name: 'ccg', value: median, unit: `ms for all 300 autocorrelograms, fetch_correlogram_plot_data.6 kernel per unit (${numSpikes} spikes; median of 7)`, goal: '≥ 20× faster than the reference',
      reference: { name: "phylib's algorithm in numpy, one call per unit (bench/ccg_reference.py)", value: ref.seconds * 1000, unit: 'ms' },
      ratio: (ref.seconds * 1000) / median, countsIdentical: identical,
    });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
