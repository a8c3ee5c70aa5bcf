import { BACKEND_ALIVE_MS, backendConfigSchema, parseBackendUri, publicObjectUrl, backendConfigPath, type BackendConfig } from '../core/protocol';

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

export function isBackendAlive(config: BackendConfig, now: number): boolean {
  return now - config.timestamp < BACKEND_ALIVE_MS;
}
