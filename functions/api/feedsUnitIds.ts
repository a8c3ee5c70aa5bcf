import { backendLabels, cachedSortingInfoUnitIds } from '../../core/curation';
import type { BlobStore } from '../../core/ports/blobStore';

/**
 * A sorting's unit ids, for checking curation actions, from the cached `sorting_info.3` result
 * (core/curation/sortingUnits.ts). A sorting is not tied to one backend label, so every backend of
 * the deployment is tried (their list is re-read every minute).
 *
 * Found unit lists are kept for good (results are immutable); "not cached yet" is remembered for
 * `missTtlMs`. When no result is cached, or it cannot be read, the answer is null and the API accepts
 * any unit id: the GUI offers only units it has shown, which needed that very result, so this is a
 * guard against stale or scripted requests, not a security boundary.
 */
export type SortingUnitIds = (sortingPath: string) => Promise<number[] | null>;

const MAX_ENTRIES = 10_000;
const BACKENDS_TTL_MS = 60_000;

export function cachedSortingUnitIds(store: BlobStore, now: () => number, opts: { missTtlMs?: number; log?: (entry: Record<string, unknown>) => void } = {}): SortingUnitIds {
  const missTtlMs = opts.missTtlMs ?? 30_000;
  const found = new Map<string, number[]>();
  const missedAt = new Map<string, number>();
  let backends: { labels: string[]; at: number } | null = null;

  const labels = async () => {
    if (!backends || now() - backends.at >= BACKENDS_TTL_MS) backends = { labels: await backendLabels(store), at: now() };
    return backends.labels;
  };

  return async (sortingPath) => {
    const hit = found.get(sortingPath);
    if (hit) return hit;
    const missed = missedAt.get(sortingPath);
    if (missed !== undefined && now() - missed < missTtlMs) return null;
    try {
      const unitIds = await cachedSortingInfoUnitIds(store, sortingPath, await labels());
      if (unitIds) {
        if (found.size >= MAX_ENTRIES) found.clear();
        found.set(sortingPath, unitIds);
        missedAt.delete(sortingPath);
        return unitIds;
      }
    } catch (err) {
      opts.log?.({ severity: 'WARNING', message: 'api: could not read a cached sorting_info result; accepting any unit id', sortingPath, error: String(err) });
    }
    if (missedAt.size >= MAX_ENTRIES) missedAt.clear();
    missedAt.set(sortingPath, now());
    return null;
  };
}
