import type { BlobStore } from '../ports/blobStore';
import { backendConfigPath, taskHash, taskResultPath } from '../protocol';
import { sortingInfoTask } from '../tasks/viewKwargs';

/**
 * A sorting's unit ids from the cached `sorting_info.3` result in the public bucket
 * (`task_results/<label>/…`), which the GUI's first visit to the sorting (or `sortingview
 * precalculate`) leaves behind. The kwargs are built by the GUI's own builder, so the hash matches.
 * Null when no backend in `labels` has it cached.
 */
export async function cachedSortingInfoUnitIds(store: BlobStore, sortingPath: string, labels: readonly string[]): Promise<number[] | null> {
  const { functionId, kwargs } = sortingInfoTask(sortingPath);
  const hash = taskHash(functionId, kwargs);
  for (const label of labels) {
    const bytes = await store.read(taskResultPath(label, hash));
    if (!bytes) continue;
    let unitIds: unknown;
    try {
      unitIds = (JSON.parse(new TextDecoder().decode(bytes)) as { unit_ids?: unknown }).unit_ids;
    } catch {
      continue;
    }
    if (Array.isArray(unitIds) && unitIds.every((u) => Number.isSafeInteger(u))) return unitIds as number[];
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
