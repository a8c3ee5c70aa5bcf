/**
 * mulberry32: a seeded generator of uniform doubles in [0, 1). Tiny and fully specified, so a numpy
 * oracle can re-implement it bit for bit; used wherever a choice must be the same on every machine
 * (spike sampling) or a test or fault schedule must repeat.
 */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
