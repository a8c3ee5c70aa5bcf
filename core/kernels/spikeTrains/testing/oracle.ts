/**
 * Runs the numpy oracle test/oracles/spike_trains.py on a batch of cases (test helper; Node only).
 * Float64Array / Int32Array values in a case travel as .npy files, everything else as JSON.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ORACLE_PATH = fileURLToPath(new URL('../../../../test/oracles/spike_trains.py', import.meta.url));

/** Minimal .npy (v1.0) writer for 1-D little-endian float64 / int32 arrays. */
export function npyBytes(a: Float64Array | Int32Array): Uint8Array {
  const descr = a instanceof Float64Array ? '<f8' : '<i4';
  let header = `{'descr': '${descr}', 'fortran_order': False, 'shape': (${a.length},), }`;
  const unpadded = 10 + header.length + 1;
  header += ' '.repeat((64 - (unpadded % 64)) % 64) + '\n';
  const out = new Uint8Array(10 + header.length + a.byteLength);
  out.set([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, 1, 0], 0);
  new DataView(out.buffer).setUint16(8, header.length, true);
  for (let i = 0; i < header.length; i++) out[10 + i] = header.charCodeAt(i);
  out.set(new Uint8Array(a.buffer, a.byteOffset, a.byteLength), 10 + header.length);
  return out;
}

/** The oracle's results, one per case (JSON, shape per op in spike_trains.py). */
export function runOracle(cases: object[]): any[] {
  const dir = mkdtempSync(join(tmpdir(), 'spike-trains-oracle-'));
  try {
    let n = 0;
    const encode = (x: unknown): unknown => {
      if (x instanceof Float64Array || x instanceof Int32Array) {
        const name = `a${n++}.npy`;
        writeFileSync(join(dir, name), npyBytes(x));
        return { $npy: name };
      }
      if (Array.isArray(x)) return x.map(encode);
      if (x instanceof Map) return Object.fromEntries([...x].map(([k, v]) => [String(k), encode(v)]));
      if (x && typeof x === 'object') return Object.fromEntries(Object.entries(x).map(([k, v]) => [k, encode(v)]));
      return x;
    };
    writeFileSync(join(dir, 'request.json'), JSON.stringify({ cases: cases.map(encode) }));
    execFileSync('python3', [ORACLE_PATH, dir], { stdio: ['ignore', 'inherit', 'inherit'], timeout: 120_000 });
    return JSON.parse(readFileSync(join(dir, 'response.json'), 'utf8')).results;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
