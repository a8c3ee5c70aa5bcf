/**
 * Deterministic pseudo-randomness for kernels: the same request must pick the same spikes on every
 * worker and in every browser, so nothing here may touch Math.random. Both functions are tiny and
 * fully specified so the numpy oracle can re-implement them bit for bit.
 */

/** FNV-1a, 32 bit, over the UTF-16 code units of `s` (our inputs are ASCII). */
export function fnv1a32(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/** mulberry32: a 32-bit state generator of uniform doubles in [0, 1). Good enough for sampling. */
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

/**
 * The seed of a unit or merge group: FNV-1a of its ids, sorted ascending, deduplicated, joined by
 * ','. A group's seed therefore does not depend on the order the GUI lists its members in.
 */
export function seedForUnits(unitId: number | readonly number[]): number {
  const ids = typeof unitId === 'number' ? [unitId] : [...new Set(unitId)].sort((a, b) => a - b);
  return fnv1a32(ids.map((id) => String(id)).join(','));
}
