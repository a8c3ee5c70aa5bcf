/**
 * Deterministic pseudo-randomness for kernels: the same request must pick the same spikes on every
 * worker and in every browser, so nothing here may touch Math.random. Both functions are tiny and
 * fully specified so the numpy oracle can re-implement them bit for bit.
 */
import { mulberry32 } from '../../random';

export { mulberry32 };

/** FNV-1a, 32 bit, over the UTF-16 code units of `s` (our inputs are ASCII). */
export function fnv1a32(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}


/**
 * The seed of a unit or merge group: FNV-1a of its ids, sorted ascending, deduplicated, joined by
 * ','. A group's seed therefore does not depend on the order the GUI lists its members in.
 */
export function seedForUnits(unitId: number | readonly number[]): number {
  const ids = typeof unitId === 'number' ? [unitId] : [...new Set(unitId)].sort((a, b) => a - b);
  return fnv1a32(ids.map((id) => String(id)).join(','));
}
