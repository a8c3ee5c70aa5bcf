// Preloaded into the local stack's Node processes by bench/relayPeakRss.ts (NODE_OPTIONS=--import);
// does something only in the relay (sortingview-start-backend): samples process.memoryUsage() every
// 20 ms and writes, to $SV_BENCH_MEMORY_DIR/relay-<pid>.json, the breakdown at the highest RSS seen, each
// field's own maximum, and V8's heap spaces at the peak. A bench seam: no product code imports it.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { getHeapSpaceStatistics } from 'node:v8';

const dir = process.env.SV_BENCH_MEMORY_DIR;
if (dir && /sortingview-start-backend/.test(process.argv[1] ?? '')) {
  const MiB = (x) => Math.round((x / 2 ** 20) * 10) / 10;
  const t0 = Date.now();
  const out = { pid: process.pid, samples: 0, atPeakRss: null, max: {}, heapSpacesAtPeak: null, series: [] };
  const sample = () => {
    const m = process.memoryUsage();
    out.samples++;
    for (const [k, v] of Object.entries(m)) out.max[k] = Math.max(out.max[k] ?? 0, MiB(v));
    const row = { t: Date.now() - t0, rss: MiB(m.rss), heapTotal: MiB(m.heapTotal), heapUsed: MiB(m.heapUsed), external: MiB(m.external), arrayBuffers: MiB(m.arrayBuffers) };
    if (!out.atPeakRss || m.rss / 2 ** 20 > out.atPeakRss.rss) {
      out.atPeakRss = row;
      out.heapSpacesAtPeak = Object.fromEntries(getHeapSpaceStatistics().map((s) => [s.space_name, MiB(s.space_used_size)]));
    }
    if (out.samples % 50 === 0) out.series.push(row); // every second
  };
  const write = () => writeFileSync(join(dir, `relay-${process.pid}.json`), `${JSON.stringify(out)}\n`);
  setInterval(sample, 20).unref();
  setInterval(write, 500).unref();
  process.on('exit', write);
}
