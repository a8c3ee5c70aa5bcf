/**
 * The one runner of the numpy oracles in this folder (waveforms.py, spike_trains.py): one python
 * start per batch of cases (numpy and scipy take a few hundred ms to import). Test-only; Node only.
 *
 * Protocol (the other end is oracle_protocol.py): DIR/request.json = {cases: [...]}, each case
 * {op, ...params}; the oracle writes DIR/response.json = {results: [...]}, one per case, in order.
 * An array anywhere in a case or a result travels as {$npy: "<file in DIR>"}; everything else is
 * JSON. Typed arrays are 1-D; wrap an n-d array as ndarray(data, shape). Each distinct array is
 * written once, however many cases name it. Result arrays come back as {data: Float64Array, shape}.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { toFloat64 } from '../../core/formats/dtypes';
import { encodeNpy, parseNpy } from '../../core/formats/npy';

export type OracleScript = 'waveforms' | 'spike_trains' | 'feature_space' | 'neo_readers';
/** Debian's python3-neo lives beside Debian's python3 (apt-get install python3-neo), not in the numpy/scipy one on PATH. */
const INTERPRETER: Partial<Record<OracleScript, string>> = { neo_readers: '/usr/bin/python3' };
/** A case: the oracle's op and its parameters (arrays as typed arrays or ndarray). */
export interface OracleCase { op: string; [param: string]: unknown }
type Typed = Int16Array | Int32Array | Float32Array | Float64Array;

/** An n-d array (C order) for a case. */
export class NdArray {
  constructor(readonly data: Typed, readonly shape: readonly number[]) {}
}
export const ndarray = (data: Typed, shape: readonly number[]): NdArray => new NdArray(data, shape);

const dtypeOf = (a: Typed) => (a instanceof Int16Array ? 'int16' : a instanceof Int32Array ? 'int32' : a instanceof Float32Array ? 'float32' : 'float64');
const isTyped = (x: unknown): x is Typed =>
  x instanceof Int16Array || x instanceof Int32Array || x instanceof Float32Array || x instanceof Float64Array;

/** The oracle's results, one per case, in order. */
export function runOracle(script: OracleScript, cases: OracleCase[]): any[] {
  const dir = mkdtempSync(join(tmpdir(), `${script}-oracle-`));
  try {
    const names = new Map<object, string>();
    const file = (data: Typed, shape: readonly number[]): string => {
      let name = names.get(data);
      if (!name) {
        name = `a${names.size}.npy`;
        names.set(data, name);
        writeFileSync(join(dir, name), encodeNpy(dtypeOf(data), [...shape], data));
      }
      return name;
    };
    const encode = (x: unknown): unknown => {
      if (x instanceof NdArray) return { $npy: file(x.data, x.shape) };
      if (isTyped(x)) return { $npy: file(x, [x.length]) };
      if (Array.isArray(x)) return x.map(encode);
      if (x instanceof Map) return Object.fromEntries([...x].map(([k, v]) => [String(k), encode(v)]));
      if (x && typeof x === 'object') return Object.fromEntries(Object.entries(x).map(([k, v]) => [k, encode(v)]));
      return x;
    };
    writeFileSync(join(dir, 'request.json'), JSON.stringify({ cases: cases.map(encode) }));
    // One BLAS thread: test files run two at a time, and oversubscribed SVDs only slow each other.
    const env = { ...process.env, OPENBLAS_NUM_THREADS: '1', OMP_NUM_THREADS: '1', MKL_NUM_THREADS: '1' };
    const path = fileURLToPath(new URL(`./${script}.py`, import.meta.url));
    execFileSync(INTERPRETER[script] ?? 'python3', [path, dir], { stdio: ['ignore', 'ignore', 'pipe'], env, timeout: 120_000 });
    const decode = (x: unknown): unknown => {
      if (Array.isArray(x)) return x.map(decode);
      if (x && typeof x === 'object') {
        if ('$npy' in x) {
          const a = parseNpy(new Uint8Array(readFileSync(join(dir, String(x.$npy)))), String(x.$npy));
          return { data: toFloat64(a.data), shape: a.shape };
        }
        return Object.fromEntries(Object.entries(x).map(([k, v]) => [k, decode(v)]));
      }
      return x;
    };
    return decode(JSON.parse(readFileSync(join(dir, 'response.json'), 'utf8')).results) as any[];
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** runOracle for cases that carry an id: the results by id. */
export function runOracleById(script: OracleScript, cases: (OracleCase & { id: string })[]): Record<string, any> {
  const results = runOracle(script, cases);
  return Object.fromEntries(cases.map((c, i) => [c.id, results[i]]));
}
