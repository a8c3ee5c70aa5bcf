/**
 * Runs test/oracles/waveforms.py on a batch of cases (one python start per test file: numpy and
 * scipy take a few hundred ms to import). Test-only; uses Node APIs.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { fromNpy, toNpy } from './npy';

const script = fileURLToPath(new URL('../../../../test/oracles/waveforms.py', import.meta.url));

export interface OracleCase { id: string; kind: string; [param: string]: unknown }
export type NpyInput = { data: Int16Array | Int32Array | Float32Array | Float64Array; shape: number[] };

/** Arrays are referenced from cases as '@name'. Big outputs come back as {data: Float64Array, shape}. */
export function runOracle(cases: OracleCase[], arrays: Record<string, NpyInput> = {}): Record<string, any> {
  const dir = mkdtempSync(join(tmpdir(), 'waveforms-oracle-'));
  try {
    for (const [name, a] of Object.entries(arrays)) writeFileSync(join(dir, `${name}.npy`), toNpy(a.data, a.shape));
    writeFileSync(join(dir, 'cases.json'), JSON.stringify(cases));
    // One BLAS thread: test files run two at a time, and oversubscribed SVDs only slow each other.
    const env = { ...process.env, OPENBLAS_NUM_THREADS: '1', OMP_NUM_THREADS: '1', MKL_NUM_THREADS: '1' };
    execFileSync('python3', [script, dir], { stdio: ['ignore', 'ignore', 'pipe'], env });
    const results = JSON.parse(readFileSync(join(dir, 'results.json'), 'utf8')) as Record<string, any>;
    for (const [id, r] of Object.entries(results)) {
      if (r && typeof r === 'object' && '__npy__' in r) results[id] = fromNpy(readFileSync(join(dir, r.__npy__)));
    }
    return results;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
