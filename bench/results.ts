import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { join } from 'node:path';

/** One figure, beside the reference measured in the same run (machines are shared: ratios matter). */
export interface BenchResult {
  name: string;
  value: number;
  unit: string;
  reference: { name: string; value: number; unit: string };
  ratio: number;
  [extra: string]: unknown;
}

const dir = join(process.cwd(), 'bench/results');

export function writeResult(r: BenchResult): void {
  mkdirSync(dir, { recursive: true });
  const full = { ...r, machine: { cpus: cpus().length, node: process.version }, date: new Date().toISOString() };
  writeFileSync(join(dir, `${r.name}.json`), `${JSON.stringify(full, null, 2)}\n`);
  console.log(`${r.name}: ${r.value.toFixed(2)} ${r.unit}  (reference ${r.reference.name}: ${r.reference.value.toFixed(2)} ${r.reference.unit}; ratio ${r.ratio.toFixed(2)})`);
  writeTable();
}

/**
 * bench/results/README.md: every figure beside its reference. The same table replaces whatever stands
 * between README.md's `<!-- bench:start -->` and `<!-- bench:end -->`, so README always shows the latest.
 */
function writeTable(): void {
  const rows = readdirSync(dir).filter((f) => f.endsWith('.json')).sort().map((f) => JSON.parse(readFileSync(join(dir, f), 'utf8')) as BenchResult & { date: string; goal?: unknown; p95?: number });
  const fmt = (x: number) => (Math.abs(x) >= 100 ? x.toFixed(0) : x.toPrecision(3));
  const table = [
    '| benchmark | value | reference (same run) | ratio | goal | date |',
    '|---|---|---|---|---|---|',
    ...rows.map((r) => `| ${r.name} | ${fmt(r.value)} ${r.unit}${r.p95 !== undefined ? ` (p95 ${fmt(r.p95)})` : ''} | ${r.reference.name}: ${fmt(r.reference.value)} ${r.reference.unit} | ${fmt(r.ratio)} | ${r.goal ?? ''} | ${r.date.slice(0, 10)} |`),
  ];
  const lines = [
    '# Benchmark results',
    '',
    'Written by `npm run bench` (one figure per file beside it). Machines are shared and noisy: read the ratio to the reference measured in the same run.',
    '',
    ...table,
    '',
  ];
  writeFileSync(join(dir, 'README.md'), lines.join('\n'));
  const readme = join(process.cwd(), 'README.md');
  const text = readFileSync(readme, 'utf8');
  const marked = /<!-- bench:start -->[\s\S]*?<!-- bench:end -->/;
  if (marked.test(text)) writeFileSync(readme, text.replace(marked, ['<!-- bench:start -->', ...table, '<!-- bench:end -->'].join('\n')));
}

export function percentile(xs: number[], p: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))];
}
