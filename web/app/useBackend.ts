import { useEffect, useMemo, useState } from 'react';
import type { BlobStore } from '../../core/ports/blobStore';
import { BACKEND_CONFIG_REFRESH_MS, parseBackendUri, publicObjectUrl, taskResultPath, type BackendConfig } from '../../core/protocol';
import { fetchBackendConfig } from '../backend';
import type { WebConfig } from '../config';
import { publicBlobStore } from '../data/publicBlobStore';
import { TaskClient } from '../data/taskClient';
import { parseRecentBackends, RECENT_BACKENDS_KEY, touchBackend } from '../home/recentBackends';

/**
 * The chosen backend: its config (re-read every 30 s, which is how "alive" stays current), the
 * public bucket as a store, and one TaskClient for the page's life with this backend.
 */
export function useBackend(config: WebConfig, backendUri: string | null): {
  backend: BackendConfig | null; error: string | null; store: BlobStore | null; client: TaskClient | null;
} {
  const [state, setState] = useState<{ uri: string | null; backend: BackendConfig | null; error: string | null }>({ uri: null, backend: null, error: null });
  useEffect(() => {
    if (!backendUri) return;
    let cancelled = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const load = async () => {
      try {
        const backend = await fetchBackendConfig(config.storageUrl, backendUri);
        if (cancelled) return;
        setState({ uri: backendUri, backend, error: null });
        rememberBackend(backend.label, backendUri);
      } catch (err) {
        if (cancelled) return;
        setState((s) => (s.uri === backendUri && s.backend ? s : { uri: backendUri, backend: null, error: (err as Error).message }));
      }
      timer = setTimeout(load, BACKEND_CONFIG_REFRESH_MS);
    };
    void load();
    return () => {
      cancelled = true;
      clearTimeout(timer);
    };
  }, [config.storageUrl, backendUri]);

  const mine = state.uri === backendUri && backendUri !== null;
  const label = mine ? state.backend?.label : undefined;
  const apiUrl = mine ? state.backend?.apiUrl : undefined;
  const store = useMemo(() => {
    if (!backendUri) return null;
    try {
      return publicBlobStore(config.storageUrl, parseBackendUri(backendUri).bucket);
    } catch {
      return null;
    }
  }, [config.storageUrl, backendUri]);
  const client = useMemo(() => {
    if (!label || !apiUrl || !backendUri) return null;
    const { bucket } = parseBackendUri(backendUri);
    return new TaskClient({
      backend: { label, apiUrl },
      resultUrl: (hash) => publicObjectUrl(config.storageUrl, bucket, taskResultPath(label, hash)),
      deps: { fetch: (...a) => fetch(...a), sleep: (ms) => new Promise((r) => setTimeout(r, ms)), now: () => performance.now() },
    });
  }, [label, apiUrl, backendUri, config.storageUrl]);
  if (!backendUri) return { backend: null, error: null, store: null, client: null };
  return { backend: mine ? state.backend : null, error: mine ? state.error : null, store, client };
}

function rememberBackend(label: string, uri: string): void {
  try {
    const list = parseRecentBackends(localStorage.getItem(RECENT_BACKENDS_KEY));
    localStorage.setItem(RECENT_BACKENDS_KEY, JSON.stringify(touchBackend(list, { label, uri }, Date.now())));
  } catch {
    // localStorage may be unavailable (private mode): the list is a convenience.
  }
}
