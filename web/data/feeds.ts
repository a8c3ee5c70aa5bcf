import { useEffect, useState } from 'react';
import { curationSubfeedHash, FeedError, loadWorkspace, parseWorkspaceUri, pollFeed, type WorkspaceUri } from '../../core/feeds';
import type { BlobStore } from '../../core/ports/blobStore';
import { initialCurationState, replayCuration, type CurationState } from '../../core/reducers/curation';
import { replayWorkspace, type WorkspaceState } from '../../core/reducers/workspace';
import { workspaceSubfeedHash } from '../../core/feeds';
import { useApp } from '../app/context';

/**
 * Workspace and curation logs, read from the public bucket and kept up to date by polling
 * (`count.json` is never cached; new messages are appended to the replayed state).
 */
export interface FeedView<S> {
  state: S | null;
  /** Messages read so far. */
  length: number;
  error: string | null;
  loading: boolean;
  /** Read now (e.g. right after an append). */
  refresh(): void;
}

export const WORKSPACE_POLL_MS = 15_000;
/** While a sorting page is open its curation log is polled every second, so collaborators see each other's edits within ~2 s. */
export const CURATION_POLL_MS = 1_000;
/** Entries of the curation history kept for display (the newest). */
export const MAX_CURATION_ENTRIES = 500;

/**
 * A log read once and then polled. `more` says whether the log exists yet (its count.json); a log
 * that does not (a sorting nobody has curated, added before the CLI created its log) is polled only
 * every WORKSPACE_POLL_MS, since each look at a missing object is a 404 in the console; `refresh`
 * (after an own append) reads at once.
 */
function useFeed<S>(
  key: string | null,
  load: (store: BlobStore) => Promise<{ state: S; length: number }>,
  more: (store: BlobStore, from: number, state: S) => Promise<{ state: S; length: number; exists?: boolean }>,
  pollMs: number,
): FeedView<S> {
  const { store, backendUri, backendError } = useApp();
  const [view, setView] = useState<{ key: string | null; state: S | null; length: number; error: string | null }>({ key: null, state: null, length: 0, error: null });
  const [tick, setTick] = useState(0);
  useEffect(() => {
    if (!key || !store) return;
    let cancelled = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    let current = view.key === key ? view : { key, state: null as S | null, length: 0, error: null as string | null };
    const step = async () => {
      let wait = pollMs;
      try {
        const next: { state: S; length: number; exists?: boolean } = current.state === null ? await load(store) : await more(store, current.length, current.state);
        if (next.exists === false) wait = Math.max(pollMs, WORKSPACE_POLL_MS);
        if (cancelled) return;
        if (current.state === null || next.length !== current.length) {
          current = { key, state: next.state, length: next.length, error: null };
          setView(current);
        } else if (current.error) {
          current = { ...current, error: null };
          setView(current);
        }
      } catch (err) {
        if (cancelled) return;
        current = { ...current, error: (err as Error).message };
        setView(current);
        if (err instanceof FeedError && err.code === 'unknown-feed') return; // no point polling
      }
      timer = setTimeout(step, wait);
    };
    void step();
    return () => {
      cancelled = true;
      clearTimeout(timer);
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [key, store, tick]);
  const mine = view.key === key;
  if (key && !store) {
    // The bucket comes from the Backend URI: without a usable one there is nothing to read.
    const why = backendError ?? (backendUri ? `Not a usable Backend URI: ${backendUri}` : 'No backend chosen: open the link with ?backend=gs://<bucket>/sortingview-backends/<label>.json, or choose one on the home page');
    return { state: null, length: 0, error: why, loading: false, refresh: () => {} };
  }
  return {
    state: mine ? view.state : null,
    length: mine ? view.length : 0,
    error: mine ? view.error : null,
    loading: !!key && (!mine || (view.state === null && view.error === null)),
    refresh: () => setTick((t) => t + 1),
  };
}

export function useWorkspace(feedId: string | null): FeedView<WorkspaceState> {
  return useFeed<WorkspaceState>(feedId,
    async (store) => {
      const { messages, exists } = await pollFeed(store, feedId!, workspaceSubfeedHash(), 0);
      if (exists) return { state: replayWorkspace(messages.map((m) => m.message)).state, length: messages.length };
      // No count.json: unknown (loadWorkspace says so in the user's terms), or a log without one.
      const w = await loadWorkspace(store, feedId!);
      return { state: w.state, length: w.length };
    },
    async (store, from, state) => {
      const { messages: msgs } = await pollFeed(store, feedId!, workspaceSubfeedHash(), from);
      return { state: replayWorkspace(msgs.map((m) => m.message), state).state, length: from + msgs.length };
    },
    WORKSPACE_POLL_MS);
}

/**
 * The workspace the URL names (`?workspace=workspace://…`): its parsed URI, or why the URI is not
 * one, and the log read and polled. Every page that shows a workspace starts here.
 */
export function useRouteWorkspace(): { parsed: WorkspaceUri | null; uriError: string | null; ws: FeedView<WorkspaceState> } {
  const { route } = useApp();
  let parsed: WorkspaceUri | null = null;
  let uriError: string | null = null;
  try {
    parsed = parseWorkspaceUri(route.workspace ?? '');
  } catch (err) {
    uriError = (err as Error).message;
  }
  const ws = useWorkspace(parsed?.feedId ?? null);
  return { parsed, uriError, ws };
}

/** One message of a curation log: what was done, by whom (email) and when (ms since epoch). */
export interface CurationLogEntry {
  position: number;
  action: unknown;
  user: string;
  timestamp: number;
}

/** A sorting's curation: the replayed state and the log's newest entries (who did what and when). */
export interface CurationLog {
  curation: CurationState;
  entries: CurationLogEntry[];
}

export function useCuration(feedId: string | null, sortingId: string | null): FeedView<CurationLog> {
  const key = feedId && sortingId ? `${feedId}/${sortingId}` : null;
  const read = async (store: BlobStore, from: number, log: CurationLog) => {
    const { messages: msgs, exists } = await pollFeed(store, feedId!, curationSubfeedHash(sortingId!), from);
    if (!msgs.length) return { state: log, length: from, exists };
    const entries = [...log.entries, ...msgs.map((m, i) => ({ position: from + i, action: m.message, user: m.user, timestamp: m.timestamp }))].slice(-MAX_CURATION_ENTRIES);
    return { state: { curation: replayCuration(msgs.map((m) => m.message), log.curation).state, entries }, length: from + msgs.length, exists };
  };
  return useFeed<CurationLog>(key, (store) => read(store, 0, { curation: initialCurationState, entries: [] }), read, CURATION_POLL_MS);
}
