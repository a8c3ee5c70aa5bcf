/**
 * Speed check for the correlogram kernel (a plain script, not a test):
 *   npx tsx core/kernels/spikeTrains/bench/ccgSpeed.ts [--dump DIR]
 * Builds a 1 h, 300-unit, ~5 Hz sorting at 30 kHz (~5.4 M spikes, seeded), then times every
 * autocorrelogram ('auto-only') and a 20-unit K x K matrix. --dump writes the spikes as
 * DIR/frames.npy + DIR/labels.npy so the numpy shift loop can be timed on the same spikes:
 *   python3 test/oracles/spike_trains_bench.py DIR
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { correlogramCounts } from '../ccg';
import { npyBytes } from '../testing/oracle';
import { poissonTrain, seededRandom } from '../testing/sortings';

const sampleRateHz = 30000;
const numFrames = 3600 * sampleRateHz;
const rng = seededRandom(2021);
const trains = Array.from({ length: 300 }, (_, u) => poissonTrain(rng, 3 + 4 * rng(), numFrames, sampleRateHz, u % 3 === 0 ? 60 : 0));
const numSpikes = trains.reduce((s, t) => s + t.length, 0);

function time(label: string, runs: number, f: () => unknown): void {
  f(); // warm-up (JIT)
  const ms: number[] = [];
  for (let r = 0; r < runs; r++) {
    const t0 = performance.now();
    f();
    ms.push(performance.now() - t0);
  }
  ms.sort((a, b) => a - b);
  console.log(`${label}: median ${ms[runs >> 1].toFixed(1)} ms (min ${ms[0].toFixed(1)}, max ${ms[runs - 1].toFixed(1)}) over ${runs} runs`);
}

console.log(`${trains.length} units, ${numSpikes} spikes, ${numFrames / sampleRateHz} s at ${sampleRateHz} Hz`);
time('all 300 autocorrelograms (auto-only)', 7, () => correlogramCounts({ sampleRateHz, spikeTrains: trains, pairs: 'auto-only' }));
const first20 = trains.slice(0, 20);
time(`20 x 20 matrix (${first20.reduce((s, t) => s + t.length, 0)} spikes)`, 5, () => correlogramCounts({ sampleRateHz, spikeTrains: first20, pairs: 'all' }));

const dump = process.argv.indexOf('--dump');
if (dump >= 0) {
  const dir = process.argv[dump + 1];
  mkdirSync(dir, { recursive: true });
  const frames = new Float64Array(numSpikes);
  const labels = new Int32Array(numSpikes);
  let k = 0;
  trains.forEach((t, u) => { frames.set(t, k); labels.fill(u, k, k + t.length); k += t.length; });
  writeFileSync(join(dir, 'frames.npy'), npyBytes(frames));
  writeFileSync(join(dir, 'labels.npy'), npyBytes(labels));
  console.log(`wrote ${dir}/frames.npy and labels.npy`);
}
