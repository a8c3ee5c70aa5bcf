import type { BlobStore } from '../ports/blobStore';
import { backendConfigPath, taskHash, taskResultPath } from '../protocol';
import { sortingInfoRequest } from '../tasks/contracts/recording';

/**
 * A sorting's unit ids from the cached `sorting_info.3` result in the public bucket
 * (`task_results/<label>/…`), which the GUI's first visit to the sorting (or `sortingview
 * precalculate`) leaves behind. The kwargs are built by the GUI's own builder, so the hash matches.
 * Null when no backend in `labels` has it cached.
 */
export async function cachedSortingInfoUnitIds(store: BlobStore, sortingPath: string, labels: readonly string[]): Promise<number[] | null> {
  const request = sortingInfoRequest(sortingPath);
  const hash = taskHash(request.functionId, request.kwargs);
  for (const label of labels) {
    const bytes = await store.read(taskResultPath(label, hash));
    if (!bytes) continue;
    let result: unknown;
    try {
      result = JSON.parse(new TextDecoder().decode(bytes));
    } catch {
      continue;
    }
    const info = request.result.safeParse(result);
    if (info.success && info.data.unit_ids.every((u) => Number.isSafeInteger(u))) return info.data.unit_ids;
  }
  return null;
}

/** The labels of the backends announced in the public bucket (`sortingview-backends/<label>.json`). */
export async function backendLabels(store: BlobStore): Promise<string[]> {
  const prefix = backendConfigPath('x').replace(/x\.json$/, '');
  return (await store.list(prefix))
    .map((n) => n.slice(prefix.length))
    .filter((n) => n.endsWith('.json') && !n.includes('/'))
    .map((n) => n.slice(0, -'.json'.length));
}
