/**
 * `npx tsx scripts/make-demo-data.ts --out DIR [--duration-sec 2] [--units 20] [--seed 1]`
 * writes the demo dataset (see scripts/demoData/makeDemoData.ts) and prints demo.json's path.
 * Importable: `makeDemoData({outDir, durationSec, numUnits, seed})`.
 */
import { parseArgs } from 'node:util';
import { DEMO_DEFAULTS, makeDemoData } from './demoData/makeDemoData';

export { makeDemoData, DEMO_DEFAULTS, type DemoData, type DemoDataOptions } from './demoData/makeDemoData';

export async function main(argv: string[]): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: {
      out: { type: 'string' },
      'duration-sec': { type: 'string', default: String(DEMO_DEFAULTS.durationSec) },
      units: { type: 'string', default: String(DEMO_DEFAULTS.numUnits) },
      seed: { type: 'string', default: String(DEMO_DEFAULTS.seed) },
      help: { type: 'boolean', short: 'h' },
    },
  });
  const usage = 'usage: make-demo-data --out DIR [--duration-sec N] [--units N] [--seed N]';
  if (values.help) {
    process.stdout.write(`${usage}\n`);
    return 0;
  }
  if (!values.out) {
    process.stderr.write(`${usage}\n--out is required\n`);
    return 2;
  }
  const durationSec = Number(values['duration-sec']);
  const numUnits = Number(values.units);
  const seed = Number(values.seed);
  if (!(durationSec > 0) || !Number.isInteger(numUnits) || numUnits < 1 || !Number.isInteger(seed)) {
    process.stderr.write(`${usage}\n--duration-sec must be > 0, --units a positive integer, --seed an integer\n`);
    return 2;
  }
  const started = Date.now();
  const d = await makeDemoData({ outDir: values.out, durationSec, numUnits, seed, progress: true });
  process.stderr.write(`wrote demo data in ${((Date.now() - started) / 1000).toFixed(1)} s: SpikeGLX ${d.spikeglx.binPath}, phy ${d.phy.folder}, MDA ${d.mda.recordingUri}, NWB ${d.nwb.path}\n`);
  process.stdout.write(`${d.outDir}/demo.json\n`);
  return 0;
}

// Run only as the entry script (not when bundled into, or imported by, something else).
if (/make-demo-data\.[cm]?[jt]s$/.test(process.argv[1] ?? '')) {
  main(process.argv.slice(2)).then((code) => process.exit(code), (err) => {
    process.stderr.write(`make-demo-data: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(1);
  });
}
