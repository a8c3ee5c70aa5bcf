/** Float comparison for oracle parity: |a − e| ≤ rel · max|e| over the whole array (plus `abs`). Test-only. */
import { expect } from 'vitest';

export function flat(x: unknown): number[] {
  if (typeof x === 'number') return [x];
  if (ArrayBuffer.isView(x)) return Array.from(x as unknown as ArrayLike<number>);
  if (Array.isArray(x)) return x.flatMap(flat);
  throw new Error(`flat: not numeric: ${JSON.stringify(x)}`);
}

export function expectClose(actual: unknown, expected: unknown, rel = 1e-4, abs = 0): void {
  const a = flat(actual);
  const e = flat(expected);
  expect(a.length).toBe(e.length);
  const scale = e.reduce((m, v) => Math.max(m, Math.abs(v)), 0);
  let worst = 0;
  let at = -1;
  for (let i = 0; i < a.length; i++) {
    const err = Math.abs(a[i] - e[i]);
    if (!(err <= rel * scale + abs) && (err > worst || Number.isNaN(err))) { worst = err; at = i; }
  }
  if (at >= 0) expect.fail(`element ${at}: ${a[at]} vs ${e[at]} (|err| ${worst}, allowed ${rel * scale + abs}, scale ${scale})`);
}

/** Same, but each of the arrays may be flipped in sign as a whole (PCA components). */
export function expectCloseUpToSign(actual: unknown, expected: unknown, rel = 1e-4, abs = 0): void {
  const a = flat(actual);
  const e = flat(expected);
  const dot = a.reduce((s, v, i) => s + v * e[i], 0);
  expectClose(dot < 0 ? a.map((v) => -v) : a, e, rel, abs);
}
