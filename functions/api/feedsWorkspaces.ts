import { curationSubfeedHash, feedExists, readFeed, workspaceSubfeedHash } from '../../core/feeds';
import type { BlobStore } from '../../core/ports/blobStore';
import { initialWorkspaceState, replayWorkspace, type WorkspaceState } from '../../core/reducers/workspace';
import type { WorkspaceSorting } from '../../core/reducers/workspaceActions';

/**
 * What the feeds endpoint needs to know about a workspace, kept per API instance: whether it exists,
 * and which sorting a curation subfeed hash belongs to. The log is append-only, so a refresh reads
 * only the messages after the ones already replayed (count.json plus one probe when nothing is new).
 *
 * A sorting found less than `ttlMs` ago is trusted without a refresh, so a burst of appends costs one
 * log read; a sorting deleted from the workspace may therefore take `ttlMs` to stop accepting
 * curation on an instance that saw it. A sorting not found triggers a refresh at once (absence is
 * never cached): a sorting added a moment ago is found.
 */
export interface WorkspaceCache {
  exists(feedId: string): Promise<boolean>;
  /** The workspace's sorting whose curation subfeed is `subfeedHash`, or null. */
  sortingOfSubfeed(feedId: string, subfeedHash: string): Promise<WorkspaceSorting | null>;
}

interface Entry {
  length: number;
  state: WorkspaceState;
  byHash: Map<string, WorkspaceSorting>;
  refreshedAt: number;
}

const MAX_ENTRIES = 1000;

export function workspaceCache(store: BlobStore, now: () => number, ttlMs = 5000): WorkspaceCache {
  const known = new Set<string>();
  const entries = new Map<string, Entry>();
  const refreshing = new Map<string, Promise<Entry>>();
  const main = workspaceSubfeedHash();

  const refresh = (feedId: string): Promise<Entry> => {
    const running = refreshing.get(feedId);
    if (running) return running;
    const p = (async () => {
      const before = entries.get(feedId) ?? { length: 0, state: initialWorkspaceState, byHash: new Map(), refreshedAt: 0 };
      const fresh = await readFeed(store, feedId, main, { from: before.length });
      const state = fresh.length ? replayWorkspace(fresh.map((m) => m.message), before.state).state : before.state;
      const byHash = state === before.state ? before.byHash : new Map(state.sortings.map((s) => [curationSubfeedHash(s.sortingId), s]));
      const entry = { length: before.length + fresh.length, state, byHash, refreshedAt: now() };
      if (entries.size >= MAX_ENTRIES && !entries.has(feedId)) entries.clear();
      entries.set(feedId, entry);
      return entry;
    })().finally(() => refreshing.delete(feedId));
    refreshing.set(feedId, p);
    return p;
  };

  return {
    async exists(feedId) {
      if (known.has(feedId)) return true;
      const ok = await feedExists(store, feedId, main);
      if (ok) {
        if (known.size >= MAX_ENTRIES * 10) known.clear();
        known.add(feedId);
      }
      return ok;
    },
    async sortingOfSubfeed(feedId, subfeedHash) {
      const cached = entries.get(feedId);
      const hit = cached?.byHash.get(subfeedHash);
      if (hit && now() - cached!.refreshedAt < ttlMs) return hit;
      return (await refresh(feedId)).byHash.get(subfeedHash) ?? null;
    },
  };
}
