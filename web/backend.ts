import { backendConfigSchema, parseBackendUri, publicObjectUrl, backendConfigPath, type BackendConfig } from '../core/protocol';

/** Reads the config a Backend URI points at, from the public bucket. */
export async function fetchBackendConfig(storageUrl: string, backendUri: string): Promise<BackendConfig> {
  const { bucket, label } = parseBackendUri(backendUri);
  const res = await fetch(publicObjectUrl(storageUrl, bucket, backendConfigPath(label)), { cache: 'no-store' });
  if (res.status === 404) throw new Error(`No backend "${label}" in bucket ${bucket}: has its relay been started (sortingview-start-backend --label ${label})?`);
  if (!res.ok) throw new Error(`Could not read the backend config (${res.status} ${res.statusText})`);
  const parsed = backendConfigSchema.safeParse(await res.json());
  if (!parsed.success) throw new Error(`The backend config is malformed: ${parsed.error.issues[0]?.message}`);
  return parsed.data;
}

/** The alive rule lives with BACKEND_ALIVE_MS in core/protocol; the home page reads it from here with the config. */
export { isBackendAlive } from '../core/protocol';
