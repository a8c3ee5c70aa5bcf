/**
 * Seeded randomness for the demo generator (never Math.random: the same seed must give the same bytes).
 * xoshiro128** for uniforms, Marsaglia's polar method for normals.
 */
export interface Rng {
  uniform(): number;
  normal(): number;
  exponential(mean: number): number;
  /** An integer in [lo, hi). */
  int(lo: number, hi: number): number;
}

function splitmix32(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x9e3779b9) >>> 0;
    let z = s;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
    return (z ^ (z >>> 16)) >>> 0;
  };
}

/** A generator for stream `stream` of `seed` (independent streams for units, noise, …). */
export function createRng(seed: number, stream = 0): Rng {
  const init = splitmix32((seed * 0x9e3779b1) ^ (stream * 0x85ebca77));
  let a = init(), b = init(), c = init(), d = init();
  if ((a | b | c | d) === 0) a = 1;
  const next = (): number => {
    const r = Math.imul(Math.imul(b, 5) << 7 | Math.imul(b, 5) >>> 25, 9) >>> 0;
    const t = b << 9;
    c ^= a; d ^= b; b ^= c; a ^= d; c ^= t;
    d = (d << 11) | (d >>> 21);
    return r;
  };
  const uniform = () => (next() + 0.5) / 4294967296;
  let spare: number | null = null;
  const normal = () => {
    if (spare !== null) {
      const s = spare;
      spare = null;
      return s;
    }
    let u: number, v: number, q: number;
    do {
      u = 2 * uniform() - 1;
      v = 2 * uniform() - 1;
      q = u * u + v * v;
    } while (q >= 1 || q === 0);
    const f = Math.sqrt((-2 * Math.log(q)) / q);
    spare = v * f;
    return u * f;
  };
  return {
    uniform,
    normal,
    exponential: (mean) => -mean * Math.log(uniform()),
    int: (lo, hi) => lo + Math.floor(uniform() * (hi - lo)),
  };
}
