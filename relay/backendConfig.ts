import type { Bucket } from '@google-cloud/storage';
import { BACKEND_CONFIG_REFRESH_MS, backendConfigPath, type BackendConfig } from '../core/protocol';
import { taskFunctionIds } from '../core/tasks/catalog';
import { SORTINGVIEW_VERSION } from '../core/version';

/**
 * Keeps `sortingview-backends/<label>.json` fresh: the GUI calls a backend alive while its timestamp
 * is under 70 s old, so it is rewritten every 30 s. The first write happens before this resolves.
 */
export async function startBackendHeartbeat(opts: {
  bucket: Bucket;
  label: string;
  apiUrl: string;
  now?: () => number;
  intervalMs?: number;
  onError?: (err: Error) => void;
}): Promise<{ stop(): void; config(): BackendConfig }> {
  const now = opts.now ?? Date.now;
  let last: BackendConfig;
  const write = async () => {
    last = { label: opts.label, apiUrl: opts.apiUrl, version: SORTINGVIEW_VERSION, taskFunctionIds: taskFunctionIds(), timestamp: now() };
    await opts.bucket.file(backendConfigPath(opts.label)).save(JSON.stringify(last), {
      resumable: false, contentType: 'application/json', metadata: { cacheControl: 'no-store' },
    });
  };
  await write();
  const timer = setInterval(() => write().catch((err) => opts.onError?.(err)), opts.intervalMs ?? BACKEND_CONFIG_REFRESH_MS);
  timer.unref();
  return { stop: () => clearInterval(timer), config: () => last };
}
