import { mkdirSync, writeFileSync } from 'node:fs';
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
}

export function percentile(xs: number[], p: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))];
}
